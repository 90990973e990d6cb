"""Write result tables to GeoJSON (RFC 7946, WGS84), GeoPackage (EPSG:28992), CSV or Excel.

The format follows the file's suffix (:data:`FORMATS`); an unknown suffix is an error, never a
guess. Lists are written as text, joined with ``; ``.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from locscan import __version__, nl, rdnap, settings
from locscan.criteria import Criteria
from locscan.errors import ExportError
from locscan.region import Region

__all__ = [
    "DUTCH_COLUMNS", "FORMATS", "Format", "provenance", "scan_provenance", "to_bytes", "write",
]


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
    ".xlsx": Format(None, "EPSG:28992", {}),
}

#: Dutch column names for the bestuurders' spreadsheet (other columns keep their name)
DUTCH_COLUMNS = nl.EXPORT_COLUMNS


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
    labels: dict[str, str] | None = None,
) -> Path:
    """
    Write `gdf` to `path` in the format its suffix names.

    Parameters
    ----------
    gdf
        Table with geometry in EPSG:28992; its index is written as a column.
    path
        Output file: ``.geojson`` (WGS84, RFC 7946), ``.gpkg`` (RD New), ``.csv`` or ``.xlsx``
        (no geometry; the representative point as ``x_rd``, ``y_rd``, ``lon``, ``lat``).
    layer
        Layer name in a GeoPackage.
    description
        Layer description (GeoPackage and GeoJSON).
    metadata
        Key-value provenance: layer metadata in a GeoPackage, a ``locscan_provenance`` member
        in GeoJSON, ``herkomst_*`` columns in CSV, a sheet "Herkomst" in Excel.
    labels
        Extra Dutch column names for Excel (e.g. measure labels), on top of
        :data:`DUTCH_COLUMNS`.

    Raises
    ------
    LocscanError
        When the suffix is not a known format.
    """
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(
            f"output {path}: unknown format {path.suffix!r}; use one of {', '.join(FORMATS)}"
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    out = _storable(rdnap.to_crs(gdf, settings.crs) if gdf.crs else gdf)
    if fmt.driver is None:
        table = _with_points(out)
        if path.suffix.lower() == ".csv":
            table = table.assign(**{f"herkomst_{k}": v for k, v in (metadata or {}).items()})
            table.to_csv(path, index=False, encoding="utf-8")
        else:
            _write_excel(table, path, description, metadata or {}, labels or {})
        return path
    out = rdnap.to_crs(out, fmt.crs)
    options = dict(fmt.options)
    if description:
        options["DESCRIPTION"] = description
    if metadata and fmt.driver == "GeoJSON":
        options["FOREIGN_MEMBERS_COLLECTION"] = json.dumps({"locscan_provenance": metadata})
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


def _with_points(out: gpd.GeoDataFrame) -> pd.DataFrame:
    points = gpd.GeoSeries(shapely.point_on_surface(out.geometry.to_numpy()), crs=out.crs)
    wgs = rdnap.to_crs(points, settings.geojson_crs)
    table = pd.DataFrame(out.drop(columns=out.geometry.name))
    return table.assign(x_rd=points.x.round(2).to_numpy(), y_rd=points.y.round(2).to_numpy(),
                        lon=wgs.x.round(7).to_numpy(), lat=wgs.y.round(7).to_numpy())


def _write_excel(table: pd.DataFrame, path: Path, description: str, metadata: dict,
                 labels: dict[str, str]) -> None:
    names = DUTCH_COLUMNS | labels
    sheet = table.rename(columns=lambda c: names.get(c, c))
    for col in sheet.columns:  # Excel has no time zones
        if isinstance(sheet[col].dtype, pd.DatetimeTZDtype):
            sheet[col] = sheet[col].dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)
    about = pd.DataFrame({"gegeven": ["omschrijving", *metadata],
                          "waarde": [description, *metadata.values()]})
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        sheet.to_excel(writer, sheet_name="Locaties", index=False)
        about.to_excel(writer, sheet_name="Herkomst", index=False)


def to_bytes(gdf: gpd.GeoDataFrame, suffix: str, **kwargs: object) -> bytes:
    """
    The bytes of :func:`write` for a download button (formats need a real file).

    Examples
    --------
    >>> from shapely import box
    >>> frame = gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 1, 1)], crs=28992)
    >>> to_bytes(frame, ".csv").decode().splitlines()[0]
    'index,a,x_rd,y_rd,lon,lat'
    """
    with tempfile.TemporaryDirectory() as folder:
        path = write(gdf, Path(folder) / f"export{suffix}", **kwargs)
        return path.read_bytes()


def scan_provenance(region: Region, crit: Criteria, **extra: object) -> dict[str, str]:
    """Provenance of a scan: region and its layers' sources, criteria name/version/hash."""
    sources = "; ".join(
        f"{name}: {entry.description or entry.source}"
        + (f" ({entry.license})" if entry.license else "")
        + (f", {entry.attribution}" if entry.attribution else "")
        for name, entry in region.catalogue.layers.items()
    )
    stamp = max(
        (os.stat(p).st_mtime for p in region.folder.glob("*") if p.is_file()), default=None
    )
    data_date = datetime.fromtimestamp(stamp, UTC).date().isoformat() if stamp else "onbekend"
    return provenance(
        region=region.meta.label, demo=region.meta.demo, criteria=crit.name,
        criteria_version=crit.version, criteria_hash=crit.digest(), data_sources=sources,
        data_date=data_date, **extra,
    )
