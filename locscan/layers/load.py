"""Reading one layer: open the source, map the fields, reproject, repair and check it."""

from __future__ import annotations

import fnmatch
import os
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from locscan import rdnap, settings
from locscan.errors import LayerError
from locscan.layers.boxes import may_meet, source_bbox
from locscan.layers.catalogue import (
    IMRO_CLASSES,
    ROLES,
    LayerEntry,
    Role,
    is_local,
    resolve_source,
    resolve_sources,
)
from locscan.layers.checks import (
    LoadReport,
    check_attributes,
    check_geometry,
    check_unique,
    history_warning,
)
from locscan.layers.crs import flatten, layer_crs
from locscan.layers.read import (
    PARQUET,
    parquet_info,
    read_gdal,
    read_gml_polygons,
    read_info,
    read_parquet,
    read_table,
    where,
    within_bbox,
)

__all__ = ["LoadReport", "classify", "load_layer"]

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
            f"{where(name, source)}: {'; '.join(missing)}; found: {', '.join(found) or 'none'}"
            + ("; map it with 'fields:' in the catalogue" if role.required else "")
        )
    return mapping


RESERVED = frozenset({"candidate_id", "source", "layer", "source_id", "gemeente_code",
                      "gemeente", "subregio", "area_m2", "status", "score", "rank", "rule",
                      "reasons", "capacity", "planned", "parking", "needs_manager"})


def _kept(gdf: gpd.GeoDataFrame, mapping: dict[str, str]) -> gpd.GeoDataFrame:
    """
    The mapped fields under their locscan names, and every other source field as it is.

    Kept for exports and "why"; renamed ``bron_<name>`` where it would clash with a name
    locscan gives a column itself.
    """
    geometry = gdf.geometry.name
    targets = set(mapping.values())
    rename = {}
    for col in gdf.columns:
        if col == geometry:
            continue
        if col in mapping:
            rename[col] = mapping[col]
        elif col in targets or col in RESERVED:
            rename[col] = f"bron_{col}"
    return gdf.rename(columns=rename)


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


#: status words of objects that do not stand (any more, or yet), as registers such as BAG use
def _label_points_of_gml(gdf: gpd.GeoDataFrame, spec: Role, source: str) -> int:
    """
    How many features of a GML layer whose role takes polygons came out as points.

    BRK shows each object's label point first; 0 for other sources.
    """
    if "polygon" not in spec.geometry or Path(source).suffix.lower() not in (".gml", ".xml"):
        return 0
    return int(np.count_nonzero(shapely.get_type_id(gdf.geometry.to_numpy()) == 0))


def _with_polygons_behind(gdf: gpd.GeoDataFrame, spec: Role, source: str,
                          entry: LayerEntry) -> tuple[gpd.GeoDataFrame, int]:
    """
    Each feature's polygon where GDAL showed its label point, and how many were replaced.

    A role that takes points keeps a point that has no polygon behind it; a polygon role
    gets the polygons only (all of them: the file is read again).
    """
    polygons = read_gml_polygons(source, entry)
    behind = shapely.is_geometry(polygons.geometry.to_numpy())
    if spec.geometry == ("polygon",) or len(polygons) != len(gdf):
        return polygons, int(behind.sum())
    points = shapely.get_type_id(gdf.geometry.to_numpy()) == 0
    swap = behind & points
    geoms = gdf.geometry.to_numpy().copy()
    geoms[swap] = polygons.geometry.to_numpy()[swap]
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs)), int(swap.sum())


def load_layer(
    name: str, entry: LayerEntry, base_dir: str | os.PathLike, *, role: str | None = None,
    bbox: tuple[float, float, float, float] | None = None,
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
    bbox
        Only the features whose extent meets this box (EPSG:28992), in the layer's order: the
        part of a layer that one part of a scan needs. Through the source's spatial index
        where it has one.

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
    files = resolve_sources(entry, base_dir)
    if files != [source]:
        return _load_files(name, entry, base_dir, files, role=role, bbox=bbox)
    return _load_one(name, entry, base_dir, role=role, bbox=bbox, whole=bbox is None)


def _empty_error(name: str, entry: LayerEntry, spec: Role, source: str) -> LayerError:
    return LayerError(f"{where(name, source)}: no features"
                      + (f" (after 'where: {entry.where}')" if entry.where else "")
                      + f"; a region needs its {spec.description}")


def _load_one(
    name: str, entry: LayerEntry, base_dir: str | os.PathLike, *, role: str | None,
    bbox: tuple[float, float, float, float] | None, whole: bool,
) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """
    One file's layer (see :func:`load_layer`).

    `whole` when it is all of the layer, so that an empty one is an error for a role that
    needs features.
    """
    source = resolve_source(entry, base_dir)
    role_name = role or entry.role or (name if name in ROLES else "other")
    spec = ROLES[role_name]
    parquet = is_local(entry.source) and Path(source).suffix.lower() in PARQUET
    table = bool(entry.x_field or entry.wkt_field)
    if parquet:
        found, source_crs = parquet_info(name, entry, source)
    else:
        info = read_info(name, entry, source)
        found, source_crs = [str(f) for f in info["fields"]], info["crs"]
        if table:
            source_crs = None  # the table's coordinates are in the catalogue's crs
    mapping = _field_map(name, entry, spec, [*found, *entry.values], source)
    box = source_bbox(bbox, source_crs or entry.crs)
    gml = Path(source).suffix.lower() in (".gml", ".xml")  # no spatial index: filtered after
    try:
        if parquet:
            gdf = read_parquet(source, box)
        elif table:
            gdf = read_table(name, entry, source)
        else:
            gdf = read_gdal(source, entry, bbox=None if gml else box)
            if _label_points_of_gml(gdf, spec, source):
                gdf, swapped = _with_polygons_behind(gdf, spec, source, entry)
                if swapped:
                    warnings.warn(f"{where(name, source)}: GDAL shows this GML's first "
                                  f"geometry, a point (a label, as in BRK), for {swapped} "
                                  "features; their polygons are used instead", stacklevel=2)
    except LayerError:
        raise
    except Exception as exc:  # GDAL raises a range of errors for broken files and bad SQL
        raise LayerError(f"{where(name, source)}: reading failed: {exc}") from exc
    if box is not None and (table or gml):
        gdf = gdf[within_bbox(gdf.geometry.to_numpy(), box)]
    gdf = _kept(gdf, mapping)
    for attr, value in entry.values.items():
        gdf[attr] = value
    report = LoadReport(layer=name, source=source, features=len(gdf))
    if gdf.empty and not spec.may_be_empty and whole:
        raise _empty_error(name, entry, spec, source)
    crs = layer_crs(name, entry, source_crs, source, tuple(gdf.total_bounds))
    gdf = flatten(name, gdf.set_crs(crs, allow_override=True), source)
    if not crs.equals(CRS.from_user_input(settings.crs)):
        report.reprojected_from = crs.to_string()
        gdf = rdnap.to_crs(gdf, settings.crs)
    gdf = check_geometry(name, gdf, spec, report, source)
    gdf = check_attributes(name, gdf, spec, report, source)
    if history := history_warning(gdf):
        warnings.warn(f"{where(name, source)}: {history}", stacklevel=2)
    for attr, patterns in entry.classes.items():
        if patterns == "imro":
            patterns = IMRO_CLASSES
        if attr not in gdf:
            raise LayerError(f"{where(name, source)}: 'classes' names attribute {attr!r}, "
                             f"which the layer does not have; it has: "
                             f"{', '.join(c for c in gdf.columns if c != 'geometry')}")
        gdf[attr], report.unclassified[attr] = classify(gdf[attr], patterns)
        if report.unclassified[attr]:
            shown = ", ".join(map(repr, report.unclassified[attr][:5]))
            warnings.warn(f"{where(name, source)}: values of {attr!r} that match no class "
                          f"pattern are kept as they are: {shown}", stacklevel=2)
    gdf = gdf.reset_index(drop=True)
    gdf.attrs["locscan_layer"] = name
    return gdf, report


def _load_files(name: str, entry: LayerEntry, base_dir: str | os.PathLike, files: list[str],
                *, role: str | None, bbox: tuple[float, float, float, float] | None = None,
                ) -> tuple[gpd.GeoDataFrame, LoadReport]:
    """
    One layer from every file a pattern matches (``imro/*.gml``).

    Each file is read and checked as a layer of its own, then they are joined; ids must be
    unique across the files too.
    """
    pattern = resolve_source(entry, base_dir)
    if not files:
        raise LayerError(f"{where(name, pattern)}: no file matches this pattern")
    if bbox is not None:  # the files whose header says they lie elsewhere are not opened
        files = [f for f in files if may_meet(f, entry, bbox)] or files[:1]
    loaded = [_load_one(name, entry.model_copy(update={"source": f}), base_dir, role=role,
                        bbox=bbox, whole=False) for f in files]
    spec = ROLES[role or entry.role or (name if name in ROLES else "other")]
    if bbox is None and not sum(len(g) for g, _ in loaded) and not spec.may_be_empty:
        raise _empty_error(name, entry, spec, pattern)
    gdf = gpd.GeoDataFrame(pd.concat([g for g, _ in loaded], ignore_index=True),
                           geometry="geometry", crs=settings.crs)
    gdf = check_unique(name, gdf, spec, pattern)
    gdf.attrs["locscan_layer"] = name
    reports = [r for _, r in loaded]
    report = LoadReport(
        layer=name, source=pattern, features=sum(r.features for r in reports),
        dropped_empty=sum(r.dropped_empty for r in reports),
        repaired=[x for r in reports for x in r.repaired],
        reprojected_from=next((r.reprojected_from for r in reports if r.reprojected_from), None))
    for r in reports:
        for total, part in ((report.non_numeric, r.non_numeric), (report.negative, r.negative)):
            for attr, n in part.items():
                total[attr] = total.get(attr, 0) + n
        for attr, values in r.unclassified.items():
            report.unclassified[attr] = list(dict.fromkeys(
                [*report.unclassified.get(attr, []), *values]))
    return gdf, report
