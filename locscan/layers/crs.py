"""The CRS of a layer: the source's or the catalogue's, and whether the coordinates fit it."""

from __future__ import annotations

import functools
import warnings

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError

from locscan.errors import LayerError
from locscan.layers.catalogue import LayerEntry
from locscan.layers.read import where

__all__ = ["flatten", "layer_crs", "misfit"]


#: where RD New (EPSG:28992) coordinates of the Netherlands lie, in metres
_RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
#: where the Netherlands lies in degrees longitude/latitude
_NL_DEGREES = (3.0, 50.5, 7.5, 54.0)


def _inside(bounds: tuple, box: tuple) -> bool:
    x0, y0, x1, y1 = bounds
    return box[0] <= x0 and box[1] <= y0 and x1 <= box[2] and y1 <= box[3]


@functools.lru_cache(maxsize=32)
def _to_degrees(wkt: str) -> Transformer:
    """
    The transformation to longitude/latitude, made once per CRS.

    Making one takes ~20 ms, which a scan in parts would pay for every layer of every part.
    """
    return Transformer.from_crs(CRS.from_wkt(wkt), "EPSG:4326", always_xy=True)


def misfit(bounds: tuple, crs: CRS) -> str | None:
    """Why coordinates with these `bounds` cannot be in `crs`, or ``None`` when they can."""
    area = crs.area_of_use
    if area is None or not all(np.isfinite(bounds)):
        return None
    if crs.is_projected and _inside(bounds, _NL_DEGREES):  # metres within 10 m of the origin?
        x0, y0, x1, y1 = bounds
        return (f"coordinates run x {x0:,.6g} to {x1:,.6g}, y {y0:,.6g} to {y1:,.6g}, which "
                f"look like degrees longitude/latitude (WGS84, EPSG:4326), not the metres of "
                f"{crs.to_string()}. State the right CRS with 'crs:' in the catalogue, or fix "
                "the source")
    try:
        lon0, lat0, lon1, lat1 = _to_degrees(crs.to_wkt()).transform_bounds(*bounds)
    except ProjError:
        lon0 = lat0 = lon1 = lat1 = float("inf")
    # generous: this catches metres read as degrees (and the reverse) and labels that are far
    # off; a layer in the wrong place nearby is caught by the region (Region.layer)
    margin = 10.0
    fits = _inside((lon0, lat0, lon1, lat1), (area.west - margin, area.south - margin,
                                              area.east + margin, area.north + margin))
    if fits:
        return None
    x0, y0, x1, y1 = bounds
    text = f"coordinates run x {x0:,.6g} to {x1:,.6g}, y {y0:,.6g} to {y1:,.6g}"
    if _inside(bounds, _RD_BOUNDS):
        text += ", which look like RD New metres (EPSG:28992)"
    elif _inside(bounds, _NL_DEGREES):
        text += ", which look like degrees longitude/latitude (WGS84, EPSG:4326)"
    return (f"{text}; they do not lie where {crs.to_string()} is used ({area.name}). "
            "State the right CRS with 'crs:' in the catalogue, or fix the source")


def layer_crs(name: str, entry: LayerEntry, source_crs: str | None, source: str,
               bounds: tuple) -> CRS:
    """
    The CRS of the layer: the source's, or the catalogue's when the source has none.

    A catalogue ``crs:`` that differs from the source's is an error, unless the coordinates do
    not fit the source's CRS and do fit the catalogue's (a mislabelled source, such as a
    GeoJSON file in RD New without a ``crs`` member, which GDAL reads as WGS84). Coordinates
    that do not fit the CRS at all are an error that says what they look like.
    """
    declared = CRS.from_user_input(entry.crs) if entry.crs else None
    if source_crs is None:
        if declared is None:
            raise LayerError(
                f"{where(name, source)}: the source has no CRS; state it with 'crs:' in the "
                "catalogue (for RD New: crs: EPSG:28992)"
            )
        crs = declared
    else:
        crs = CRS.from_user_input(source_crs)
        if declared is not None and not crs.equals(declared):
            if misfit(bounds, crs) and not misfit(bounds, declared):
                warnings.warn(f"{where(name, source)}: the source says {crs.to_string()}, but "
                              f"its coordinates fit the catalogue's crs {entry.crs}; read as "
                              f"{entry.crs}", stacklevel=3)
                return declared
            raise LayerError(
                f"{where(name, source)}: the catalogue says crs {entry.crs} but the source "
                f"says {crs.to_string()}; remove 'crs:' from the catalogue or fix the source"
            )
    problem = misfit(bounds, crs)
    if problem:
        raise LayerError(f"{where(name, source)}: {problem}")
    return crs


def flatten(name: str, gdf: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    """Drop Z and M values (heights and measures play no part in a location scan), with a note."""
    geoms = gdf.geometry.to_numpy()
    has_m = getattr(shapely, "has_m", None)
    extra = shapely.has_z(geoms) | (has_m(geoms) if has_m else False)
    if not extra.any():
        return gdf
    warnings.warn(f"{where(name, source)}: dropped Z/M values of {int(extra.sum())} "
                  "geometries (only x and y are used)", stacklevel=3)
    return gdf.set_geometry(gpd.GeoSeries(shapely.force_2d(geoms), index=gdf.index,
                                          crs=gdf.crs))

