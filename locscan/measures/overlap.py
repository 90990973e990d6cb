"""Measure kinds by overlap: the share of a candidate in a layer, the class that covers most.

Intersection areas are exact for every polygon shape (:func:`locscan.measures.planar.
intersection_areas`: the layer cut into triangles, each candidate clipped by them), and depend
only on the features that meet a candidate, so a scan in parts gives the same values bit for bit.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locscan.measures._common import _field, _frame, _geoms
from locscan.measures.planar import covered_areas, intersection_areas

__all__ = ["dominant_attribute", "overlap_fraction"]


def overlap_fraction(candidates: gpd.GeoDataFrame, layer: gpd.GeoDataFrame) -> pd.DataFrame:
    """
    Share (0–1) of each candidate's area that lies inside the union of `layer`.

    Where features overlap each other, their common part is counted once.

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
        share = covered_areas(geoms, layer.geometry.to_numpy()) / shapely.area(geoms)
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
    >>> dominant_attribute(cands.iloc[1:], zoning, field="class").values.tolist()
    [[None, nan]]
    """
    classes = _field(layer, field)
    geoms = _geoms(candidates)
    value = np.full(len(candidates), None, dtype=object)
    share = np.full(len(candidates), np.nan)
    if len(layer):
        from locscan.measures import kernels  # compiled: loaded when first needed

        codes, names = pd.factorize(classes, sort=True)  # missing: -1
        with_class = np.flatnonzero(codes >= 0)
        i_c, i_l, area = intersection_areas(geoms, layer.geometry.to_numpy()[with_class])
        c, cls, total = kernels.sum_by_pair(i_c, codes[with_class][i_l].astype(np.int64), area)
        order = np.lexsort((cls, -total, c))  # per candidate: largest area, then first class
        # no pair at all when the layer covers another part of the map
        first = order[np.r_[np.ones(min(len(c), 1), bool), c[order][1:] != c[order][:-1]]]
        value[c[first]] = np.asarray(names)[cls[first]]
        share[c[first]] = total[first] / shapely.area(geoms[c[first]])
    return _frame(candidates, value=value, share=np.clip(share, 0.0, 1.0))
