"""Compiled loops over flat coordinate arrays: polygon ∩ triangle areas, polygon–point distances.

Each function works on polygons given as rings in flat arrays (see :class:`~locscan.measures.
planar.Rings`): ring ``r`` of geometry ``g`` runs over ``x[offsets[r]:offsets[r + 1]]`` for
``r`` in ``first[g]:first[g + 1]``; ``sign[r]`` is +1 for an exterior ring and -1 for a hole.
They are compiled once by numba (cached on disk) and release the GIL, so callers run chunks of
pairs side by side in threads. Both are exact up to floating-point rounding for every polygon:

* the area of a polygon inside a triangle is found by clipping each ring with the triangle's
  three half-planes (Sutherland–Hodgman). Clipping by a *convex* region is exact for any simple
  ring, convex or not: parts of the result that fold onto a clip edge have no area;
* the distance from a polygon to a point is 0 when the point lies inside (even–odd rule over all
  rings, so holes and multipolygons count), else the distance to the nearest edge.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["polygon_point_distances", "polygon_triangle_areas", "segment_argmin"]


@njit(nogil=True, cache=True, inline="always")
def _clip_half_plane(xin, yin, n, xout, yout, ax, ay, bx, by):  # pragma: no cover - compiled
    """Keep the part of ring (xin, yin)[:n] left of a→b; returns the new vertex count."""
    m = 0
    if n == 0:
        return 0
    px, py = xin[n - 1], yin[n - 1]
    ps = (bx - ax) * (py - ay) - (by - ay) * (px - ax)
    for i in range(n):
        cx, cy = xin[i], yin[i]
        cs = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax)
        if (cs >= 0.0) != (ps >= 0.0):  # the edge crosses the line: add the crossing
            t = ps / (ps - cs)
            xout[m] = px + t * (cx - px)
            yout[m] = py + t * (cy - py)
            m += 1
        if cs >= 0.0:
            xout[m] = cx
            yout[m] = cy
            m += 1
        px, py, ps = cx, cy, cs
    return m


@njit(nogil=True, cache=True)
def _ring_in_triangle(x, y, start, stop, tx, ty):  # pragma: no cover - compiled
    """Area of ring x[start:stop] inside the counter-clockwise triangle (tx, ty)."""
    n = stop - start
    cap = 2 * n + 6
    ax, ay = np.empty(cap), np.empty(cap)
    bx, by = np.empty(cap), np.empty(cap)
    # relative to the triangle's first corner: the shoelace sum over large coordinates
    # (Rijksdriehoek metres, ~1e5) would lose digits to cancellation
    ox, oy = tx[0], ty[0]
    ax[:n] = x[start:stop] - ox
    ay[:n] = y[start:stop] - oy
    x1, y1, x2, y2 = tx[1] - ox, ty[1] - oy, tx[2] - ox, ty[2] - oy
    m = _clip_half_plane(ax, ay, n, bx, by, 0.0, 0.0, x1, y1)
    m = _clip_half_plane(bx, by, m, ax, ay, x1, y1, x2, y2)
    m = _clip_half_plane(ax, ay, m, bx, by, x2, y2, 0.0, 0.0)
    twice = 0.0
    for i in range(m):
        j = i + 1 if i + 1 < m else 0
        twice += bx[i] * by[j] - bx[j] * by[i]
    return abs(twice) * 0.5


@njit(nogil=True, cache=True)
def polygon_triangle_areas(
    geom, tri, first, offsets, sign, x, y, tri_x, tri_y
):  # pragma: no cover - compiled
    """
    Area of polygon ``geom[k]`` inside triangle ``tri[k]``, for every pair k.

    Triangles are rows of `tri_x`, `tri_y` (three vertices, counter-clockwise).
    """
    out = np.empty(len(geom))
    for k in range(len(geom)):
        g, t = geom[k], tri[k]
        total = 0.0
        for r in range(first[g], first[g + 1]):
            total += sign[r] * _ring_in_triangle(x, y, offsets[r], offsets[r + 1],
                                                 tri_x[t], tri_y[t])
        out[k] = total
    return out


@njit(nogil=True, cache=True)
def polygon_point_distances(geom, px, py, first, offsets, x, y):  # pragma: no cover - compiled
    """Distance from polygon ``geom[k]`` to point (``px[k]``, ``py[k]``): 0 inside or on it."""
    out = np.empty(len(geom))
    for k in range(len(geom)):
        g, qx, qy = geom[k], px[k], py[k]
        best = np.inf
        inside = False
        for r in range(first[g], first[g + 1]):
            start, stop = offsets[r], offsets[r + 1]
            ax, ay = x[stop - 1], y[stop - 1]
            for i in range(start, stop):
                bx, by = x[i], y[i]
                if (by > qy) != (ay > qy) and qx < ax + (qy - ay) * (bx - ax) / (by - ay):
                    inside = not inside
                dx, dy = bx - ax, by - ay
                length2 = dx * dx + dy * dy
                t = 0.0
                if length2 > 0.0:
                    t = min(1.0, max(0.0, ((qx - ax) * dx + (qy - ay) * dy) / length2))
                ex, ey = ax + t * dx - qx, ay + t * dy - qy
                best = min(best, ex * ex + ey * ey)
                ax, ay = bx, by
        out[k] = 0.0 if inside else np.sqrt(best)
    return out


@njit(nogil=True, cache=True)
def segment_argmin(group, value, tiebreak):  # pragma: no cover - compiled
    """Position of the smallest `value` per run of equal `group`, ties to the lowest `tiebreak`."""
    out = []
    start = 0
    n = len(group)
    while start < n:
        best = start
        stop = start + 1
        while stop < n and group[stop] == group[start]:
            v, b = value[stop], value[best]
            if v < b or (v == b and tiebreak[stop] < tiebreak[best]):
                best = stop
            stop += 1
        out.append(best)
        start = stop
    return np.array(out, dtype=np.int64)
