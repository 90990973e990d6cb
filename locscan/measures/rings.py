"""Polygons as flat ring arrays: what the compiled loops of :mod:`locscan.measures.kernels` read.

:func:`rings` converts a candidate table's polygons once (remembered while the array lives) and
finds the rings in the flat coordinates, with no Python object per polygon part; GEOS's parts
are asked only for multipolygons of several parts that have holes, or when the coordinates do
not split into closed rings.
"""

from __future__ import annotations

import threading
import weakref
from dataclasses import dataclass

import numpy as np
import shapely

__all__ = ["POLYGONAL", "Rings", "rings"]

#: shapely's type ids of Polygon and MultiPolygon
POLYGONAL = (3, 6)


@dataclass(frozen=True)
class Rings:
    """
    Polygons as flat rings.

    Ring ``r`` of geometry ``g`` is ``x[offsets[r]:offsets[r + 1]]`` (closed) for ``r`` in
    ``first[g]:first[g + 1]``; ``sign`` is +1 (exterior) or -1 (hole).
    """

    first: np.ndarray
    offsets: np.ndarray
    sign: np.ndarray
    x: np.ndarray
    y: np.ndarray
    bounds: np.ndarray


_memo: dict[int, Rings] = {}
_memo_lock = threading.Lock()


def _build_rings(geoms: np.ndarray) -> Rings | None:
    types = shapely.get_type_id(geoms)
    if not len(geoms) or not np.isin(types, POLYGONAL).all() or shapely.is_empty(geoms).any():
        return None
    return _rings_from_coordinates(geoms, types) or _rings_from_parts(geoms, types)


def _rings_from_coordinates(geoms: np.ndarray, types: np.ndarray) -> Rings | None:
    """
    Rings found in the flat coordinates, with no Python object per part.

    None when they do not agree with GEOS's count of rings and parts.
    """
    from locscan.measures import kernels

    coords = shapely.get_coordinates(geoms)
    x, y = np.ascontiguousarray(coords[:, 0]), np.ascontiguousarray(coords[:, 1])
    geom_offsets = np.r_[0, np.cumsum(shapely.get_num_coordinates(geoms))].astype(np.int64)
    offsets, counts, ok = kernels.split_rings(x, y, geom_offsets)
    if not ok:
        return None
    first = np.r_[0, np.cumsum(counts)].astype(np.int64)
    sign = -np.ones(len(offsets) - 1)
    sign[first[:-1]] = 1.0  # a polygon's first ring is its exterior
    polygon = types == 3
    if not np.array_equal(counts[polygon], 1 + shapely.get_num_interior_rings(geoms[polygon])):
        return None
    parts = shapely.get_num_geometries(geoms)
    multi = np.flatnonzero(~polygon & (parts > 1) & (counts > 1))
    if len(multi):  # several polygons, some with holes or not: each part's exterior
        pieces, owner = shapely.get_parts(geoms[multi], return_index=True)
        per_part = 1 + shapely.get_num_interior_rings(pieces)
        if not np.array_equal(np.bincount(owner, weights=per_part, minlength=len(multi)),
                              counts[multi]):
            return None
        before = np.cumsum(per_part) - per_part  # rings of the pieces before, over all
        within = before - before[np.searchsorted(owner, owner)]  # ... of the same geometry
        sign[first[multi][owner] + within] = 1.0
    return Rings(first=first, offsets=offsets, sign=sign, x=x, y=y, bounds=shapely.bounds(geoms))


def _rings_from_parts(geoms: np.ndarray, types: np.ndarray) -> Rings:
    """Rings through GEOS: every polygon part, then its rings."""
    parts, part_of = geoms, np.arange(len(geoms))
    if (types == 6).any():  # multipolygons: one row per polygon
        parts, part_of = shapely.get_parts(geoms, return_index=True)
    holes = shapely.get_num_interior_rings(parts)
    ring_of_part = np.r_[0, np.cumsum(1 + holes)]
    counts = np.empty(ring_of_part[-1], dtype=np.int64)  # coordinates per ring
    plain = holes == 0
    counts[ring_of_part[:-1][plain]] = shapely.get_num_coordinates(parts[plain])
    if not plain.all():
        holed = np.flatnonzero(~plain)
        at = np.repeat(ring_of_part[holed], 1 + holes[holed])
        at += np.arange(len(at)) - np.repeat(np.cumsum(1 + holes[holed]) - 1 - holes[holed],
                                             1 + holes[holed])
        counts[at] = shapely.get_num_coordinates(shapely.get_rings(parts[holed]))
    sign = -np.ones(len(counts))
    sign[ring_of_part[:-1]] = 1.0
    coords = shapely.get_coordinates(parts)
    first = ring_of_part[np.searchsorted(part_of, np.arange(len(geoms) + 1))]
    return Rings(
        first=first.astype(np.int64), offsets=np.r_[0, np.cumsum(counts)].astype(np.int64),
        sign=sign, x=np.ascontiguousarray(coords[:, 0]), y=np.ascontiguousarray(coords[:, 1]),
        bounds=shapely.bounds(geoms),
    )


def rings(geoms: np.ndarray) -> Rings | None:
    """
    The polygons `geoms` as flat rings, or None unless every one is a non-empty (multi)polygon.

    Remembered for the array object while it lives, so the measures of one candidate table
    share one conversion.

    Examples
    --------
    >>> from shapely import Polygon, box
    >>> square_with_hole = Polygon([(0, 0), (4, 0), (4, 4), (0, 4)],
    ...                            [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    >>> r = rings(np.array([box(0, 0, 1, 1), square_with_hole]))
    >>> r.first.tolist(), r.sign.tolist()
    ([0, 1, 3], [1.0, 1.0, -1.0])
    >>> rings(np.array([shapely.Point(0, 0)])) is None
    True
    """
    key = id(geoms)
    with _memo_lock:  # one conversion, also when two measures ask at once
        hit = _memo.get(key)
        if hit is None and (hit := _build_rings(geoms)) is not None:
            _memo[key] = hit
            weakref.finalize(geoms, _memo.pop, key, None)
    return hit
