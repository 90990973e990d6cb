"""Write result tables to GeoJSON (RFC 7946, WGS84), GeoPackage (EPSG:28992) or CSV.

The format follows the file's suffix (:data:`FORMATS`); an unknown suffix is an error, never a
guess. Lists are written as text, joined with ``; ``.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from locscan import __version__, settings
from locscan.errors import LocscanError

__all__ = ["FORMATS", "Format", "provenance", "write"]


@dataclass(frozen=True)
class Format:
    """An output format: GDAL driver (``None`` for CSV), CRS and layer creation options."""

    driver: str | None
    crs: str
    options: dict


FORMATS: dict[str, Format] = {
    ".geojson": Format("GeoJSON", "EPSG:4326", {"RFC7946": "YES", "WRITE_NAME": "NO"}),
    ".gpkg": Format("GPKG", "EPSG:28992", {}),
    ".csv": Format(None, "EPSG:28992", {}),
}


def provenance(**items: object) -> dict[str, str]:
    """
    Provenance of an export: the given items plus software version and export time.

    Examples
    --------
    >>> sorted(provenance(criteria="gmr"))
    ['criteria', 'export_time', 'software']
    """
    out = {k: str(v) for k, v in items.items()}
    out["software"] = f"locscan {__version__}"
    out["export_time"] = datetime.now(UTC).isoformat(timespec="seconds")
    return out


def _storable(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    out = gdf.reset_index()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        if out[col].dtype == object:
            values = out[col]
            nested = values.map(lambda v: isinstance(v, list | tuple | set))
            if nested.any():
                joined = values[nested].map(lambda v: "; ".join(map(str, v)))
                out[col] = values.where(~nested, joined)
    return out


def write(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike,
    *,
    layer: str = "longlist",
    description: str = "",
    metadata: dict[str, str] | None = None,
) -> Path:
    """
    Write `gdf` to `path` in the format its suffix names.

    Parameters
    ----------
    gdf
        Table with geometry in EPSG:28992; its index is written as a column.
    path
        Output file: ``.geojson`` (WGS84, RFC 7946), ``.gpkg`` (RD New) or ``.csv`` (no
        geometry; the representative point as ``x_rd``, ``y_rd``, ``lon``, ``lat``).
    layer
        Layer name in a GeoPackage.
    description
        Layer description (GeoPackage and GeoJSON).
    metadata
        Key-value provenance, stored as layer metadata in a GeoPackage.

    Raises
    ------
    LocscanError
        When the suffix is not a known format.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LocscanError(
            f"output {path}: unknown format {path.suffix!r}; use one of {', '.join(FORMATS)}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    out = _storable(gdf.to_crs(settings.crs) if gdf.crs else gdf)
    if fmt.driver is None:
        points = gpd.GeoSeries(shapely.point_on_surface(out.geometry.to_numpy()), crs=out.crs)
        wgs = points.to_crs(settings.geojson_crs)
        table = pd.DataFrame(out.drop(columns=out.geometry.name))
        table = table.assign(x_rd=points.x.round(2), y_rd=points.y.round(2),
                             lon=wgs.x.round(7), lat=wgs.y.round(7))
        table.to_csv(path, index=False, encoding="utf-8")
        return path
    out = out.to_crs(fmt.crs)
    options = dict(fmt.options)
    if description:
        options["DESCRIPTION"] = description
    if path.exists():
        path.unlink()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.write_dataframe(
            out, path, layer=layer, driver=fmt.driver, layer_options=options,
            layer_metadata=metadata if fmt.driver == "GPKG" else None,
            promote_to_multi=True,
        )
    return path
