"""Compiled loops over flat coordinate arrays: polygon ∩ triangle areas, polygon–point distances.

Each function works on polygons given as rings in flat arrays (see :class:`~locscan.measures.
rings.Rings`): ring ``r`` of geometry ``g`` runs over ``x[offsets[r]:offsets[r + 1]]`` for
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

__all__ = [
    "NEAREST", "PAIRS", "SUMS",
    "point_grid", "points_near",
    "polygon_triangle_areas", "segment_argmin", "split_rings", "sum_by_pair",
]


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


@njit(nogil=True, cache=True, inline="always")
def _point_distance(g, qx, qy, first, offsets, x, y):  # pragma: no cover - compiled
    """Distance from polygon `g` to point (qx, qy): 0 inside or on it, else to the nearest edge."""
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
    return 0.0 if inside else np.sqrt(best)


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


@njit(nogil=True, cache=True)
def point_grid(px, py, x0, y0, cell, nx, ny):  # pragma: no cover - compiled
    """Bucket points in a grid: the order of points by cell, and each cell's range in it."""
    cx = np.minimum(((px - x0) / cell).astype(np.int64), nx - 1)
    cy = np.minimum(((py - y0) / cell).astype(np.int64), ny - 1)
    key = cy * nx + cx
    order = np.argsort(key, kind="mergesort")
    start = np.zeros(nx * ny + 1, dtype=np.int64)
    for k in key:
        start[k + 1] += 1
    for k in range(nx * ny):
        start[k + 1] += start[k]
    return order, start


@njit(nogil=True, cache=True)
def _cell_range(lo, hi, origin, cell, n):  # pragma: no cover - compiled
    a = int(max(0.0, (lo - origin) / cell))
    b = int(min(n - 1.0, max(0.0, (hi - origin) / cell)))
    return min(a, n - 1), b


#: what :func:`points_near` gives: every pair, the nearest point, or sums of point weights
PAIRS, NEAREST, SUMS = 0, 1, 2


@njit(nogil=True, cache=True)
def points_near(
    geoms, reach, mode, weights, bounds, first, offsets, x, y, px, py, order, start, x0, y0,
    cell, nx, ny,
):  # pragma: no cover - compiled
    """
    The points within ``reach[k]`` of polygon ``geoms[k]``: as pairs, the nearest, or summed.

    Walks the grid cells around the polygon's box grown by the reach; a point farther from the
    box than the reach (or than the nearest so far) is passed over before its exact distance.

    Returns
    -------
    k, j, d, total, missing
        ``PAIRS``: position in `geoms`, point index and exact distance of each pair.
        ``NEAREST``: one such pair per polygon with a point in reach, ties to the lowest index.
        ``SUMS``: per polygon the sum of the known `weights` in reach and the number of points
        in reach whose weight is NaN (k, j, d empty).
    """
    out_k, out_j, out_d = [0], [0], [0.0]  # typed by their first element, dropped below
    sums = mode == SUMS
    total = np.zeros(len(geoms) if sums else 0)
    missing = np.zeros(len(geoms) if sums else 0)
    for k in range(len(geoms)):
        g, r = geoms[k], reach[k]
        best_j, best_d = -1, np.inf
        ax, bx = _cell_range(bounds[g, 0] - r, bounds[g, 2] + r, x0, cell, nx)
        ay, by = _cell_range(bounds[g, 1] - r, bounds[g, 3] + r, y0, cell, ny)
        for cy in range(ay, by + 1):
            for cx in range(ax, bx + 1):
                c = cy * nx + cx
                for s in range(start[c], start[c + 1]):
                    j = order[s]
                    gx = max(bounds[g, 0] - px[j], 0.0, px[j] - bounds[g, 2])
                    gy = max(bounds[g, 1] - py[j], 0.0, py[j] - bounds[g, 3])
                    limit = (min(r, best_d) if mode == NEAREST else r) * (1 + 1e-9) + 1e-9
                    if gx * gx + gy * gy > limit * limit:
                        continue  # a prefilter, with slack: the exact test is below
                    d = _point_distance(g, px[j], py[j], first, offsets, x, y)
                    if d > r:
                        continue
                    if mode == PAIRS:
                        out_k.append(k)
                        out_j.append(j)
                        out_d.append(d)
                    elif sums:
                        if np.isnan(weights[j]):
                            missing[k] += 1.0
                        else:
                            total[k] += weights[j]
                    elif d < best_d or (d == best_d and j < best_j):
                        best_d, best_j = d, j
        if mode == NEAREST and best_j >= 0:
            out_k.append(k)
            out_j.append(best_j)
            out_d.append(best_d)
    return (np.array(out_k[1:], dtype=np.int64), np.array(out_j[1:], dtype=np.int64),
            np.array(out_d[1:], dtype=np.float64), total, missing)


@njit(nogil=True, cache=True)
def split_rings(x, y, geom_offsets):  # pragma: no cover - compiled
    """
    Split each geometry's coordinates into closed rings, in order.

    A ring ends where its first point comes back, four points on at the earliest. The rings of
    a valid polygon are simple (no point twice but the closing one), so this split is exact.

    Returns the ring offsets, the number of rings per geometry, and False when a geometry's
    coordinates do not split into closed rings (the caller then asks GEOS).
    """
    offsets = [0]
    counts = np.zeros(len(geom_offsets) - 1, dtype=np.int64)
    for g in range(len(geom_offsets) - 1):
        s, end = geom_offsets[g], geom_offsets[g + 1]
        while s < end:
            e = s + 3
            while e < end and (x[e] != x[s] or y[e] != y[s]):
                e += 1
            if e >= end:
                return np.array(offsets, dtype=np.int64), counts, False
            offsets.append(e + 1)
            counts[g] += 1
            s = e + 1
    return np.array(offsets, dtype=np.int64), counts, True


@njit(nogil=True, cache=True)
def sort_within_runs(group, value):  # pragma: no cover - compiled
    """
    Sort `value` in place within each run of equal `group` (sorted); no array is copied.

    Short runs (a candidate's few triangles) by insertion, long ones by numpy's sort.
    """
    start = 0
    n = len(group)
    for end in range(1, n + 1):
        if end < n and group[end] == group[start]:
            continue
        if end - start > 32:
            value[start:end] = np.sort(value[start:end])
        else:
            for i in range(start + 1, end):
                v = value[i]
                j = i - 1
                while j >= start and value[j] > v:
                    value[j + 1] = value[j]
                    j -= 1
                value[j + 1] = v
        start = end


@njit(nogil=True, cache=True)
def sum_by_pair(group, key, value):  # pragma: no cover - compiled
    """
    Sum `value` per (group, key) where `group` comes in runs (sorted); keys in first-seen order.

    Returns the groups, keys and sums of the distinct pairs.
    """
    out_g = np.empty(len(group), dtype=np.int64)
    out_k = np.empty(len(group), dtype=np.int64)
    out_v = np.empty(len(group))
    m = 0
    start = 0
    for i in range(len(group)):
        if i > 0 and group[i] != group[i - 1]:
            start = m  # a new run: its pairs begin here
        j = start
        while j < m and out_k[j] != key[i]:
            j += 1
        if j == m:
            out_g[m] = group[i]
            out_k[m] = key[i]
            out_v[m] = 0.0
            m += 1
        out_v[j] += value[i]
    return out_g[:m], out_k[:m], out_v[:m]
