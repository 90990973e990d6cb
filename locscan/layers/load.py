"""Reading one layer: open the source, map the fields, reproject, repair and check it."""

from __future__ import annotations

import fnmatch
import json
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import ProjError

from locscan import rdnap, settings
from locscan.errors import LayerError
from locscan.layers.catalogue import ROLES, LayerEntry, Role, is_local, resolve_source

__all__ = ["LoadReport", "classify", "load_layer"]

_FAMILY = {0: "point", 4: "point", 1: "line", 2: "line", 5: "line", 3: "polygon", 6: "polygon"}


@dataclass
class LoadReport:
    """What happened while loading one layer, for logs and provenance.

    Attributes
    ----------
    layer, source
        Layer name and where it was read from.
    features
        Features read from the source.
    dropped_empty
        Features dropped because their geometry was empty or missing.
    repaired
        Row labels (ids when the role has them) of geometries made valid.
    reprojected_from
        The source CRS when the layer was reprojected, else ``None``.
    non_numeric
        Per numeric attribute, how many values were not numbers and became unknown.
    negative
        Per numeric attribute, how many values were negative and became unknown.
    unclassified
        Per attribute with ``classes``, the distinct values no pattern matched.
    """

    layer: str
    source: str
    features: int = 0
    dropped_empty: int = 0
    repaired: list[Any] = field(default_factory=list)
    reprojected_from: str | None = None
    non_numeric: dict[str, int] = field(default_factory=dict)
    negative: dict[str, int] = field(default_factory=dict)
    unclassified: dict[str, list] = field(default_factory=dict)


def _where(name: str, source: str) -> str:
    return f"layer {name!r} ({source})"


def _read_info(name: str, entry: LayerEntry, source: str) -> dict:
    if is_local(entry.source) and not os.path.exists(source):
        raise LayerError(f"{_where(name, source)}: file not found")
    try:
        layers = pyogrio.list_layers(source)
    except pyogrio.errors.DataSourceError as exc:
        raise LayerError(f"{_where(name, source)}: GDAL cannot open it: {exc}") from exc
    available = [str(n) for n in layers[:, 0]]
    if entry.layer is None and len(available) > 1:
        raise LayerError(
            f"{_where(name, source)}: the source holds {len(available)} layers "
            f"({', '.join(available)}); name one with 'layer:' in the catalogue"
        )
    if entry.layer is not None and entry.layer not in available:
        raise LayerError(
            f"{_where(name, source)}: no layer {entry.layer!r} in the source; "
            f"found: {', '.join(available)}"
        )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyogrio.read_info(source, layer=entry.layer)


_PARQUET = {".parquet", ".geoparquet"}


def _parquet_geometry(source: str) -> str:
    meta = pq.read_schema(source).metadata or {}
    geo = json.loads(meta.get(b"geo", b"{}"))
    return geo.get("primary_column", "geometry")


def _parquet_info(name: str, entry: LayerEntry, source: str) -> tuple[list[str], str | None]:
    """Fields and CRS of a GeoParquet file (GDAL here is built without the Parquet driver)."""
    if not os.path.exists(source):
        raise LayerError(f"{_where(name, source)}: file not found")
    if entry.where:
        raise LayerError(f"{_where(name, source)}: 'where' is not supported for GeoParquet")
    try:
        schema = pq.read_schema(source)
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError for broken files
        raise LayerError(f"{_where(name, source)}: not a Parquet file: {exc}") from exc
    geo = json.loads((schema.metadata or {}).get(b"geo", b"null") or "null")
    if not geo:
        raise LayerError(f"{_where(name, source)}: a Parquet file without GeoParquet metadata")
    column = geo.get("primary_column", "geometry")
    crs = geo.get("columns", {}).get(column, {}).get("crs", "OGC:CRS84")
    if isinstance(crs, dict):
        crs = json.dumps(crs)
    return [f for f in schema.names if f != column], crs


def _read_gdal(source: str, entry: LayerEntry, columns: list[str]) -> gpd.GeoDataFrame:
    """Read through GDAL with Arrow; curved geometries (GML arcs) are linearised by GDAL."""
    kwargs = {"layer": entry.layer, "columns": columns, "where": entry.where}
    try:
        return pyogrio.read_dataframe(source, use_arrow=True, **kwargs)
    except NotImplementedError:  # Arrow reading refuses curves; the classic path linearises
        return pyogrio.read_dataframe(source, use_arrow=False, **kwargs)


def _field_map(name: str, entry: LayerEntry, role: Role, found: list[str], source: str) -> dict:
    """Map source field -> locscan attribute; raise once listing every missing field."""
    wanted = dict.fromkeys(role.required) | {k: None for k in entry.fields}
    mapping, missing = {}, []
    for attr in wanted:
        src = entry.fields.get(attr, attr)
        if src in found:
            mapping[src] = attr
        elif attr in role.required or attr in entry.fields:
            mapped = f" (mapped from {src!r})" if src != attr else ""
            missing.append(f"field {attr!r}{mapped} missing")
    if missing:
        raise LayerError(
            f"{_where(name, source)}: {'; '.join(missing)}; found: {', '.join(found) or 'none'}"
            + ("; map it with 'fields:' in the catalogue" if role.required else "")
        )
    return mapping


#: where RD New (EPSG:28992) coordinates of the Netherlands lie, in metres
_RD_BOUNDS = (-7_000.0, 289_000.0, 300_000.0, 629_000.0)
#: where the Netherlands lies in degrees longitude/latitude
_NL_DEGREES = (3.0, 50.5, 7.5, 54.0)


def _inside(bounds: tuple, box: tuple) -> bool:
    x0, y0, x1, y1 = bounds
    return box[0] <= x0 and box[1] <= y0 and x1 <= box[2] and y1 <= box[3]


def _misfit(bounds: tuple, crs: CRS) -> str | None:
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
        to_degrees = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
        lon0, lat0, lon1, lat1 = to_degrees.transform_bounds(*bounds)
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


def _layer_crs(name: str, entry: LayerEntry, source_crs: str | None, source: str,
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
                f"{_where(name, source)}: the source has no CRS; state it with 'crs:' in the "
                "catalogue (for RD New: crs: EPSG:28992)"
            )
        crs = declared
    else:
        crs = CRS.from_user_input(source_crs)
        if declared is not None and not crs.equals(declared):
            if _misfit(bounds, crs) and not _misfit(bounds, declared):
                warnings.warn(f"{_where(name, source)}: the source says {crs.to_string()}, but "
                              f"its coordinates fit the catalogue's crs {entry.crs}; read as "
                              f"{entry.crs}", stacklevel=3)
                return declared
            raise LayerError(
                f"{_where(name, source)}: the catalogue says crs {entry.crs} but the source "
                f"says {crs.to_string()}; remove 'crs:' from the catalogue or fix the source"
            )
    problem = _misfit(bounds, crs)
    if problem:
        raise LayerError(f"{_where(name, source)}: {problem}")
    return crs


def _flatten(name: str, gdf: gpd.GeoDataFrame, source: str) -> gpd.GeoDataFrame:
    """Drop Z and M values (heights and measures play no part in a location scan), with a note."""
    geoms = gdf.geometry.to_numpy()
    has_m = getattr(shapely, "has_m", None)
    extra = shapely.has_z(geoms) | (has_m(geoms) if has_m else False)
    if not extra.any():
        return gdf
    warnings.warn(f"{_where(name, source)}: dropped Z/M values of {int(extra.sum())} "
                  "geometries (only x and y are used)", stacklevel=3)
    return gdf.set_geometry(gpd.GeoSeries(shapely.force_2d(geoms), index=gdf.index,
                                          crs=gdf.crs))


def _check_geometry(
    name: str, gdf: gpd.GeoDataFrame, role: Role, report: LoadReport, source: str
) -> gpd.GeoDataFrame:
    geoms = gdf.geometry.to_numpy()
    empty = shapely.is_missing(geoms) | shapely.is_empty(geoms)
    if empty.any():
        report.dropped_empty = int(empty.sum())
        warnings.warn(
            f"{_where(name, source)}: dropped {report.dropped_empty} features with an empty or "
            "missing geometry",
            stacklevel=3,
        )
        gdf = gdf.loc[~empty]
        geoms = geoms[~empty]
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        fixed = shapely.make_valid(geoms[invalid], method="structure", keep_collapsed=False)
        geoms = geoms.copy()
        geoms[invalid] = fixed
        label = gdf[role.unique] if role.unique and role.unique in gdf else gdf.index.to_series()
        report.repaired = label[invalid].tolist()
        shown = ", ".join(map(str, report.repaired[:10]))
        warnings.warn(
            f"{_where(name, source)}: repaired {int(invalid.sum())} invalid geometries with "
            f"make_valid ({shown}{', ...' if invalid.sum() > 10 else ''})",
            stacklevel=3,
        )
        gdf = gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))
    families = pd.Series(shapely.get_type_id(geoms)).map(_FAMILY)
    wrong = families.isna() | ~families.isin(role.geometry)
    if wrong.any():
        kinds = sorted(set(shapely.get_type_id(geoms[wrong.to_numpy()]).tolist()))
        names = [shapely.GeometryType(k).name.title().replace("_", "") for k in kinds]
        raise LayerError(
            f"{_where(name, source)}: {int(wrong.sum())} features have geometry type "
            f"{', '.join(names)}; this role needs {' or '.join(role.geometry)}"
        )
    return gdf


def _check_attributes(
    name: str, gdf: gpd.GeoDataFrame, role: Role, report: LoadReport, source: str
) -> gpd.GeoDataFrame:
    for attr in role.numeric:
        if attr not in gdf:
            continue
        values = gdf[attr]
        numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        bad = values.notna() & numbers.isna()
        if bad.any():
            report.non_numeric[attr] = int(bad.sum())
            examples = ", ".join(repr(v) for v in values[bad].unique()[:5])
            warnings.warn(
                f"{_where(name, source)}: field {attr!r} has {int(bad.sum())} values that are "
                f"not numbers ({examples}); they count as unknown",
                stacklevel=3,
            )
        negative = numbers < 0
        if negative.any():
            report.negative[attr] = int(negative.sum())
            warnings.warn(
                f"{_where(name, source)}: field {attr!r} has {int(negative.sum())} negative "
                "values; a count cannot be negative, so they count as unknown",
                stacklevel=3,
            )
            numbers = numbers.mask(negative)
        gdf[attr] = numbers
    if role.unique and role.unique in gdf:
        key = gdf[role.unique]
        problems = []
        if key.isna().any():
            problems.append(f"{int(key.isna().sum())} features have no {role.unique!r}")
        dupes = key[key.duplicated() & key.notna()]
        if len(dupes):
            shown = ", ".join(map(str, dupes.unique()[:5]))
            problems.append(f"{len(dupes)} duplicate values of {role.unique!r} ({shown})")
        if problems:
            raise LayerError(f"{_where(name, source)}: {'; '.join(problems)}")
        gdf[role.unique] = key.astype(str)
    return gdf


def classify(values: pd.Series, patterns: dict[str, str]) -> tuple[pd.Series, list]:
    """
    Map source values to classes by shell-style patterns (case-insensitive, first match wins).

    Returns the mapped values (unmatched kept as they are) and the distinct unmatched values.

    Examples
    --------
    >>> out, rest = classify(pd.Series(["Wonen - 2", "Bedrijf - 1", "Water", None]),
    ...                      {"wonen*": "Wonen", "bedrijf*": "Bedrijventerrein"})
    >>> out.tolist(), rest
    (['Wonen', 'Bedrijventerrein', 'Water', None], ['Water'])
    """
    text = values.astype("string").str.casefold()
    out = values.astype(object).copy()
    done = pd.Series(False, index=values.index)
    for pattern, target in patterns.items():
        hit = text.str.match(fnmatch.translate(pattern.casefold())).fillna(False).astype(bool)
        hit &= ~done
        out[hit] = target
        done |= hit
    out[values.isna()] = None
    rest = sorted(values[~done & values.notna()].astype(str).unique().tolist())
    return out, rest


def load_layer(
    name: str, entry: LayerEntry, base_dir: str | os.PathLike, *, role: str | None = None
) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """
    Load one layer: read, map fields, reproject to EPSG:28992, repair and check.

    Parameters
    ----------
    name
        Layer name in the catalogue (used in messages).
    entry
        Its catalogue entry.
    base_dir
        Folder that relative sources are resolved against.
    role
        Role to check against; defaults to the entry's role or the layer name.

    Returns
    -------
    GeoDataFrame, LoadReport
        The layer in EPSG:28992 with the role's attribute names, and what was done to it.

    Raises
    ------
    LayerError
        When the file cannot be read, has no CRS, misses required fields, has geometries of the
        wrong type or duplicate ids. Every message names the layer and the file.
    """
    source = resolve_source(entry, base_dir)
    role_name = role or entry.role or (name if name in ROLES else "other")
    spec = ROLES[role_name]
    parquet = is_local(entry.source) and Path(source).suffix.lower() in _PARQUET
    if parquet:
        found, source_crs = _parquet_info(name, entry, source)
    else:
        info = _read_info(name, entry, source)
        found, source_crs = [str(f) for f in info["fields"]], info["crs"]
    mapping = _field_map(name, entry, spec, found, source)
    try:
        if parquet:
            gdf = gpd.read_parquet(source, columns=[*mapping, _parquet_geometry(source)])
        else:
            gdf = _read_gdal(source, entry, list(mapping))
    except Exception as exc:  # GDAL raises a range of errors for broken files and bad SQL
        raise LayerError(f"{_where(name, source)}: reading failed: {exc}") from exc
    report = LoadReport(layer=name, source=source, features=len(gdf))
    if gdf.empty and not spec.may_be_empty:
        raise LayerError(f"{_where(name, source)}: no features"
                         + (f" (after 'where: {entry.where}')" if entry.where else "")
                         + f"; a region needs its {spec.description}")
    gdf = gdf.rename(columns=mapping)
    crs = _layer_crs(name, entry, source_crs, source, tuple(gdf.total_bounds))
    gdf = _flatten(name, gdf.set_crs(crs, allow_override=True), source)
    if not crs.equals(CRS.from_user_input(settings.crs)):
        report.reprojected_from = crs.to_string()
        gdf = rdnap.to_crs(gdf, settings.crs)
    gdf = _check_geometry(name, gdf, spec, report, source)
    gdf = _check_attributes(name, gdf, spec, report, source)
    for attr, patterns in entry.classes.items():
        if attr not in gdf:
            raise LayerError(f"{_where(name, source)}: 'classes' names attribute {attr!r}, "
                             f"which the layer does not have; it has: "
                             f"{', '.join(c for c in gdf.columns if c != 'geometry')}")
        gdf[attr], report.unclassified[attr] = classify(gdf[attr], patterns)
        if report.unclassified[attr]:
            shown = ", ".join(map(repr, report.unclassified[attr][:5]))
            warnings.warn(f"{_where(name, source)}: values of {attr!r} that match no class "
                          f"pattern are kept as they are: {shown}", stacklevel=2)
    gdf = gdf.reset_index(drop=True)
    gdf.attrs["locscan_layer"] = name
    return gdf, report
