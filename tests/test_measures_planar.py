"""Exact pairwise geometry on flat arrays agrees with GEOS for every polygon shape."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import shapely
from shapely import MultiPolygon, Point, Polygon, box

from locscan.measures import planar
from locscan.measures.rings import rings

DATA = Path(__file__).parent / "data"


def _star(x: float, y: float, r: float, n: int, rng: np.random.Generator) -> Polygon:
    """A non-convex star-shaped polygon with `n` vertices around (x, y)."""
    angles = np.linspace(0, 2 * np.pi, n, endpoint=False) + rng.uniform(0, 5.0 / n, n)
    radii = r * rng.uniform(0.3, 1.0, n)
    return Polygon(np.c_[x + radii * np.cos(angles), y + radii * np.sin(angles)])


def _shapes(rng: np.random.Generator, n: int, r: float) -> np.ndarray:
    """Irregular shapes: stars, stars with a hole, multipolygons, Voronoi cells, rectangles."""
    xy = rng.uniform(0, 1000, (n, 2))
    out = []
    for k, (x, y) in enumerate(xy):
        star = _star(x, y, r, int(rng.integers(5, 30)), rng)
        match k % 5:
            case 0:
                out.append(star)
            case 1:
                out.append(star.difference(Point(x, y).buffer(r / 5)))  # a hole
            case 2:
                out.append(MultiPolygon([star, _star(x + 3 * r, y, r / 2, 8, rng)]))
            case 3:
                out.append(box(x, y, x + r, y + r / 3))
            case _:
                out.append(Point(x, y).buffer(r / 2, quad_segs=3))
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(xy[: n // 2]),
                                                       extend_to=box(0, 0, 1000, 1000)))
    shapes = np.concatenate([np.array(out, dtype=object), shapely.clip_by_rect(cells, 0, 0,
                                                                               1000, 1000)])
    assert shapely.is_valid(shapes).all()
    return shapes


@pytest.fixture(scope="module")
def shapes():
    rng = np.random.default_rng(7)
    return _shapes(rng, 300, 40.0), _shapes(rng, 120, 90.0)


def test_intersection_areas_equal_geos_for_irregular_shapes(shapes):
    cands, layer = shapes
    i, j, area = planar.intersection_areas(cands, layer)
    gi, gj = shapely.STRtree(layer).query(cands, predicate="intersects")
    exact = shapely.area(shapely.intersection(cands[gi], layer[gj]))
    keep = exact > 1e-9
    ours = dict(zip(zip(i.tolist(), j.tolist(), strict=True), area.tolist(), strict=True))
    geos = dict(zip(zip(gi[keep].tolist(), gj[keep].tolist(), strict=True),
                    exact[keep].tolist(), strict=True))
    assert ours.keys() >= geos.keys()
    got = np.array([ours[k] for k in geos])
    np.testing.assert_allclose(got, np.array(list(geos.values())), rtol=1e-9, atol=1e-6)
    extra = [ours[k] for k in ours.keys() - geos.keys()]
    assert max(extra, default=0.0) < 1e-6  # only touching pairs GEOS rounds to nothing


def test_shared_edges_split_the_area_exactly():
    # a parcel cut by two zoning areas along a shared, collinear edge (as IMRO is drawn on BRK)
    parcel = Polygon([(0, 0), (10, 0), (10, 10), (5, 10), (5, 4), (0, 4)])  # L-shaped
    left, right = box(-5, -5, 5, 20), box(5, -5, 20, 20)
    _, j, area = planar.intersection_areas(np.array([parcel]), np.array([left, right]))
    assert j.tolist() == [0, 1]
    np.testing.assert_allclose(area, [20.0, 50.0], rtol=1e-12)


def test_covered_areas_count_overlapping_polygons_once():
    # two squares of 100 m² overlapping in 50 m²; a parcel over both, one over one, one apart
    layer = np.array([box(0, 0, 10, 10), box(5, 0, 15, 10)])
    parcels = np.array([box(0, 0, 20, 10), box(11, 0, 15, 5), box(30, 0, 31, 1)])
    np.testing.assert_allclose(planar.covered_areas(parcels, layer), [150.0, 20.0, 0.0],
                               rtol=1e-12)


def test_covered_areas_equal_geos_over_the_union(shapes):
    cands, layer = shapes  # the layer's irregular shapes overlap each other
    union = shapely.union_all(layer)
    np.testing.assert_allclose(planar.covered_areas(cands, layer),
                               shapely.area(shapely.intersection(cands, union)),
                               rtol=1e-9, atol=1e-6)


@pytest.mark.parametrize("window", [(0, 0, 400, 400), (300, 500, 1000, 700)])
def test_areas_do_not_depend_on_the_other_polygons_passed(shapes, window):
    # a scan in parts reads, for its candidates, only the features that meet them (in the
    # layer's order): every area must then be bit-equal to the whole layer's
    cands, layer = shapes
    mine = cands[shapely.intersects(cands, box(*window))]
    near = layer[shapely.intersects(layer, box(*shapely.total_bounds(mine)))]
    assert 0 < len(near) < len(layer)
    np.testing.assert_array_equal(planar.covered_areas(mine, near),
                                  planar.covered_areas(cands, layer)[
                                      shapely.intersects(cands, box(*window))])
    i, j, area = planar.intersection_areas(mine, near)
    whole_i, whole_j, whole_area = planar.intersection_areas(cands, layer)
    at = np.flatnonzero(shapely.intersects(cands, box(*window)))
    ours = {(at[a], near[b].wkb): v for a, b, v in zip(i, j, area, strict=True)}
    whole = {(a, layer[b].wkb): v for a, b, v in zip(whole_i, whole_j, whole_area, strict=True)
             if a in set(at)}
    assert ours == whole


def test_nearest_equals_geos_distance_for_points_and_polygons(shapes):
    cands, layer = shapes
    rng = np.random.default_rng(3)
    points = shapely.points(rng.uniform(-200, 1200, (400, 2)))
    for targets in (points, layer, np.concatenate([points, layer])):
        i, j, d = planar.nearest(cands, targets)
        assert i.tolist() == list(range(len(cands)))
        expected = np.array([shapely.distance(c, targets).min() for c in cands])
        np.testing.assert_allclose(d, expected, rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(shapely.distance(cands[i], targets[j]), d, atol=1e-9)


def test_nearest_ties_go_to_the_first_target_and_max_distance_leaves_unknown():
    cands = np.array([box(0, 0, 10, 10), box(500, 0, 510, 10)])
    sites = np.array([Point(20, 5), Point(-10, 5), Point(5, 20)])  # 10 m: all three
    i, j, d = planar.nearest(cands, sites, max_distance=100)
    assert (i.tolist(), j.tolist(), d.tolist()) == ([0], [0], [10.0])


def test_a_point_inside_a_hole_is_not_inside_the_polygon():
    ring = Polygon([(0, 0), (100, 0), (100, 100), (0, 100)], [[(40, 40), (60, 40), (60, 60),
                                                              (40, 60)]])
    *_, d = planar.nearest(np.array([ring]), np.array([Point(50, 50)]))
    assert d.tolist() == [10.0]
    *_, d = planar.nearest(np.array([ring]), np.array([Point(20, 50)]))
    assert d.tolist() == [0.0]


def test_pairs_within_equals_geos_dwithin(shapes):
    cands, layer = shapes
    rng = np.random.default_rng(5)
    points = shapely.points(rng.uniform(0, 1000, (2000, 2)))
    for targets in (points, layer):
        i, j = planar.pairs_within(cands, targets, 60.0)
        gi, gj = shapely.STRtree(targets).query(cands, predicate="dwithin", distance=60.0)
        ours = set(zip(i.tolist(), j.tolist(), strict=True))
        assert ours == set(zip(gi.tolist(), gj.tolist(), strict=True))
        assert len(ours) == len(i)


def test_non_polygon_candidates_take_geos():
    cands = np.array([Point(0, 0), box(10, 0, 20, 10)])
    assert rings(cands) is None
    *_, d = planar.nearest(cands, np.array([Point(3, 4)]))
    assert d.tolist() == [5.0, 7.0]
    i, _, a = planar.intersection_areas(cands, np.array([box(15, 0, 30, 10)]))
    assert (i.tolist(), a.tolist()) == ([1], [50.0])


def test_rijksdriehoek_coordinates_keep_their_digits():
    # 1e5-metre coordinates: an area summed over them naively loses ~1e-5 m² (seen at 400k)
    offset = np.array([195_000.0, 419_000.0])
    cands = shapely.transform(_shapes(np.random.default_rng(11), 60, 40.0), lambda xy: xy + offset)
    layer = shapely.transform(_shapes(np.random.default_rng(12), 30, 90.0), lambda xy: xy + offset)
    i, j, area = planar.intersection_areas(cands, layer)
    exact = shapely.area(shapely.intersection(cands[i], layer[j]))
    np.testing.assert_allclose(area, exact, rtol=1e-9, atol=1e-9)


def test_empty_points_are_never_nearest_nor_within():
    cands = np.array([box(0, 0, 10, 10)])
    sites = np.array([Point(), Point(30, 5), Point()])
    i, j, d = planar.nearest(cands, sites)
    assert (i.tolist(), j.tolist(), d.tolist()) == ([0], [1], [20.0])
    i, j = planar.pairs_within(cands, sites, 20.0)
    assert (i.tolist(), j.tolist()) == ([0], [1])
    assert planar.nearest(cands, np.array([Point()]))[0].tolist() == []


def test_a_thin_spike_does_not_add_area_where_geos_overlay_does():
    # a demo parcel and a zoning area with a long thin spike that passes it by; GEOS 3.14's
    # intersection (and PostGIS's, and DuckDB's) gives 70,999 m² for a 66,207 m² parcel
    parcel, zone = (shapely.from_wkt(line) for line in
                    (DATA / "geos-overlay-spike.wkt").read_text().splitlines())
    *_, area = planar.intersection_areas(np.array([parcel]), np.array([zone]))
    outside = shapely.area(shapely.difference(parcel, zone))
    assert float(area.sum()) == pytest.approx(parcel.area - outside, abs=1e-6)
    assert float(area.sum()) < 1e-6


def test_a_point_at_exactly_the_distance_is_within_it_on_an_edge_and_at_a_corner():
    square = np.array([box(0, 0, 10, 10)])
    on_edge, at_corner = Point(410, 5), Point(10 + 240, 10 + 320)  # 400 m: 240² + 320² = 400²
    _, j = planar.pairs_within(square, np.array([on_edge, at_corner, Point(411, 5)]), 400.0)
    assert sorted(j.tolist()) == [0, 1]
    for site in (on_edge, at_corner):
        assert planar.nearest(square, np.array([site]), max_distance=400.0)[2].tolist() == [400.0]


def test_sums_within_equal_geos_pairs_summed(shapes):
    cands, layer = shapes
    rng = np.random.default_rng(9)
    points = shapely.points(rng.uniform(0, 1000, (2000, 2)))
    weights = rng.integers(1, 50, 2000).astype(float)
    weights[::7] = np.nan
    for targets, w in ((points, weights), (layer, weights[: len(layer)])):
        total, missing = planar.sums_within(cands, targets, 60.0, w)
        gi, gj = shapely.STRtree(targets).query(cands, predicate="dwithin", distance=60.0)
        known = ~np.isnan(w[gj])
        np.testing.assert_array_equal(
            total, np.bincount(gi[known], weights=w[gj][known], minlength=len(cands)))
        np.testing.assert_array_equal(missing, np.bincount(gi[~known], minlength=len(cands)))
