"""Where features lie: the municipality (gemeente) that holds each one."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = ["municipality_of"]


def municipality_of(geoms: gpd.GeoSeries, municipalities: gpd.GeoDataFrame) -> pd.Series:
    """
    Code of the municipality that holds each geometry's representative point.

    Parameters
    ----------
    geoms
        Geometries in EPSG:28992.
    municipalities
        Municipality polygons with a ``code`` column, same CRS.

    Returns
    -------
    Series
        Code per geometry, indexed like `geoms`; missing where no municipality holds it.

    Examples
    --------
    >>> from shapely import box
    >>> gm = gpd.GeoDataFrame({"code": ["GM1", "GM2"]},
    ...                       geometry=[box(0, 0, 10, 10), box(10, 0, 20, 10)], crs=28992)
    >>> parcels = gpd.GeoSeries([box(1, 1, 3, 3), box(12, 1, 19, 9), box(30, 0, 31, 1)],
    ...                         crs=28992)
    >>> municipality_of(parcels, gm).tolist()
    ['GM1', 'GM2', nan]
    """
    points = shapely.point_on_surface(geoms.to_numpy())
    tree = shapely.STRtree(municipalities.geometry.to_numpy())
    i_geom, i_mun = tree.query(points, predicate="intersects")
    first = np.unique(i_geom, return_index=True)[1]
    out = np.full(len(geoms), None, dtype=object)
    out[i_geom[first]] = municipalities["code"].to_numpy()[i_mun[first]]
    return pd.Series(out, index=geoms.index, name="gemeente_code")
