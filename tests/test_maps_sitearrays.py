"""The map's arrays of candidates: where each is drawn, tile by tile, and its outlines."""

from __future__ import annotations

import numpy as np
from shapely import Polygon

from locscan.maps import sitearrays


def test_outlines_are_counter_clockwise_whatever_the_input():
    clockwise = Polygon([(0, 0), (0, 10), (10, 10), (10, 0)])
    coords, starts, owners = sitearrays._outlines(np.array([clockwise]))
    x, y = coords[:-1, 0], coords[:-1, 1]
    signed = np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y) / 2
    assert signed > 0
    assert starts.tolist() == [0, 5]
    assert owners.tolist() == [0]


def test_tile_order_of_an_empty_region():
    order, starts = sitearrays.tile_order(np.empty((0, 2)))
    assert order.tolist() == []
    assert starts.tolist() == [0]
