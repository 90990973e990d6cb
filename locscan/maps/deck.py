"""The data of the app's WebGL map: geometry written once per region, statuses per change.

A region of 400,000 candidates cannot travel to the browser as GeoJSON on every change of a
threshold. This module splits what the map needs in two:

- **Once per region** (:func:`write_region`): every candidate's point and outline as binary
  files (little-endian ``float32`` longitude/latitude pairs and ``uint32`` offsets), their ids,
  and the context layers (gemeenten, subregio's, cores, business parks, nature, work sites) as
  GeoJSON. The files are named after a digest of their content, so the browser may cache them
  forever and two app processes write the same bytes to the same name.
- **Per change** (:func:`status_codes`, :func:`scores`, :func:`pack`): one byte per candidate
  for its class on the map and one for its score, base64-encoded: 0.5 MB per 400,000 candidates
  instead of ~60 MB of GeoJSON.

The candidate's position in these arrays is its position in ``Scan.candidates``; a click in the
browser comes back as that position (:func:`clicked`). No Streamlit here.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely

from locscan import rdnap, settings
from locscan.atomic import write_bytes
from locscan.maps.base import _SHORTLIST_COLOUR, SCORE_CLASSES, _wgs84
from locscan.nl.words import STATUS
from locscan.region import RegionMeta

__all__ = [
    "CLASSES",
    "HIDDEN",
    "MapFiles",
    "bounds",
    "clicked",
    "context_geojson",
    "legend",
    "pack",
    "scores",
    "status_codes",
    "write_region",
]

#: class code 0: outside the chosen subregio or gemeente (not drawn)
HIDDEN = 0
_FAIL, _CHECK, _FIRST_SCORE = 1, 2, 3

#: class code -> (RGBA colour, Dutch legend label); score classes follow SCORE_CLASSES
CLASSES: dict[int, tuple[tuple[int, int, int, int], str]] = {
    _FAIL: ((140, 140, 140, 150), STATUS["fail"]),
    _CHECK: ((230, 97, 1, 255), STATUS["check"]),
    **{
        _FIRST_SCORE + i: ((*bytes.fromhex(colour[1:]), 255), f"voldoet, score {label}")
        for i, (_, colour, label) in enumerate(SCORE_CLASSES)
    },
}

#: colours of the other layers in the legend (work sites must not look like the shortlist)
_WORK_SITE = "#6a3d9a"
_CONTEXT_STYLE = {
    "cores": ("Kern", "#b2182b"),
    "business_parks": ("Bedrijventerrein", "#542788"),
    "exclusions": ("Natuur / uitsluiting", "#1b7837"),
}


@dataclass(frozen=True)
class MapFiles:
    """
    The files of one region's map, relative to the folder they were written in.

    Candidates are stored tile by tile (:data:`TILE_M` squares), so the browser draws only the
    tiles in view; ``order`` maps a stored position back to the candidate's position in
    ``Scan.candidates``.

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
        The candidate ids (JSON list, in candidate order) and the context layers (GeoJSON).
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


#: side of the square tiles the browser draws (or skips) as a whole, in metres
TILE_M = 2000.0


def _digest(*parts: bytes) -> str:
    h = hashlib.blake2b(digest_size=10)
    for part in parts:
        h.update(len(part).to_bytes(8, "little"))
        h.update(part)
    return h.hexdigest()


def tile_order(xy: np.ndarray, size: float = TILE_M) -> tuple[np.ndarray, np.ndarray]:
    """
    Positions sorted tile by tile, and where each tile starts in that order.

    Parameters
    ----------
    xy
        Projected coordinates (metres), one row per candidate.
    size
        Tile side in the same unit.

    Returns
    -------
    order, starts
        ``xy[order]`` is tile by tile (row by row, west to east); tile ``t`` holds
        ``order[starts[t]:starts[t + 1]]``.

    Examples
    --------
    >>> order, starts = tile_order(np.array([[2500.0, 10], [10, 10], [1900, 20]]), 2000)
    >>> order.tolist(), starts.tolist()
    ([1, 2, 0], [0, 2, 3])
    """
    if len(xy) == 0:
        return np.empty(0, dtype="<u4"), np.zeros(1, dtype="<u4")
    cells = np.floor(xy / size).astype(np.int64)
    order = np.lexsort((cells[:, 0], cells[:, 1]))
    sorted_cells = cells[order]
    new = np.ones(len(order), dtype=bool)
    new[1:] = np.any(sorted_cells[1:] != sorted_cells[:-1], axis=1)
    starts = np.concatenate([np.flatnonzero(new), [len(order)]])
    return order.astype("<u4"), starts.astype("<u4")


def _outlines(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Exterior rings (closed, counter-clockwise) of every polygon part, and their owners."""
    parts, owners = shapely.get_parts(geoms, return_index=True)
    polygonal = shapely.get_type_id(parts) == 3
    parts, owners = parts[polygonal], owners[polygonal]
    rings = shapely.get_exterior_ring(shapely.orient_polygons(parts))
    coords, ring_of = shapely.get_coordinates(rings, return_index=True)
    counts = np.bincount(ring_of, minlength=len(rings))
    starts = np.concatenate([[0], np.cumsum(counts)]).astype("<u4")
    return coords, starts, owners.astype("<u4")


def _lonlat(xy: np.ndarray, crs) -> np.ndarray:
    """Coordinates in `crs` as float32 longitude/latitude (RDNAPTRANS from RD New)."""
    if len(xy) == 0:
        return np.empty((0, 2), dtype="<f4")
    if pyproj.CRS.from_user_input(crs).equals(rdnap.RD):
        lon, lat = rdnap.rd_to_etrs89(xy[:, 0], xy[:, 1])
    else:
        to = pyproj.Transformer.from_crs(crs, settings.geojson_crs, always_xy=True)
        lon, lat = to.transform(xy[:, 0], xy[:, 1])
    return np.column_stack([lon, lat]).astype("<f4")


def _boxes(points: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """West, south, east, north of each tile's points (stored order)."""
    if len(points) == 0:
        return np.empty((0, 4), dtype="<f4")
    first = starts[:-1]
    return np.column_stack([np.minimum.reduceat(points[:, 0], first),
                            np.minimum.reduceat(points[:, 1], first),
                            np.maximum.reduceat(points[:, 0], first),
                            np.maximum.reduceat(points[:, 1], first)]).astype("<f4")


def write_region(
    candidates: gpd.GeoDataFrame,
    context: dict[str, gpd.GeoDataFrame],
    meta: RegionMeta,
    folder: str | Path,
) -> MapFiles:
    """
    Write the map files of a region into `folder`, unless files with the same content exist.

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

    Returns
    -------
    MapFiles
        The names of the files, relative to `folder`.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    geoms = candidates.geometry.to_numpy()
    ids = json.dumps([str(i) for i in candidates.index], ensure_ascii=False).encode()
    key = _digest(ids, b"".join(shapely.to_wkb(geoms, output_dimension=2)))
    files = MapFiles(key, len(candidates), *(f"{key}.{part}" for part in (
        "points.bin", "order.bin", "tiles.bin", "boxes.bin", "rings.bin", "starts.bin",
        "owners.bin", "ids.json")), context=f"{key}-{_context_key(context)}.context.json")
    if all((folder / name).exists() for name in files.names()):
        return files
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    order, tiles = tile_order(xy)
    coords, starts, owners = _outlines(geoms[order])
    lonlat = _lonlat(np.vstack([xy[order], coords]), candidates.crs)
    points, coords = lonlat[: len(xy)], lonlat[len(xy):]
    for name, data in ((files.points, points), (files.order, order), (files.tiles, tiles),
                       (files.boxes, _boxes(points, tiles)), (files.rings, coords),
                       (files.starts, starts), (files.owners, owners)):
        write_bytes(folder / name, np.ascontiguousarray(data).tobytes())
    write_bytes(folder / files.ids, ids)
    write_bytes(folder / files.context,
                json.dumps(context_geojson(context, meta), ensure_ascii=False).encode())
    return files


def _context_key(context: dict[str, gpd.GeoDataFrame]) -> str:
    parts = []
    for role in sorted(context):
        layer = context[role]
        parts.append(role.encode())
        parts.append(b"".join(shapely.to_wkb(layer.geometry.to_numpy())) if len(layer) else b"")
    return _digest(*parts)[:8]


def context_geojson(context: dict[str, gpd.GeoDataFrame], meta: RegionMeta) -> dict:
    """
    The context layers as one GeoJSON FeatureCollection in WGS84, a ``kind`` per feature.

    Kinds: ``gemeente`` and ``subregio`` (outlines with a name), ``cores``, ``business_parks``,
    ``exclusions`` (areas) and ``work_site`` (points with the number of workers).

    Examples
    --------
    >>> meta = RegionMeta(name="leeg", label="Leeg", subregios={}, municipalities=[])
    >>> context_geojson({}, meta)["features"]
    []
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
    for role in _CONTEXT_STYLE:
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
    features = []
    for frame in frames:
        features.extend(json.loads(frame.to_json(drop_id=True, na="null"))["features"])
    return {"type": "FeatureCollection", "features": features}


def _kind(frame: gpd.GeoDataFrame, columns: list[str], simplify: float) -> gpd.GeoDataFrame:
    out = _wgs84(frame, simplify)
    return out[[*columns, "kind", out.geometry.name]]


def status_codes(status: pd.Series, score: pd.Series, shown: pd.Series | None = None
                 ) -> np.ndarray:
    """
    One class code per candidate (see :data:`CLASSES`), in the order of `status`.

    Parameters
    ----------
    status
        :attr:`locscan.longlist.Result.status` (``voldoet``, ``te controleren``, ``valt af``).
    score
        The score (0–100) per candidate, same index.
    shown
        Boolean per candidate: inside the chosen subregio or gemeente; others get :data:`HIDDEN`.

    Examples
    --------
    >>> s = pd.Series(["voldoet", "te controleren", "valt af", "voldoet"])
    >>> status_codes(s, pd.Series([85.0, 50, 90, 10]), pd.Series([True, True, True, False]))
    array([7, 2, 1, 0], dtype=uint8)
    """
    codes = np.full(len(status), _FAIL, dtype=np.uint8)
    labels = pd.Categorical(status)
    passing = _equals(labels, STATUS["pass"])
    bounds_ = np.array([b for b, _, _ in SCORE_CLASSES])
    classes = np.searchsorted(bounds_, np.nan_to_num(score.to_numpy(dtype=float)), side="right")
    classes = np.clip(classes, 0, len(SCORE_CLASSES) - 1)
    codes[passing] = _FIRST_SCORE + classes[passing]
    codes[_equals(labels, STATUS["check"])] = _CHECK
    if shown is not None:
        codes[~shown.to_numpy(dtype=bool)] = HIDDEN
    return codes


def _equals(labels: pd.Categorical, value: str) -> np.ndarray:
    """Where `labels` is `value`, by the category codes (fast for 400,000 statuses)."""
    where = labels.categories.get_indexer([value])[0]
    return labels.codes == where if where >= 0 else np.zeros(len(labels), dtype=bool)


def scores(score: pd.Series) -> np.ndarray:
    """
    The score rounded to a whole number per candidate as one byte; 255 where it is unknown.

    Examples
    --------
    >>> scores(pd.Series([0.4, 99.6, None]))
    array([  0, 100, 255], dtype=uint8)
    """
    values = score.to_numpy(dtype=float, na_value=np.nan)
    out = np.full(len(values), 255, dtype=np.uint8)
    known = np.isfinite(values)
    out[known] = np.clip(np.round(values[known]), 0, 100).astype(np.uint8)
    return out


def pack(values: np.ndarray) -> str:
    """
    Bytes as base64 text, the way they travel to the browser.

    Examples
    --------
    >>> pack(np.array([0, 1, 255], dtype=np.uint8))
    'AAH/'
    """
    return base64.b64encode(np.ascontiguousarray(values, dtype=np.uint8).tobytes()).decode()


def bounds(candidates: gpd.GeoDataFrame, shown: pd.Series | None = None
           ) -> list[float] | None:
    """
    The WGS84 bounds ``[west, south, east, north]`` of the shown candidates, or None.

    The map zooms to them when the subregio or gemeente changes.
    """
    chosen = candidates if shown is None else candidates[shown.to_numpy(dtype=bool)]
    if chosen.empty:
        return None
    x0, y0, x1, y1 = chosen.total_bounds
    box = gpd.GeoSeries([shapely.box(x0, y0, x1, y1)], crs=candidates.crs)
    return [round(float(v), 6) for v in rdnap.to_crs(box, settings.geojson_crs).total_bounds]


def clicked(value: object, index: pd.Index) -> str | None:
    """
    The candidate id of a click on the map, from the value the map component sends back.

    Parameters
    ----------
    value
        ``{"index": position, "key": files key, ...}`` or None.
    index
        ``Scan.candidates.index``, in the order the map files were written.

    Examples
    --------
    >>> clicked({"index": 1}, pd.Index(["perceel:7", "perceel:9"]))
    'perceel:9'
    >>> clicked({"index": 5}, pd.Index(["perceel:7"])) is None
    True
    """
    if not isinstance(value, dict):
        return None
    position = value.get("index")
    if not isinstance(position, int) or isinstance(position, bool):
        return None
    return str(index[position]) if 0 <= position < len(index) else None


def legend(with_context: dict[str, gpd.GeoDataFrame] | None = None) -> list[tuple[str, str, str]]:
    """
    The legend rows ``(colour, label, shape)`` of everything the map can show.

    Shapes are ``dot``, ``ring``, ``line`` or ``area``; context rows appear only for roles
    that have features.

    Examples
    --------
    >>> [label for _, label, _ in legend()][:3]
    ['voldoet, score 80–100', 'voldoet, score 60–80', 'voldoet, score 40–60']
    """
    rows = [(_hex(CLASSES[code][0]), CLASSES[code][1], "dot")
            for code in sorted(CLASSES, reverse=True)]
    rows += [(_SHORTLIST_COLOUR, "op de shortlist", "ring"),
             ("#000000", "gekozen locatie", "ring"),
             (_WORK_SITE, "werklocatie", "dot"),
             ("#555555", "gemeentegrens", "line"),
             ("#000000", "subregiogrens", "line")]
    for role, (label, colour) in _CONTEXT_STYLE.items():
        layer = (with_context or {}).get(role)
        if layer is not None and len(layer):
            rows.append((colour, label, "area"))
    return rows


def _hex(rgba: tuple[int, ...]) -> str:
    return "#" + "".join(f"{v:02x}" for v in rgba[:3])
