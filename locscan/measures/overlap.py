"""Measure kinds by overlap: the share of a candidate in a layer, the class that covers most.

Intersections are exact; a GEOS overlay is done only for the pairs that need one (a target that
holds the candidate gives its whole area, two axis-aligned rectangles the overlap of their bounds).
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locscan.measures._common import _field, _frame, _geoms

__all__ = ["dominant_attribute", "overlap_fraction"]


def _axis_rectangles(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """
    Which geometries fill their bounding box (axis-aligned rectangles), and the bounds of all.

    A polygonal geometry whose area equals its bounding box's area covers that box, so its
    intersection with another such geometry is the overlap of the two boxes.
    """
    bounds = shapely.bounds(geoms)
    box_area = (bounds[:, 2] - bounds[:, 0]) * (bounds[:, 3] - bounds[:, 1])
    polygonal = np.isin(shapely.get_type_id(geoms), (3, 6))
    rect = polygonal & np.isclose(shapely.area(geoms), box_area, rtol=1e-9, atol=0)
    return rect, bounds


def _intersection_areas(
    geoms: np.ndarray, targets: np.ndarray, i_c: np.ndarray, i_t: np.ndarray
) -> np.ndarray:
    """
    Area of geoms[i_c] ∩ targets[i_t], doing exact overlays only where they are needed.

    A target that holds the geometry gives its whole area; two axis-aligned rectangles give the
    overlap of their bounds; only the other pairs go through a GEOS overlay.
    """
    shapely.prepare(targets)
    inside = shapely.contains_properly(targets[i_t], geoms[i_c])
    areas = shapely.area(geoms[i_c])
    g_rect, g_bounds = _axis_rectangles(geoms)
    t_rect, t_bounds = _axis_rectangles(targets)
    both = ~inside & g_rect[i_c] & t_rect[i_t]
    gb, tb = g_bounds[i_c[both]], t_bounds[i_t[both]]
    width = np.minimum(gb[:, 2], tb[:, 2]) - np.maximum(gb[:, 0], tb[:, 0])
    height = np.minimum(gb[:, 3], tb[:, 3]) - np.maximum(gb[:, 1], tb[:, 1])
    areas[both] = np.clip(width, 0, None) * np.clip(height, 0, None)
    rest = ~inside & ~both
    areas[rest] = shapely.area(shapely.intersection(geoms[i_c[rest]], targets[i_t[rest]]))
    return areas


def overlap_fraction(candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame) -> pd.DataFrame:
    """
    Share (0–1) of each candidate's area that lies inside the union of `layer`.

    The layer is dissolved first, so overlapping features are not counted twice.

    Examples
    --------
    >>> from shapely import box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(20, 0, 30, 10)], crs=28992)
    >>> cores = gpd.GeoDataFrame(geometry=[box(5, -5, 50, 50), box(6, -5, 50, 50)], crs=28992)
    >>> overlap_fraction(cands, cores)["value"].tolist()
    [0.5, 1.0]
    """
    geoms = _geoms(candidates)
    share = np.zeros(len(candidates))
    if len(layer):
        parts = shapely.get_parts(shapely.union_all(layer.geometry.to_numpy()))
        i_c, i_p = shapely.STRtree(parts).query(geoms, predicate="intersects")
        inter = _intersection_areas(geoms, parts, i_c, i_p)
        share = np.bincount(i_c, weights=inter, minlength=len(geoms)) / shapely.area(geoms)
    return _frame(candidates, value=np.clip(share, 0.0, 1.0))


def dominant_attribute(
    candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame, *, field: str
) -> pd.DataFrame:
    """
    The value of `field` that covers the largest part of each candidate, and its share.

    Candidates that no feature with a value covers get a missing value (unknown). Ties go to the
    value that sorts first.

    Examples
    --------
    >>> from shapely import box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 10, 10), box(100, 0, 110, 10)],
    ...                          crs=28992)
    >>> zoning = gpd.GeoDataFrame({"class": ["Wonen", "Agrarisch"]},
    ...     geometry=[box(0, 0, 6, 10), box(6, 0, 10, 10)], crs=28992)
    >>> dominant_attribute(cands, zoning, field="class").values.tolist()
    [['Wonen', 0.6], [nan, nan]]
    """
    classes = _field(layer, field)
    geoms = _geoms(candidates)
    value = np.full(len(candidates), None, dtype=object)
    share = np.full(len(candidates), np.nan)
    if len(layer):
        targets = layer.geometry.to_numpy()
        i_c, i_l = shapely.STRtree(targets).query(geoms, predicate="intersects")
        pairs = pd.DataFrame(
            {"c": i_c, "cls": classes[i_l], "a": _intersection_areas(geoms, targets, i_c, i_l)}
        )
        pairs = pairs[pairs["cls"].notna() & (pairs["a"] > 0)]
        best = (
            pairs.groupby(["c", "cls"], sort=True)["a"].sum().reset_index()
            .sort_values(["c", "a", "cls"], ascending=[True, False, True], kind="stable")
            .drop_duplicates("c")
        )
        c = best["c"].to_numpy()
        value[c] = best["cls"].to_numpy()
        share[c] = best["a"].to_numpy() / shapely.area(geoms[c])
    return _frame(candidates, value=value, share=np.clip(share, 0.0, 1.0))
