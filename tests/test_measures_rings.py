"""Polygons as flat rings: found in the coordinates as GEOS would give them, remembered."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from shapely import MultiPolygon, Point, Polygon, box
from test_measures_planar import _shapes

from locscan.measures import rings


@pytest.fixture(scope="module")
def shapes():
    rng = np.random.default_rng(7)
    return _shapes(rng, 300, 40.0), _shapes(rng, 120, 90.0)


def test_rings_are_remembered_per_array():
    geoms = np.array([box(0, 0, 1, 1)])
    assert rings.rings(geoms) is rings.rings(geoms)
    assert rings.rings(geoms.copy()) is not rings.rings(geoms)


def test_rings_from_coordinates_equal_rings_from_geos_parts(shapes):
    cands, layer = shapes
    geoms = np.concatenate([cands, layer, [MultiPolygon([  # two parts, the second with a hole
        box(0, 0, 1, 1), Polygon([(5, 5), (9, 5), (9, 9), (5, 9)], [[(6, 6), (7, 6), (7, 7)]])
    ])]])
    types = shapely.get_type_id(geoms)
    fast = rings._rings_from_coordinates(geoms, types)
    slow = rings._rings_from_parts(geoms, types)
    assert fast is not None
    for name in ("first", "offsets", "sign", "x", "y"):
        assert np.array_equal(getattr(fast, name), getattr(slow, name)), name


def test_only_non_empty_polygons_have_rings():
    assert rings.rings(np.array([Point(0, 0), box(0, 0, 1, 1)])) is None
    assert rings.rings(np.array([Polygon()])) is None
    holed = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    r = rings.rings(np.array([box(0, 0, 1, 1), holed]))
    assert (r.first.tolist(), r.sign.tolist()) == ([0, 1, 3], [1.0, 1.0, -1.0])
