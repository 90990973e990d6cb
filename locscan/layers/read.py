"""Reading a layer's source: GDAL formats, GeoParquet, and tables with coordinate columns."""

from __future__ import annotations

import functools
import json
import os
import tempfile
import threading
import warnings
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pyogrio
import shapely

from locscan.errors import LayerError
from locscan.layers.catalogue import LayerEntry, is_local

__all__ = [
    "PARQUET",
    "gml_has_polygons",
    "parquet_geometry",
    "parquet_info",
    "polygonal_parts",
    "read_gdal",
    "read_gml_polygons",
    "read_info",
    "read_parquet",
    "read_table",
    "where",
    "within_bbox",
]


def where(name: str, source: str) -> str:
    """How messages name a layer: its name and its source."""
    return f"layer {name!r} ({source})"


def _stamp(source: str) -> tuple[int, int] | None:
    """A local file's size and modification time (None for other sources)."""
    try:
        st = os.stat(source)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


@functools.lru_cache(maxsize=256)
def _gdal_info(source: str, layer: str | None, stamp: tuple[int, int]) -> tuple[list, dict]:
    """
    GDAL's layers and description of a local file, asked once per version of the file.

    A scan in parts reads each layer once per part.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ([str(n) for n in pyogrio.list_layers(source)[:, 0]],
                pyogrio.read_info(source, layer=layer))


def file_extent(source: str, layer: str | None) -> tuple[tuple | None, str | None]:
    """
    The extent of a local file's layer and the CRS it is in, from its header.

    ``(None, None)`` when the file does not say (then it must be read to know).
    GeoParquet's ``bbox`` metadata, or what GDAL knows without reading every feature. Asked
    once per version of the file.
    """
    stamp = _stamp(source)
    if stamp is None:
        return None, None
    return _extent(source, layer, stamp)


@functools.lru_cache(maxsize=4096)
def _extent(source: str, layer: str | None, stamp: tuple[int, int]
            ) -> tuple[tuple | None, str | None]:
    try:
        if Path(source).suffix.lower() in PARQUET:
            geo = json.loads((pq.read_schema(source).metadata or {}).get(b"geo", b"{}"))
            column = geo.get("columns", {}).get(geo.get("primary_column", "geometry"), {})
            crs = column.get("crs", "OGC:CRS84")
            bbox = column.get("bbox")
            return (tuple(bbox) if bbox else None,
                    json.dumps(crs) if isinstance(crs, dict) else crs)
        _, info = _gdal_info(source, layer, stamp)
    except Exception:  # a file that cannot be read says so when it is read
        return None, None
    bounds = info.get("total_bounds")
    return (tuple(bounds) if bounds is not None and np.all(np.isfinite(bounds)) else None,
            info.get("crs"))


def read_info(name: str, entry: LayerEntry, source: str) -> dict:
    """GDAL's description of the layer (fields, CRS), after checking the file and its layer."""
    if is_local(entry.source) and not os.path.exists(source):
        raise LayerError(f"{where(name, source)}: file not found")
    stamp = _stamp(source) if is_local(entry.source) else None
    try:
        if stamp is not None:
            available, info = _gdal_info(source, entry.layer, stamp)
        else:
            available, info = [str(n) for n in pyogrio.list_layers(source)[:, 0]], None
    except pyogrio.errors.DataSourceError as exc:
        raise LayerError(f"{where(name, source)}: GDAL cannot open it: {exc}") from exc
    except pyogrio.errors.DataLayerError:  # the layer named is not there: said below
        available, info = [str(n) for n in pyogrio.list_layers(source)[:, 0]], None
    if entry.layer is None and len(available) > 1:
        raise LayerError(
            f"{where(name, source)}: the source holds {len(available)} layers "
            f"({', '.join(available)}); name one with 'layer:' in the catalogue"
        )
    if entry.layer is not None and entry.layer not in available:
        raise LayerError(
            f"{where(name, source)}: no layer {entry.layer!r} in the source; "
            f"found: {', '.join(available)}"
        )
    if info is not None:
        return info
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pyogrio.read_info(source, layer=entry.layer)


PARQUET = {".parquet", ".geoparquet"}


def parquet_geometry(source: str) -> str:
    """The name of a GeoParquet file's primary geometry column."""
    meta = pq.read_schema(source).metadata or {}
    geo = json.loads(meta.get(b"geo", b"{}"))
    return geo.get("primary_column", "geometry")


@functools.lru_cache(maxsize=256)
def _parquet_schema(source: str, stamp: tuple[int, int] | None) -> pa.Schema:
    return pq.read_schema(source)


def parquet_info(name: str, entry: LayerEntry, source: str) -> tuple[list[str], str | None]:
    """Fields and CRS of a GeoParquet file (GDAL here is built without the Parquet driver)."""
    if not os.path.exists(source):
        raise LayerError(f"{where(name, source)}: file not found")
    if entry.where:
        raise LayerError(f"{where(name, source)}: 'where' is not supported for GeoParquet")
    try:
        schema = _parquet_schema(source, _stamp(source))
    except Exception as exc:  # pyarrow raises ArrowInvalid and OSError for broken files
        raise LayerError(f"{where(name, source)}: not a Parquet file: {exc}") from exc
    geo = json.loads((schema.metadata or {}).get(b"geo", b"null") or "null")
    if not geo:
        raise LayerError(f"{where(name, source)}: a Parquet file without GeoParquet metadata")
    column = geo.get("primary_column", "geometry")
    crs = geo.get("columns", {}).get(column, {}).get("crs", "OGC:CRS84")
    if isinstance(crs, dict):
        crs = json.dumps(crs)
    return [f for f in schema.names if f != column], crs


def read_gdal(source: str, entry: LayerEntry, columns: list[str] | None = None,
              bbox: tuple[float, float, float, float] | None = None) -> gpd.GeoDataFrame:
    """
    Read through GDAL with Arrow; curved geometries (GML arcs) are linearised by GDAL.

    With `bbox` (in the source's CRS), only the features whose extent meets it, in the order
    of the whole layer (a spatial index need not give them in that order).
    """
    kwargs = {"layer": entry.layer, "columns": columns, "where": entry.where, "bbox": bbox,
              "fid_as_index": bbox is not None}
    try:
        gdf = pyogrio.read_dataframe(source, use_arrow=True, **kwargs)
    except NotImplementedError:  # Arrow reading refuses curves; the classic path linearises
        gdf = pyogrio.read_dataframe(source, use_arrow=False, **kwargs)
    return gdf.sort_index(kind="stable").reset_index(drop=True) if bbox is not None else gdf


def read_parquet(source: str, bbox: tuple[float, float, float, float] | None = None
                 ) -> gpd.GeoDataFrame:
    """
    A GeoParquet file; with `bbox`, the features whose extent meets it, in file order.

    Through the file's bounding-box column when it has one: only the row groups whose
    statistics meet the box are read (a country's file in gemeente-sized row groups); else the
    whole file is read and filtered.
    """
    if bbox is None:
        return gpd.read_parquet(source)
    stamp = _stamp(source)
    groups = _row_group_boxes(source, stamp) if stamp is not None else None
    if groups is None:  # no bounding-box column to filter on
        gdf = gpd.read_parquet(source)
        return gdf[within_bbox(gdf.geometry.to_numpy(), bbox)].reset_index(drop=True)
    boxes, column, crs, meta = groups
    meets = ((boxes[:, 0] <= bbox[2]) & (boxes[:, 2] >= bbox[0]) & (boxes[:, 1] <= bbox[3])
             & (boxes[:, 3] >= bbox[1]))
    table = pq.ParquetFile(source, metadata=meta).read_row_groups(
        np.flatnonzero(meets).tolist() or [0])
    box = table.column("bbox").combine_chunks()
    x0, y0, x1, y1 = (box.field(k).to_numpy(zero_copy_only=False)  # no shape: null, NaN
                      for k in ("xmin", "ymin", "xmax", "ymax"))
    keep = (x0 <= bbox[2]) & (x1 >= bbox[0]) & (y0 <= bbox[3]) & (y1 >= bbox[1])
    frame = table.drop_columns(["bbox"]).filter(pa.array(keep)).to_pandas()
    geoms = shapely.from_wkb(frame.pop(column).to_numpy())
    return gpd.GeoDataFrame(frame, geometry=geoms, crs=crs)


@functools.lru_cache(maxsize=256)
def _row_group_boxes(source: str, stamp: tuple[int, int]
                     ) -> tuple[np.ndarray, str, object, pq.FileMetaData] | None:
    """
    Per row group of a GeoParquet file its extent, the geometry column and the CRS.

    The extent from the statistics of the bounding-box column, and the file's metadata (so
    that reading does not parse it again); None without such a column, or for geometry that
    is not WKB.
    """
    try:
        meta = pq.ParquetFile(source).metadata
        geo = json.loads((meta.schema.to_arrow_schema().metadata or {}).get(b"geo", b"{}"))
    except Exception:  # not a file pyarrow reads: the caller's reading says why
        return None
    column = geo.get("primary_column", "geometry")
    spec = geo.get("columns", {}).get(column, {})
    if spec.get("encoding", "WKB").upper() != "WKB" or "bbox" not in spec.get("covering", {}):
        return None
    paths = [meta.schema.column(i).path for i in range(meta.num_columns)]
    try:
        at = [paths.index(f"bbox.{k}") for k in ("xmin", "ymin", "xmax", "ymax")]
    except ValueError:
        return None
    boxes = np.full((meta.num_row_groups, 4), np.nan)
    for g in range(meta.num_row_groups):  # a few hundred row groups, read once per file
        stats = [meta.row_group(g).column(i).statistics for i in at]
        if all(st is not None and st.has_min_max for st in stats):
            boxes[g] = (stats[0].min, stats[1].min, stats[2].max, stats[3].max)
        else:
            boxes[g] = (-np.inf, -np.inf, np.inf, np.inf)
    crs = spec.get("crs", "OGC:CRS84")
    return boxes, column, json.dumps(crs) if isinstance(crs, dict) else crs, meta


def within_bbox(geoms: np.ndarray, bbox: tuple[float, float, float, float]) -> np.ndarray:
    """
    Whether each geometry's extent meets `bbox` (the filter a spatial index applies).

    Examples
    --------
    >>> from shapely import Point, box
    >>> within_bbox(np.array([Point(0, 0), box(5, 5, 9, 9), None]), (1, 1, 6, 6)).tolist()
    [False, True, False]
    """
    b = shapely.bounds(geoms)
    return ((b[:, 0] <= bbox[2]) & (b[:, 2] >= bbox[0]) & (b[:, 1] <= bbox[3])
            & (b[:, 3] >= bbox[1]))




_GDAL_CONFIG = threading.Lock()  # GDAL configuration options are process-wide


def polygonal_parts(geoms: np.ndarray) -> np.ndarray:
    """
    Per geometry its polygons (a Polygon or MultiPolygon); None where it has none.

    Examples
    --------
    >>> from shapely import GeometryCollection, Point, box
    >>> out = polygonal_parts(np.array([GeometryCollection([Point(0, 0), box(0, 0, 1, 1)]),
    ...                                 Point(5, 5), box(2, 2, 3, 3)]))
    >>> [g.geom_type if g is not None else None for g in out]
    ['Polygon', None, 'Polygon']
    """
    parts, owners = shapely.get_parts(geoms, return_index=True)
    while (nested := np.isin(shapely.get_type_id(parts), (4, 5, 6, 7))).any():
        inner, at = shapely.get_parts(parts[nested], return_index=True)
        parts = np.concatenate([parts[~nested], inner])
        owners = np.concatenate([owners[~nested], owners[nested][at]])
    keep = shapely.get_type_id(parts) == 3
    order = np.argsort(owners[keep], kind="stable")
    parts, owners = parts[keep][order], owners[keep][order]
    out = np.full(len(geoms), None, dtype=object)
    if len(parts):
        counts = np.bincount(owners, minlength=len(geoms))
        many = counts[owners] > 1
        out[owners[~many]] = parts[~many]
        if many.any():
            groups = np.unique(owners[many])
            out[groups] = shapely.multipolygons(parts[many], indices=np.searchsorted(
                groups, owners[many]))
    return out


def _read_all_geometries(source: str, layer: str | None, where: str | None,
                         max_features: int | None = None) -> gpd.GeoDataFrame:
    """Every geometry of each feature of a GML layer (GDAL's ``GML_FETCH_ALL_GEOMETRIES``).

    Through a link in a temporary folder, so a ``.gfs`` file that GDAL wrote next to the source
    earlier (which declares the first geometry only) is not used and none is written.
    """
    with tempfile.TemporaryDirectory() as tmp, _GDAL_CONFIG:
        link = Path(tmp) / Path(source).name
        link.symlink_to(Path(source).resolve())
        pyogrio.set_gdal_config_options({"GML_FETCH_ALL_GEOMETRIES": "YES"})
        try:
            return pyogrio.read_dataframe(str(link), layer=layer, where=where, WRITE_GFS="NO",
                                          max_features=max_features)
        finally:
            pyogrio.set_gdal_config_options({"GML_FETCH_ALL_GEOMETRIES": None})


def read_gml_polygons(source: str, entry: LayerEntry) -> gpd.GeoDataFrame:
    """
    A GML layer's polygons where GDAL shows only its first geometry, a label point (BRK).

    Reads every geometry of each feature and keeps the polygonal parts.
    """
    gdf = _read_all_geometries(source, entry.layer, entry.where)
    geoms = polygonal_parts(gdf.geometry.to_numpy())
    return gdf.set_geometry(gpd.GeoSeries(geoms, index=gdf.index, crs=gdf.crs))


def gml_has_polygons(source: str, layer: str | None, sample: int = 20) -> bool:
    """
    Whether the first `sample` features of a GML layer hold a polygon.

    Next to the geometry GDAL shows (a BRK parcel behind its label point), so that the layer
    can be read as polygons.
    """
    try:
        gdf = _read_all_geometries(source, layer, None, max_features=sample)
    except Exception:  # GDAL raises a range of errors for broken files
        return False
    return bool(np.any(shapely.is_geometry(polygonal_parts(gdf.geometry.to_numpy()))))


def read_table(name: str, entry: LayerEntry, source: str) -> gpd.GeoDataFrame:
    """
    A table (CSV, XLSX, ODS …) with coordinate columns as points, or a WKT column as shapes.

    In the catalogue's ``crs``. Decimal commas in coordinates are read as points.

    Raises
    ------
    LayerError
        Naming the rows whose coordinates or WKT cannot be read.
    """
    try:
        frame = pyogrio.read_dataframe(source, layer=entry.layer, where=entry.where,
                                       read_geometry=False)
    except Exception as exc:  # GDAL raises a range of errors for broken files
        raise LayerError(f"{where(name, source)}: reading failed: {exc}") from exc
    wanted = [entry.wkt_field] if entry.wkt_field else [entry.x_field, entry.y_field]
    missing = [c for c in wanted if c not in frame]
    if missing:
        raise LayerError(f"{where(name, source)}: column(s) {', '.join(missing)} missing; "
                         f"found: {', '.join(map(str, frame.columns))}")
    if entry.wkt_field:
        text = frame[entry.wkt_field].astype("string")
        geoms = shapely.from_wkt(text.fillna("").to_numpy(dtype=object), on_invalid="ignore")
        bad = frame.index[shapely.is_missing(geoms) & text.fillna("").ne("").to_numpy()]
    else:
        x = pd.to_numeric(frame[entry.x_field].astype("string").str.replace(",", "."),
                          errors="coerce")
        y = pd.to_numeric(frame[entry.y_field].astype("string").str.replace(",", "."),
                          errors="coerce")
        geoms = shapely.points(x.to_numpy(dtype=float), y.to_numpy(dtype=float))
        bad = frame.index[(x.isna() | y.isna()).to_numpy()]
        geoms[(x.isna() | y.isna()).to_numpy()] = None
    if len(bad):
        rows = ", ".join(str(i + 2) for i in bad[:10])  # a spreadsheet's row numbers
        raise LayerError(f"{where(name, source)}: {len(bad)} rows without readable "
                         f"{'WKT' if entry.wkt_field else 'coordinates'} (rows {rows}"
                         f"{', ...' if len(bad) > 10 else ''})")
    return gpd.GeoDataFrame(frame.drop(columns=wanted), geometry=geoms, crs=entry.crs)
