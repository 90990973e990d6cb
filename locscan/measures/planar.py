"""Exact pairwise geometry for polygonal candidates, on flat arrays and on both cores.

The measure kinds ask three questions of many candidate–feature pairs: how much area two
polygons share, how far a polygon is from a feature, and which features lie within a distance.
GEOS answers each pair through general overlay and distance code (about 18 µs per irregular
intersection). Here the candidates become flat ring arrays once (:mod:`locscan.measures.rings`,
remembered per candidate table), the layer's polygons become triangles (GEOS's constrained Delaunay
triangulation, which covers each polygon exactly), and compiled loops
(:mod:`locscan.measures.kernels`) do the arithmetic in chunks on every core. Answers equal GEOS's
up to floating-point rounding, for every polygon shape: convex or not, with holes, multipart.

Point features take the compiled distance; other feature types keep GEOS's exact distance on
the pairs that the bounds leave open. Candidates that are not all polygons (points given as
candidates) take GEOS for everything.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from locscan import settings
from locscan.chunks import in_chunks
from locscan.measures.rings import POLYGONAL, Rings, rings

__all__ = [
    "Triangles", "covered_areas", "intersection_areas", "nearest", "pairs_within", "sums_within",
    "triangles",
]

_POINT = 0


@dataclass(frozen=True)
class Triangles:
    """A polygon layer cut into triangles: vertices counter-clockwise, and the polygon of each."""

    x: np.ndarray
    y: np.ndarray
    owner: np.ndarray
    geoms: np.ndarray


def triangles(polygons: np.ndarray) -> Triangles:
    """
    Cut polygons into triangles that cover each exactly (holes left out); others are skipped.

    Examples
    --------
    >>> from shapely import box
    >>> t = triangles(np.array([box(0, 0, 2, 1), shapely.Point(5, 5), box(5, 5, 6, 6)]))
    >>> t.owner.tolist(), float(shapely.area(t.geoms).sum())
    ([0, 0, 2, 2], 3.0)
    """
    keep = np.flatnonzero(np.isin(shapely.get_type_id(polygons), POLYGONAL)
                          & ~shapely.is_empty(polygons))
    collections = shapely.constrained_delaunay_triangles(polygons[keep])
    tris, part_of = shapely.get_parts(collections, return_index=True)
    corners = shapely.get_coordinates(collections).reshape(-1, 4, 2)[:, :3]  # closed triangles
    x, y = corners[..., 0].copy(), corners[..., 1].copy()
    clockwise = ((x[:, 1] - x[:, 0]) * (y[:, 2] - y[:, 0])
                 - (y[:, 1] - y[:, 0]) * (x[:, 2] - x[:, 0])) < 0
    x[clockwise, 1:] = x[clockwise, :0:-1]
    y[clockwise, 1:] = y[clockwise, :0:-1]
    return Triangles(x=x, y=y, owner=keep[part_of], geoms=tris)


@dataclass(frozen=True)
class _Grid:
    """Point features bucketed in a square grid; ``index`` maps back to the layer's rows."""

    x: np.ndarray
    y: np.ndarray
    index: np.ndarray
    order: np.ndarray
    start: np.ndarray
    x0: float
    y0: float
    cell: float
    nx: int
    ny: int

    def args(self) -> tuple:
        return (self.x, self.y, self.order, self.start, self.x0, self.y0, self.cell, self.nx,
                self.ny)


def _grid(targets: np.ndarray) -> _Grid | None:
    """A grid over the targets when all are points (empty ones left out), else None."""
    from locscan.measures import kernels

    if not (shapely.get_type_id(targets) == _POINT).all():
        return None
    index = np.flatnonzero(~shapely.is_empty(targets))
    if not len(index):
        return None
    xy = shapely.get_coordinates(targets[index])
    x, y = np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1])
    width, height = np.ptp(x), np.ptp(y)
    # about two points per cell on average, at most 2**22 cells
    cell = max(np.sqrt(max(width * height, width + height, 1.0) * 2.0 / len(x)), 1e-3,
               np.sqrt((width + 1.0) * (height + 1.0) / 2**22))
    nx, ny = int(width // cell) + 1, int(height // cell) + 1
    order, start = kernels.point_grid(x, y, x.min(), y.min(), cell, nx, ny)
    return _Grid(x, y, index, order, start, float(x.min()), float(y.min()), cell, nx, ny)


def _grown(bounds: np.ndarray, by: float | np.ndarray) -> np.ndarray:
    """Boxes around `bounds`, grown by `by` on every side."""
    by = np.broadcast_to(np.asarray(by, dtype=float), len(bounds))
    return in_chunks(lambda p: shapely.box(bounds[p, 0] - by[p], bounds[p, 1] - by[p],
                                            bounds[p, 2] + by[p], bounds[p, 3] + by[p]),
                      len(bounds))


def _by_pair(i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """The order that sorts pairs by ``i``, then ``j``: no spatial index's own order left."""
    return np.lexsort((j, i))


def intersection_areas(
    geoms: np.ndarray, polygons: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    Area of every non-empty overlap geoms[i] ∩ polygons[j].

    Each area is summed over the polygon's triangles in their own order, and the pairs come
    sorted, so a pair's area does not depend on which other polygons are passed (a scan in
    parts equals the whole scan bit for bit).

    Returns
    -------
    i, j, area
        One row per overlapping pair, by ``i`` and then ``j`` (ascending); ``area > 0``.

    Examples
    --------
    >>> from shapely import Polygon, box
    >>> ell = Polygon([(0, 0), (4, 0), (4, 1), (1, 1), (1, 4), (0, 4)])  # not convex
    >>> squares = np.array([box(0, 0, 2, 2), box(9, 9, 10, 10)])
    >>> i, j, a = intersection_areas(np.array([ell]), squares)
    >>> i.tolist(), j.tolist(), a.round(9).tolist()
    ([0], [0], [3.0])
    """
    from locscan.measures import kernels

    ring = rings(geoms)
    if ring is None:  # not all polygons: GEOS for every pair
        i, j = shapely.STRtree(polygons).query(geoms, predicate="intersects")
        order = _by_pair(i, j)
        i, j = i[order], j[order]
        area = shapely.area(shapely.intersection(geoms[i], polygons[j]))
        keep = area > 0
        return i[keep], j[keep], area[keep]
    tri = triangles(polygons)
    tree = shapely.STRtree(tri.geoms)

    def chunk(part: slice) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        i_g, i_t = tree.query(geoms[part])  # by candidate; its triangles in the tree's order
        kernels.sort_within_runs(i_g, i_t)  # a polygon's triangles in their own order
        i_g = i_g.astype(np.int64) + part.start
        area = kernels.polygon_triangle_areas(i_g, i_t, ring.first, ring.offsets, ring.sign,
                                              ring.x, ring.y, tri.x, tri.y)
        return kernels.sum_by_pair(i_g, tri.owner[i_t].astype(np.int64), area)

    i, j, area = in_chunks(chunk, len(geoms))
    keep = area > 0
    return i[keep], j[keep], area[keep]


def covered_areas(geoms: np.ndarray, polygons: np.ndarray) -> np.ndarray:
    """
    Area of each geoms[i] that lies inside the union of `polygons`.

    A geometry that one polygon meets takes that overlap's area (:func:`intersection_areas`);
    one that several meet takes the area of the union of its overlaps with them (GEOS), so
    polygons that overlap each other are not counted twice. Either depends only on the polygons
    that meet the geometry, in their order: never on the others passed, so a layer read in
    parts gives the same areas bit for bit.

    Examples
    --------
    >>> from shapely import box
    >>> cands = np.array([box(0, 0, 10, 10), box(20, 0, 30, 10), box(50, 50, 51, 51)])
    >>> layer = np.array([box(5, -5, 50, 40), box(6, -5, 50, 40)])  # overlapping
    >>> covered_areas(cands, layer).tolist()
    [50.0, 100.0, 0.0]
    """
    i, j, area = intersection_areas(geoms, polygons)
    out = np.zeros(len(geoms))
    count = np.bincount(i, minlength=len(geoms))
    one = count[i] == 1
    out[i[one]] = area[one]
    if not one.all():
        several = np.flatnonzero(count >= 2)
        out[several] = _union_areas(geoms, polygons, i[~one], j[~one])
    return out


def _union_areas(geoms: np.ndarray, polygons: np.ndarray, i: np.ndarray, j: np.ndarray
                 ) -> np.ndarray:
    """
    Area of the union of geoms[i] ∩ polygons[j] per distinct ``i`` (pairs sorted by i, then j).

    Groups of a like size are united together (GEOS's union along a padded row per group).
    """
    pieces = in_chunks(lambda part: shapely.intersection(geoms[i[part]], polygons[j[part]]),
                       len(i), min_rows=2_000)
    starts = np.flatnonzero(np.r_[True, i[1:] != i[:-1]])
    sizes = np.diff(np.r_[starts, len(i)])
    group = np.repeat(np.arange(len(starts)), sizes)
    position = np.arange(len(i)) - starts[group]
    out = np.zeros(len(starts))
    bucket = np.ceil(np.log2(sizes)).astype(int)
    for b in np.unique(bucket):
        mine = np.flatnonzero(bucket == b)
        rows = np.full((len(mine), int(sizes[mine].max())), None, dtype=object)
        index = np.full(len(starts), -1)
        index[mine] = np.arange(len(mine))
        take = index[group] >= 0
        rows[index[group[take]], position[take]] = pieces[take]
        out[mine] = shapely.area(shapely.union_all(rows, axis=1))
    return out


def _distances(geoms: np.ndarray, targets: np.ndarray, i: np.ndarray, j: np.ndarray
               ) -> np.ndarray:
    """GEOS's exact distance of each pair (point layers take the grid walk instead)."""
    return in_chunks(lambda part: shapely.distance(geoms[i[part]], targets[j[part]]), len(i))


def pairs_within(
    geoms: np.ndarray, targets: np.ndarray, distance: float
) -> tuple[np.ndarray, np.ndarray]:
    """
    Pairs (i, j) with geoms[i] at most `distance` from targets[j] (inclusive), in no order.

    Examples
    --------
    >>> from shapely import Point, box
    >>> pts = np.array([Point(410, 5), Point(411, 5), Point(5, 5)])
    >>> i, j = pairs_within(np.array([box(0, 0, 10, 10)]), pts, 400)
    >>> sorted(zip(i.tolist(), j.tolist()))
    [(0, 0), (0, 2)]
    """
    if not len(geoms) or shapely.is_empty(targets).all():
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    from locscan.measures import kernels

    ring = rings(geoms)
    if ring is not None and (grid := _grid(targets)) is not None:
        k, j, *_ = _walk(ring, grid, np.full(len(geoms), float(distance)), kernels.PAIRS)
        return k, j
    tree = shapely.STRtree(targets)
    if ring is None:
        return tree.query(geoms, predicate="dwithin", distance=distance)
    i, j = tree.query(_grown(ring.bounds, distance))  # bounds only; exact distance below
    i, j = i.astype(np.int64), j.astype(np.int64)
    keep = _distances(geoms, targets, i, j) <= distance
    return i[keep], j[keep]


def _walk(ring: Rings, grid: _Grid, reach: np.ndarray, mode: int,
          weights: np.ndarray | None = None) -> tuple[np.ndarray, ...]:
    """:func:`kernels.points_near` over chunks of the polygons, with the points' own indices."""
    from locscan.measures import kernels

    weights = np.zeros(0) if weights is None else weights[grid.index].astype(float)

    def chunk(part: slice) -> tuple[np.ndarray, ...]:
        k, j, d, total, missing = kernels.points_near(
            np.arange(part.start, part.stop), reach[part], mode, weights, ring.bounds,
            ring.first, ring.offsets, ring.x, ring.y, *grid.args())
        return k + part.start, grid.index[j], d, total, missing

    return in_chunks(chunk, len(reach))


def sums_within(geoms: np.ndarray, targets: np.ndarray, distance: float, weights: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """
    Per geometry the sum of the `weights` of the targets within `distance` (inclusive).

    Also how many targets in reach have no weight (NaN). Point targets are summed as they are
    found, without listing the pairs (26 million for parking at 1M parcels).

    Examples
    --------
    >>> from shapely import Point, box
    >>> pts = np.array([Point(410, 5), Point(5, 20), Point(900, 0)])
    >>> total, missing = sums_within(np.array([box(0, 0, 10, 10)]), pts, 400,
    ...                              np.array([20.0, np.nan, 50.0]))
    >>> total.tolist(), missing.tolist()
    ([20.0], [1.0])
    """
    from locscan.measures import kernels

    weights = np.asarray(weights, dtype=float)
    ring = rings(geoms)
    if ring is not None and (grid := _grid(targets)) is not None:
        *_, total, missing = _walk(ring, grid, np.full(len(geoms), float(distance)),
                                   kernels.SUMS, weights)
        return total, missing
    i, j = pairs_within(geoms, targets, distance)
    known = ~np.isnan(weights[j])
    return (np.bincount(i, weights=np.where(known, weights[j], 0.0), minlength=len(geoms)),
            np.bincount(i, weights=(~known).astype(float), minlength=len(geoms)))


def _first_vertices(ring: Rings) -> tuple[np.ndarray, np.ndarray]:
    at = ring.offsets[ring.first[:-1]]
    return ring.x[at], ring.y[at]


def _nearest_point(ring: Rings, grid: _Grid, max_distance: float | None
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Nearest point feature per polygon, searched in the grid around the polygon's box."""
    from scipy.spatial import cKDTree

    from locscan.measures import kernels

    # an upper bound: the distance from one vertex of each polygon to its nearest point
    bound = cKDTree(np.c_[grid.x, grid.y]).query(np.c_[_first_vertices(ring)], k=1,
                                                 workers=max(1, settings.workers))[0]
    if max_distance is not None:
        bound = np.minimum(bound, max_distance)
    reach = bound * (1 + 1e-9) + 1e-9  # the vertex's distance, rounded another way, may be less

    i, j, d, *_ = _walk(ring, grid, reach, kernels.NEAREST)
    keep = d <= (np.inf if max_distance is None else max_distance)
    return i[keep], j[keep], d[keep]


def _vertex_bound(ring: Rings, tree: shapely.STRtree) -> np.ndarray:
    """An upper bound of each polygon's distance to the tree's geometries: from a vertex."""
    _, bound = tree.query_nearest(shapely.points(*_first_vertices(ring)),
                                  return_distance=True, all_matches=False)
    return bound


def nearest(
    geoms: np.ndarray, targets: np.ndarray, max_distance: float | None = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    The nearest target of each geometry: exact distance, ties to the lowest target index.

    Returns
    -------
    i, j, distance
        For each geometry ``i`` with a target within `max_distance` (all when None).

    Examples
    --------
    >>> from shapely import Point, box
    >>> sites = np.array([Point(20, 5), Point(-10, 5), Point(5, 5)])
    >>> i, j, d = nearest(np.array([box(0, 0, 10, 10), box(100, 0, 110, 10)]), sites)
    >>> i.tolist(), j.tolist(), d.tolist()
    ([0, 1], [2, 0], [0.0, 80.0])
    """
    from locscan.measures import kernels

    empty = np.empty(0, dtype=np.int64)
    if not len(geoms) or shapely.is_empty(targets).all():
        return empty, empty, np.empty(0)
    ring = rings(geoms)
    if ring is not None and (grid := _grid(targets)) is not None:
        return _nearest_point(ring, grid, max_distance)
    tree = shapely.STRtree(targets)
    if ring is None:
        (i, j), d = tree.query_nearest(geoms, max_distance=max_distance, return_distance=True,
                                       all_matches=True)
    else:
        bound = _vertex_bound(ring, tree)
        if max_distance is not None:
            bound = np.minimum(bound, max_distance)
        i, j = tree.query(_grown(ring.bounds, bound))  # every target that can be nearer
        i, j = i.astype(np.int64), j.astype(np.int64)
        d = _distances(geoms, targets, i, j)
    if (np.diff(i) < 0).any():  # STRtree gives pairs by input; GEOS's nearest need not
        order = np.argsort(i, kind="stable")
        i, j, d = i[order], j[order], d[order]
    best = kernels.segment_argmin(i, d, j)
    i, j, d = i[best], j[best], d[best]
    if max_distance is not None:
        keep = d <= max_distance
        i, j, d = i[keep], j[keep], d[keep]
    return i, j, d
