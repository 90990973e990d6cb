"""The WebGL map's geometry, written once per region as binary files named by their content.

Every candidate's point and outline (little-endian ``float32`` longitude/latitude pairs and
``uint32`` offsets), stored tile by tile so the browser draws only the tiles in view, the
candidates' ids, and the context layers (gemeenten, subregio's, cores, business parks, nature,
work sites) as GeoJSON. The names carry a digest of the content, so the browser may cache the
files forever and two app processes write the same bytes to the same name. What changes with
the criteria is written by :mod:`locscan.maps.classfiles`.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locscan.atomic import write_bytes
from locscan.maps.base import _wgs84
from locscan.maps.sitearrays import outlines, sites
from locscan.region import RegionMeta

__all__ = ["CONTEXT_STYLE", "MapFiles", "candidates_key", "context_geojson",
           "ids_json", "map_files", "missing", "reach_geojson", "write_context",
           "write_outline_arrays", "write_outlines", "write_region", "write_sites"]

#: the context roles drawn as areas, with their Dutch legend label and colour
CONTEXT_STYLE = {
    "cores": ("Kern", "#b2182b"),
    "business_parks": ("Bedrijventerrein", "#542788"),
    "exclusions": ("Natuur / uitsluiting", "#1b7837"),
}


@dataclass(frozen=True)
class MapFiles:
    """
    The files of one region's map, relative to the folder they were written in.

    Candidates are stored tile by tile (:data:`locscan.maps.sitearrays.TILE_M` squares), so
    the browser draws only the tiles in view; ``order`` maps a stored position back to the
    candidate's position in ``Scan.candidates``.

    Attributes
    ----------
    key
        Digest of the candidates' ids and geometry; part of every file name.
    count
        Number of candidates (the length of every per-candidate array).
    points, order, tiles, boxes
        Positions (``float32`` lon/lat pairs, stored order), the candidate of each stored
        position (``uint32``), the first stored position of each tile (one more than there
        are tiles, ``uint32``) and each tile's bounds (``float32`` west, south, east, north).
    rings, starts, owners
        Outline coordinates, the first vertex of each outline (one more than there are
        outlines) and the stored position each outline belongs to.
    ids, context
        The candidate ids (JSON list, in candidate order) and the context layers (GeoJSON,
        named by their own content: one file for every selection of a region).
    """

    key: str
    count: int
    points: str
    order: str
    tiles: str
    boxes: str
    rings: str
    starts: str
    owners: str
    ids: str
    context: str

    def names(self) -> list[str]:
        """Every file name."""
        return [self.points, self.order, self.tiles, self.boxes, self.rings, self.starts,
                self.owners, self.ids, self.context]

    def outlines(self) -> tuple[str, str, str]:
        """The outlines' file names."""
        return self.rings, self.starts, self.owners


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=10)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def write_sites(files: MapFiles, arrays: tuple[np.ndarray, ...], folder: Path) -> None:
    """Write the arrays from :func:`sites` as the files `files` names, each one atomically."""
    for name, data in zip((files.points, files.order, files.tiles, files.boxes), arrays,
                          strict=True):
        write_bytes(folder / name, np.ascontiguousarray(data).tobytes())


def map_files(key: str, count: int, context: str) -> MapFiles:
    """The names of the map files of candidates with digest `key` (and `context`'s file)."""
    return MapFiles(key, count, *(f"{key}.{part}" for part in (
        "points.bin", "order.bin", "tiles.bin", "boxes.bin", "rings.bin", "starts.bin",
        "owners.bin", "ids.json")), context=context)


def candidates_key(ids: bytes, geoms: np.ndarray) -> str:
    """The digest of candidates by their ids (as the map's ids file) and shapes."""
    return _digest(ids, b"".join(shapely.to_wkb(geoms, output_dimension=2)))


def ids_json(ids: pd.Index) -> bytes:
    """The map's ids file: the candidate ids as a JSON list."""
    return json.dumps([str(i) for i in ids], ensure_ascii=False).encode()


def write_region(
    candidates: gpd.GeoDataFrame,
    context: dict[str, gpd.GeoDataFrame],
    meta: RegionMeta,
    folder: str | Path,
    *,
    outlines: bool = True,
) -> MapFiles:
    """
    Write the map files of a region into `folder`, unless files with the same content exist.

    The outlines (``rings``, ``starts``, ``owners``) are more than half the work, and the map
    needs them only when zoomed in to street level: with ``outlines=False`` they are left to
    :func:`write_outlines`, which may run after the map is drawn.

    Parameters
    ----------
    candidates
        ``Scan.candidates``: geometry in a projected CRS (RD New), indexed by candidate id.
    context
        Context layers by role (see :func:`context_geojson`).
    meta
        The region's metadata, for the names of gemeenten and subregio's.
    folder
        Where the app serves static files from (e.g. ``static/kaart``).
    outlines
        Write the outlines too.

    Returns
    -------
    MapFiles
        The names of the files, relative to `folder`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    geoms = candidates.geometry.to_numpy()
    ids = ids_json(candidates.index)
    files = map_files(candidates_key(ids, geoms), len(candidates),
                      _context_name(context, meta))
    if not missing(files, folder, outlines=outlines):
        return files
    write_sites(files, sites(geoms, candidates.crs), folder)
    write_bytes(folder / files.ids, ids)
    write_context(context, meta, folder)
    if outlines:
        write_outlines(candidates, files, folder)
    return files


def missing(files: MapFiles, folder: str | Path, *, outlines: bool = True,
            only_outlines: bool = False) -> bool:
    """
    Whether a file of `files` is not in `folder`.

    Any file; any but the outlines with ``outlines=False``; any outline with
    ``only_outlines``.
    """
    names = files.outlines() if only_outlines else [
        name for name in files.names() if outlines or name not in files.outlines()]
    return any(not (Path(folder) / name).exists() for name in names)


def write_outlines(candidates: gpd.GeoDataFrame, files: MapFiles, folder: str | Path) -> None:
    """
    Write the outlines of the map files `files` (from :func:`write_region`) into `folder`.

    In the stored order of the files' ``order`` (read back from `folder`); each file is written
    whole or not at all, so the browser finds a file complete or not at all.
    """
    folder = Path(folder)
    if all((folder / name).exists() for name in files.outlines()):
        return
    order = np.fromfile(folder / files.order, dtype="<u4")
    write_outline_arrays(files, outlines(candidates.geometry.to_numpy()[order], candidates.crs),
                         folder)


def write_outline_arrays(files: MapFiles, arrays: tuple[np.ndarray, ...],
                         folder: str | Path) -> None:
    """Write the arrays from :func:`outlines` as the files `files` names, each atomically."""
    for name, data in zip(files.outlines(), arrays, strict=True):
        write_bytes(Path(folder) / name, np.ascontiguousarray(data).tobytes())


def write_context(context: dict[str, gpd.GeoDataFrame], meta: RegionMeta,
                  folder: str | Path) -> str:
    """
    Write the context layers' file into `folder`, unless it is there; returns its name.

    One file per region, whatever part of it a map shows (:func:`context_geojson`).
    """
    name = _context_name(context, meta)
    if not (Path(folder) / name).exists():
        Path(folder).mkdir(parents=True, exist_ok=True)
        write_bytes(Path(folder) / name, context_geojson(context, meta).encode())
    return name


def _context_name(context: dict[str, gpd.GeoDataFrame], meta: RegionMeta) -> str:
    return f"{_context_key(context, meta)}.context.json"


def _context_key(context: dict[str, gpd.GeoDataFrame], meta: RegionMeta) -> str:
    """A digest of the context layers and the names and subregio's they are shown with."""
    parts = [meta.model_dump_json().encode()]
    for role in sorted(context):
        layer = context[role]
        parts.append(role.encode())
        parts.append(b"".join(shapely.to_wkb(layer.geometry.to_numpy())) if len(layer) else b"")
    return _digest(*parts)[:8]


def context_geojson(context: dict[str, gpd.GeoDataFrame], meta: RegionMeta) -> str:
    """
    The context layers as the text of one GeoJSON FeatureCollection in WGS84.

    Each feature has a ``kind``: ``gemeente`` and ``subregio`` (outlines with a name),
    ``cores``, ``business_parks``, ``exclusions`` (areas) and ``work_site`` (points with the
    number of workers).

    Examples
    --------
    >>> meta = RegionMeta(name="leeg", label="Leeg", subregios={}, municipalities=[])
    >>> context_geojson({}, meta)
    '{"type": "FeatureCollection", "features": []}'
    """
    frames = []
    municipalities = context.get("municipalities")
    if municipalities is not None and len(municipalities):
        names = {mu.code: mu.name for mu in meta.municipalities}
        subregios = {mu.code: mu.subregio for mu in meta.municipalities}
        gm = municipalities[["code", municipalities.geometry.name]].copy()
        gm["name"] = gm["code"].map(names).fillna(gm["code"])
        gm["subregio"] = gm["code"].map(subregios).fillna("buiten de regio")
        frames.append(_kind(gm.assign(kind="gemeente"), ["name", "subregio"], 10))
        sub = gm.dissolve("subregio").reset_index().assign(kind="subregio")
        frames.append(_kind(sub.assign(name=sub["subregio"]), ["name"], 20))
    for role in CONTEXT_STYLE:
        layer = context.get(role)
        if layer is not None and len(layer):
            named = layer.assign(name=layer.get("name", ""))
            frames.append(_kind(named.assign(kind=role), ["name"], 5))
    sites = context.get("work_sites")
    if sites is not None and len(sites):
        workers = sites["workers"] if "workers" in sites else pd.Series(np.nan, index=sites.index)
        named = sites.assign(
            name=sites["name"] if "name" in sites else sites.get("id", ""),
            workers=workers.round(0).astype("Int64"), kind="work_site")
        frames.append(_kind(named, ["name", "workers"], 0))
    features = ",".join(f for frame in frames for f in _features(frame))
    return '{"type": "FeatureCollection", "features": [' + features + "]}"


def _features(frame: gpd.GeoDataFrame) -> list[str]:
    """
    GeoJSON features of `frame` as text: its columns as properties (missing values as null).

    The geometries are written by GEOS at once and never parsed (17,000 national context
    features: 0.3 s instead of 1.4 s through ``to_json``).
    """
    geoms = shapely.to_geojson(frame.geometry.to_numpy())
    props = frame.drop(columns=frame.geometry.name).astype(object)
    rows = props.where(props.notna(), None).to_dict("records")
    return ['{"type": "Feature", "properties": ' + json.dumps(row, ensure_ascii=False)
            + ', "geometry": ' + (geom if geom is not None else "null") + "}"
            for row, geom in zip(rows, geoms, strict=True)]


def _kind(frame: gpd.GeoDataFrame, columns: list[str], simplify: float) -> gpd.GeoDataFrame:
    out = _wgs84(frame, simplify)
    return out[[*columns, "kind", out.geometry.name]]


def reach_geojson(work_sites: gpd.GeoDataFrame | None, reach_m: float) -> dict | None:
    """
    The area within `reach_m` of any work site, as a GeoJSON FeatureCollection in WGS84.

    Drawn on the map as the zone a distance criterion allows; simplified to 25 m.
    None when there are no work sites.
    """
    if work_sites is None or work_sites.empty or not reach_m or reach_m <= 0:
        return None
    zone = shapely.union_all(shapely.buffer(work_sites.geometry.to_numpy(), reach_m,
                                            quad_segs=16))
    frame = gpd.GeoDataFrame({"name": [f"binnen {reach_m / 1000:g} km van een werklocatie"]},
                             geometry=[zone], crs=work_sites.crs)
    return json.loads(_wgs84(frame, 25).to_json(drop_id=True))
