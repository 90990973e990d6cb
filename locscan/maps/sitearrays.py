"""The map's arrays of a set of candidates: where each is drawn, tile by tile, and its outlines.

Pure functions of the candidates' shapes, written to files by :mod:`locscan.maps.regionfiles`
(a whole region) and kept per gemeente by :mod:`locscan.maps.pieces` (a scan in parts).
Coordinates are little-endian ``float32`` longitude/latitude pairs, offsets ``uint32``.
"""

from __future__ import annotations

import numpy as np
import pyproj
import shapely

from locscan import rdnap, settings

__all__ = ["TILE_M", "outlines", "sites", "tile_order"]

#: side of the square tiles the browser draws (or skips) as a whole, in metres
TILE_M = 2000.0


def tile_order(xy: np.ndarray, size: float = TILE_M) -> tuple[np.ndarray, np.ndarray]:
    """
    Positions sorted tile by tile, and where each tile starts in that order.

    Parameters
    ----------
    xy
        Projected coordinates (metres), one row per candidate.
    size
        Tile side in the same unit.

    Returns
    -------
    order, starts
        ``xy[order]`` is tile by tile (row by row, west to east); tile ``t`` holds
        ``order[starts[t]:starts[t + 1]]``.

    Examples
    --------
    >>> order, starts = tile_order(np.array([[2500.0, 10], [10, 10], [1900, 20]]), 2000)
    >>> order.tolist(), starts.tolist()
    ([1, 2, 0], [0, 2, 3])
    """
    if len(xy) == 0:
        return np.empty(0, dtype="<u4"), np.zeros(1, dtype="<u4")
    cells = np.floor(xy / size).astype(np.int64)
    order = np.lexsort((cells[:, 0], cells[:, 1]))
    sorted_cells = cells[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = np.any(sorted_cells[1:] != sorted_cells[:-1], axis=1)
    starts = np.concatenate([np.flatnonzero(new), [len(order)]])
    return order.astype("<u4"), starts.astype("<u4")


def _outlines(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exterior rings (closed, counter-clockwise) of every polygon part, and their owners."""
    parts, owners = shapely.get_parts(geoms, return_index=True)
    polygonal = shapely.get_type_id(parts) == 3
    parts, owners = parts[polygonal], owners[polygonal]
    rings = shapely.get_exterior_ring(shapely.orient_polygons(parts))
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    counts = np.bincount(ring_of, minlength=len(rings))
    starts = np.concatenate([[0], np.cumsum(counts)]).astype("<u4")
    return coords, starts, owners.astype("<u4")


def _lonlat(xy: np.ndarray, crs) -> np.ndarray:
    """Coordinates in `crs` as float32 longitude/latitude (RDNAPTRANS from RD New)."""
    if len(xy) == 0:
        return np.empty((0, 2), dtype="<f4")
    if pyproj.CRS.from_user_input(crs).equals(rdnap.RD):
        lon, lat = rdnap.rd_to_etrs89(xy[:, 0], xy[:, 1])
    else:
        to = pyproj.Transformer.from_crs(crs, settings.geojson_crs, always_xy=True)
        lon, lat = to.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat]).astype("<f4")


def _boxes(points: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """West, south, east, north of each tile's points (stored order)."""
    if len(points) == 0:
        return np.empty((0, 4), dtype="<f4")
    first = starts[:-1]
    return np.column_stack([np.minimum.reduceat(points[:, 0], first),
                            np.minimum.reduceat(points[:, 1], first),
                            np.maximum.reduceat(points[:, 0], first),
                            np.maximum.reduceat(points[:, 1], first)]).astype("<f4")


def sites(geoms: np.ndarray, crs) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """
    The map's arrays of the candidates with shapes `geoms` (in `crs`): where each is drawn.

    Returns
    -------
    points, order, tiles, boxes
        As in :class:`MapFiles`: one point on each candidate's surface (``float32``
        longitude/latitude, stored tile by tile), the candidate of each stored position, the
        first stored position of each tile and each tile's bounds.
    """
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    order, tiles = tile_order(xy)
    points = _lonlat(xy[order], crs)
    return points, order, tiles, _boxes(points, tiles)


def outlines(geoms: np.ndarray, crs) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    The map's outline arrays of the shapes `geoms` (in stored order, in `crs`).

    Returns
    -------
    rings, starts, owners
        As in :class:`MapFiles`: ``float32`` longitude/latitude of every outline's vertices,
        the first vertex of each outline (one more than there are outlines) and the stored
        position each outline belongs to.
    """
    coords, starts, owners = _outlines(geoms)
    return _lonlat(coords, crs), starts, owners
