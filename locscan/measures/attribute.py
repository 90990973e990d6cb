"""Measure kinds that read the candidate itself: one of its attributes, and its area."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import shapely

from locscan.errors import MeasureError
from locscan.measures._common import _frame, _geoms

__all__ = ["area", "attribute"]


def attribute(candidates: gpd.GeoDataFrame, *, field: str) -> pd.DataFrame:
    """
    The candidate's own attribute `field` (for example ``ownership`` of a parcel).

    Candidates from a layer without the field get a missing value (unknown).

    Examples
    --------
    >>> from shapely import box
    >>> cands = gpd.GeoDataFrame({"ownership": ["gemeente", None]},
    ...                          geometry=[box(0, 0, 1, 1), box(2, 0, 3, 1)], crs=28992)
    >>> attribute(cands, field="ownership")["value"].tolist()
    ['gemeente', nan]
    """
    if field not in candidates.columns:
        found = ", ".join(c for c in candidates.columns if c != candidates.geometry.name)
        raise MeasureError(f"candidates have no attribute {field!r}; found: {found}")
    return _frame(candidates, value=candidates[field].to_numpy())


def area(candidates: gpd.GeoDataFrame) -> pd.DataFrame:
    """
    Area of each candidate in m².

    Examples
    --------
    >>> from shapely import box
    >>> area(gpd.GeoDataFrame(geometry=[box(0, 0, 50, 60)], crs=28992))["value"].tolist()
    [3000.0]
    """
    return _frame(candidates, value=shapely.area(_geoms(candidates)))
