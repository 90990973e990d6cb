"""Write result tables to GeoJSON (RFC 7946, WGS84), GeoPackage (EPSG:28992), CSV or Excel.

The format follows the file's suffix (:data:`FORMATS`); an unknown suffix is an error, never a
guess. Lists are written as text, joined with ``; ``.
"""

from __future__ import annotations

import json
import os
import tempfile
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from locscan import __version__, atomic, nl, rdnap, settings
from locscan.criteria import Criteria
from locscan.errors import ExportError
from locscan.layers import LayerEntry, is_local, resolve_sources
from locscan.pull.sources import PROVENANCE_FILE
from locscan.region import Region

__all__ = [
    "DUTCH_COLUMNS", "FORMATS", "Format", "check_output", "dutch_headers", "neutralise",
    "provenance",
    "scan_provenance", "to_bytes", "write",
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
    """
    The table as written: the index as a column, lists joined, text columns typed as text.

    So a column's field type follows the schema, not the data: an all-empty text column stays
    a String field, in every format.
    """
    out = gdf.reset_index()
    for col in out.columns:
        if col == out.geometry.name:
            continue
        values = out[col]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object).where(values.notna(), None)
        if values.dtype == object:
            nested = values.map(lambda v: isinstance(v, list | tuple | set))
            if nested.any():
                joined = values[nested].map(lambda v: "; ".join(map(str, v)))
                values = values.where(~nested, joined)
            if values.map(lambda v: v is None or isinstance(v, str) or v != v).all():
                values = values.astype("string")
        out[col] = values
    return out


def write(
    gdf: gpd.GeoDataFrame,
    path: str | os.PathLike,
    *,
    layer: str = "longlist",
    description: str = "",
    metadata: dict[str, str] | None = None,
    labels: dict[str, str] | None = None,
    protect: Iterable[str | os.PathLike] = (),
) -> Path:
    """
    Write `gdf` to `path` in the format its suffix names, whole or not at all.

    The file is written next to `path` and renamed into place when complete, so an
    interrupted export leaves the previous file as it was. Text cells that a spreadsheet
    would run as a formula are neutralised in CSV and Excel (see :func:`neutralise`).

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
    protect
        Files that must never be overwritten (the region's own inputs).

    Raises
    ------
    ExportError
        When the suffix is not a known format, the folder does not exist, the path is a
        folder or one of `protect`, or the place cannot be written.
    """
    path = Path(path)
    fmt = check_output(path, protect)
    out = _storable(rdnap.to_crs(gdf, settings.crs) if gdf.crs else gdf)
    try:
        with atomic.replacing(path) as tmp:
            if fmt.driver is None:
                table = neutralise(_with_points(out))
                if path.suffix.lower() == ".csv":
                    table = table.assign(**{f"herkomst_{k}": v
                                            for k, v in neutralise_values(metadata).items()})
                    # as Dutch Excel reads it: semicolons, decimal comma, UTF-8 with a BOM
                    table.to_csv(tmp, index=False, sep=";", decimal=",", encoding="utf-8-sig")
                else:
                    _write_excel(table, tmp, description, metadata or {}, labels or {})
            else:
                _write_gdal(out, tmp, fmt, layer, description, metadata)
    except OSError as exc:
        raise ExportError(f"output {path}: cannot be written ({exc.strerror or exc})") from exc
    return path


def check_output(path: Path, protect: Iterable[str | os.PathLike] = ()) -> Format:
    """
    The format of an output path, after checking that it may be written; one clear error if not.

    Raises
    ------
    ExportError
        Unknown suffix, missing folder, a folder as path, a protected input file, or a folder
        that cannot be written.
    """
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise ExportError(
            f"output {path}: unknown format {path.suffix!r}; use one of {', '.join(FORMATS)}"
        )
    if path.is_dir():
        raise ExportError(f"output {path}: is a folder; give a file name such as "
                          f"{path / ('longlist' + path.suffix)}")
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"output {path}: folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"output {path}: no permission to write in folder {folder}")
    if path.exists():
        for other in protect:
            if Path(other).exists() and os.path.samefile(path, other):
                raise ExportError(f"output {path}: is one of the region's own input files; "
                                  "it is never overwritten. Choose another name")
    return fmt


def _field_type(values: pd.Series) -> str:
    """The field type of a column as a GIS reads it: String, Integer, Real, Boolean, DateTime."""
    if pd.api.types.is_bool_dtype(values):
        return "Boolean"
    if pd.api.types.is_integer_dtype(values):
        return "Integer"
    if pd.api.types.is_float_dtype(values):
        return "Real"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "DateTime"
    return "String"


def _write_gdal(out: gpd.GeoDataFrame, path: Path, fmt: Format, layer: str, description: str,
                metadata: dict[str, str] | None) -> None:
    out = rdnap.to_crs(out, fmt.crs)
    options = dict(fmt.options)
    if description:
        options["DESCRIPTION"] = description
    dataset: dict[str, str] = {}
    if fmt.driver == "GPKG":
        dataset["VERSION"] = "1.2"  # GDAL 3.6 and QGIS 3.22-era installs read 1.2 cleanly
        if description:
            options["IDENTIFIER"] = description[:250]
    if fmt.driver == "GeoJSON":  # RFC 7946 has no schema: say the fields, also when empty
        fields = {c: _field_type(out[c]) for c in out.columns if c != out.geometry.name}
        members = {"locscan_fields": fields}
        if metadata:
            members["locscan_provenance"] = metadata
        options["FOREIGN_MEMBERS_COLLECTION"] = json.dumps(members)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.write_dataframe(
            out, path, layer=layer, driver=fmt.driver, layer_options=options,
            dataset_options=dataset or None,
            layer_metadata=metadata if fmt.driver == "GPKG" else None,
            promote_to_multi=True,
        )


#: first characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def neutralise_values(values: dict[str, str] | None) -> dict[str, str]:
    """:func:`neutralise` for a mapping of texts (provenance)."""
    return {k: _safe_text(v) for k, v in (values or {}).items()}


def _safe_text(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise(table: pd.DataFrame) -> pd.DataFrame:
    """
    The table with every text cell (and header) that a spreadsheet would run made inert.

    As OWASP describes for CSV injection: a text that starts with ``=``, ``+``, ``-``, ``@``,
    a tab or a line break gets a leading single quote, so Excel and LibreOffice show it as
    text. Numbers stay numbers.

    Examples
    --------
    >>> neutralise(pd.DataFrame({"id": ["=1+2", "p1"], "n": [-1, 2]}))
         id  n
    0  '=1+2 -1
    1    p1  2
    """
    out = table.rename(columns=lambda c: _safe_text(str(c)))
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(_safe_text)
    return out


def _with_points(out: gpd.GeoDataFrame) -> pd.DataFrame:
    points = gpd.GeoSeries(shapely.point_on_surface(out.geometry.to_numpy()), crs=out.crs)
    wgs = rdnap.to_crs(points, settings.geojson_crs)
    table = pd.DataFrame(out.drop(columns=out.geometry.name))
    return table.assign(x_rd=points.x.round(2).to_numpy(), y_rd=points.y.round(2).to_numpy(),
                        lon=wgs.x.round(7).to_numpy(), lat=wgs.y.round(7).to_numpy())


def dutch_headers(columns: list[str], labels: dict[str, str]) -> list[str]:
    """
    Dutch column headers, each once: the export's names, then `labels`, else the field name.

    Examples
    --------
    >>> dutch_headers(["gemeente", "x", "y"], {"x": "gemeente", "y": "Afstand (m)"})
    ['gemeente', 'gemeente (2)', 'Afstand (m)']
    """
    names = DUTCH_COLUMNS | labels
    out: list[str] = []
    for col in columns:
        name = names.get(col, col)
        base, n = name, 1
        while name in out:
            n += 1
            name = f"{base} ({n})"
        out.append(name)
    return out


def _write_excel(table: pd.DataFrame, path: Path, description: str, metadata: dict,
                 labels: dict[str, str]) -> None:
    headers = dutch_headers(list(table.columns), labels)
    sheet = table.copy()
    for col in sheet.columns:
        if isinstance(sheet[col].dtype, pd.DatetimeTZDtype):  # Excel has no time zones
            sheet[col] = sheet[col].dt.tz_convert("Europe/Amsterdam").dt.tz_localize(None)
        elif pd.api.types.is_float_dtype(sheet[col]) and col not in ("lon", "lat"):
            sheet[col] = sheet[col].round(2)  # no 13-decimal values
    sheet.columns = headers
    sheet = neutralise(sheet)
    legend = neutralise(pd.DataFrame({"kolom": headers, "veld (GeoPackage, GeoJSON, CSV)":
                                      list(table.columns)}))
    about = neutralise(pd.DataFrame({"gegeven": ["omschrijving", *metadata],
                                     "waarde": [description, *metadata.values()]}))
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        sheet.to_excel(writer, sheet_name="Locaties", index=False)
        legend.to_excel(writer, sheet_name="Toelichting", index=False)
        about.to_excel(writer, sheet_name="Herkomst", index=False)


def to_bytes(gdf: gpd.GeoDataFrame, suffix: str, **kwargs: object) -> bytes:
    """
    The bytes of :func:`write` for a download button (formats need a real file).

    Examples
    --------
    >>> from shapely import box
    >>> frame = gpd.GeoDataFrame({"a": [1]}, geometry=[box(0, 0, 1, 1)], crs=28992)
    >>> to_bytes(frame, ".csv").decode("utf-8-sig").splitlines()[0]
    'index;a;x_rd;y_rd;lon;lat'
    """
    with tempfile.TemporaryDirectory() as folder:
        path = write(gdf, Path(folder) / f"export{suffix}", **kwargs)
        return path.read_bytes()


def _layer_date(region: Region, name: str, pulled: dict) -> str:
    """A layer's data date: its catalogue ``date``, else when it was pulled, else its file's."""
    entry = region.catalogue.layers[name]
    if entry.date:
        return entry.date
    if name in pulled and pulled[name].get("retrieved"):
        return str(pulled[name]["retrieved"])[:10]
    files = [Path(f) for f in resolve_sources(entry, region.folder) if Path(f).exists()]
    if is_local(entry.source) and files:
        newest = max(f.stat().st_mtime for f in files)
        return datetime.fromtimestamp(newest, UTC).date().isoformat() + " (bestandsdatum)"
    return "onbekend"


def _source_text(entry: LayerEntry) -> str:
    """Where a layer comes from, without local paths (a file is named, a service shown)."""
    shown = entry.description or (Path(entry.source).name if is_local(entry.source)
                                  else entry.source)
    return (shown + (f" ({entry.license})" if entry.license else "")
            + (f", {entry.attribution}" if entry.attribution else ""))


def scan_provenance(region: Region, crit: Criteria, **extra: object) -> dict[str, str]:
    """
    Provenance of a scan: region, each layer's source and date, criteria name, version, hash.

    Local files are named, never given with their path.
    """
    pulled_file = region.folder / PROVENANCE_FILE
    try:
        pulled = json.loads(pulled_file.read_text(encoding="utf-8")) if (
            pulled_file.is_file()) else {}
    except (OSError, ValueError):
        pulled = {}
    layers = region.catalogue.layers
    sources = "; ".join(f"{name}: {_source_text(entry)}" for name, entry in layers.items())
    dates = "; ".join(f"{name}: {_layer_date(region, name, pulled)}" for name in layers)
    return provenance(
        region=region.meta.label, demo=region.meta.demo, criteria=crit.name,
        criteria_version=crit.version, criteria_hash=crit.digest(), data_sources=sources,
        data_dates=dates, **extra,
    )
