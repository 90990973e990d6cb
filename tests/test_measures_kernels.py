"""The compiled loops on hand-checkable shapes."""

from __future__ import annotations

import numpy as np
from shapely import Polygon, box

from locscan.measures import kernels, rings


def _one(geom):
    return rings.rings(np.array([geom]))


def test_square_inside_a_triangle_is_clipped_to_the_triangle():
    ring = _one(box(0, 0, 2, 2))
    tri_x, tri_y = np.array([[0.0, 2.0, 0.0]]), np.array([[0.0, 0.0, 2.0]])  # half the square
    area = kernels.polygon_triangle_areas(np.array([0]), np.array([0]), ring.first,
                                          ring.offsets, ring.sign, ring.x, ring.y, tri_x, tri_y)
    assert area.tolist() == [2.0]


def test_a_hole_is_subtracted_and_a_non_convex_ring_clipped_exactly():
    u_shape = Polygon([(0, 0), (3, 0), (3, 3), (2, 3), (2, 1), (1, 1), (1, 3), (0, 3)])
    ring = _one(u_shape)
    big = (np.array([[-10.0, 20.0, -10.0]]), np.array([[-10.0, -10.0, 20.0]]))  # holds it
    area = kernels.polygon_triangle_areas(np.array([0]), np.array([0]), ring.first,
                                          ring.offsets, ring.sign, ring.x, ring.y, *big)
    assert area.tolist() == [7.0]
    holed = _one(Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]]))
    area = kernels.polygon_triangle_areas(np.array([0]), np.array([0]), holed.first,
                                          holed.offsets, holed.sign, holed.x, holed.y, *big)
    assert area.tolist() == [15.0]


def test_point_distance_is_zero_inside_and_on_the_edge_else_to_the_nearest_edge():
    ring = _one(box(0, 0, 10, 10))
    px, py = np.array([5.0, 10.0, 13.0, 13.0]), np.array([5.0, 5.0, 5.0, 14.0])
    order, start = kernels.point_grid(px, py, 5.0, 5.0, 100.0, 1, 1)  # one cell holds all
    k, j, d, _, _ = kernels.points_near(
        np.array([0]), np.array([100.0]), kernels.PAIRS, np.zeros(0), ring.bounds, ring.first,
        ring.offsets, ring.x, ring.y, px, py, order, start, 5.0, 5.0, 100.0, 1, 1)
    assert k.tolist() == [0] * 4
    assert d[np.argsort(j)].tolist() == [0.0, 0.0, 3.0, 5.0]


def test_segment_argmin_per_group_with_ties_to_the_lowest_tiebreak():
    group = np.array([0, 0, 0, 2, 2, 5])
    value = np.array([3.0, 1.0, 1.0, 7.0, 6.0, 0.0])
    tiebreak = np.array([9, 4, 2, 0, 1, 0])
    assert kernels.segment_argmin(group, value, tiebreak).tolist() == [2, 4, 5]


def test_sort_within_runs_sorts_each_run_in_place_and_no_further():
    group = np.array([0, 0, 0, 2, 5, 5])
    value = np.array([9, 3, 5, 1, 8, 2])
    kernels.sort_within_runs(group, value)
    assert value.tolist() == [3, 5, 9, 1, 2, 8]
    long = np.arange(100)[::-1].copy()  # a long run takes numpy's sort
    kernels.sort_within_runs(np.zeros(100, dtype=np.int64), long)
    assert long.tolist() == list(range(100))


def test_sum_by_pair_adds_up_each_key_within_its_group():
    group = np.array([0, 0, 0, 3, 3])
    key = np.array([7, 5, 7, 7, 7])
    g, k, v = kernels.sum_by_pair(group, key, np.array([1.0, 2.0, 4.0, 8.0, 16.0]))
    assert (g.tolist(), k.tolist(), v.tolist()) == ([0, 0, 3], [7, 5, 7], [5.0, 2.0, 24.0])
