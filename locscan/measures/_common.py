"""Helpers the measure kinds share: the candidates' geometries, a result frame, a layer field."""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from locscan.errors import MeasureError


def _geoms(candidates: gpd.GeoDataFrame) -> np.ndarray:
    return candidates.geometry.to_numpy()


def _frame(candidates: gpd.GeoDataFrame, **columns: Any) -> pd.DataFrame:
    return pd.DataFrame(columns, index=candidates.index)


def _field(layer: gpd.GeoDataFrame, name: str) -> np.ndarray:
    if name not in layer.columns:
        found = ", ".join(c for c in layer.columns if c != layer.geometry.name)
        raise MeasureError(
            f"layer {layer.attrs.get('locscan_layer', '?')!r}: field {name!r} missing; "
            f"found: {found or 'none'}"
        )
    return layer[name].to_numpy()
