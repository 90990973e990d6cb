"""Pull layers from their official online sources into a region folder, with provenance.

A region's ``sources.yaml`` says, per layer, where it comes from: an OGC API Features
collection or a WFS feature type (read through GDAL's OAPIF and WFS drivers, which page through
the results and retry), a downloadable file (GeoPackage, GML, GeoJSON, also inside a zip; read
through GDAL's ``/vsicurl/`` and ``/vsizip/``), the download links of an Atom feed (INSPIRE
download services, e.g. Ruimtelijke plannen on PDOK) or OpenStreetMap, with the attribute
mapping, licence and attribution. A pull fetches the region's extent in tiles (or one download
at a time), keeps each finished part so an interrupted pull resumes where it stopped, then
writes the layer to ``layers/<name>.gpkg`` through a temporary file that replaces
the old one only when complete, and records where it came from (``provenance.json`` and the
GeoPackage's layer metadata) and updates ``layers.yaml``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import re
import shutil
import warnings
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from locscan import config, rdnap, settings
from locscan.errors import PullError, SourcesError

__all__ = ["PullError", "Source", "Sources", "load_sources", "pull", "status", "status_table",
           "tiles"]

PROVENANCE_FILE = "provenance.json"
SOURCES_FILE = "sources.yaml"


class Source(BaseModel):
    """
    Where one layer comes from.

    Attributes
    ----------
    kind
        ``oapif`` (OGC API Features), ``wfs``, ``file`` (a dataset to download, or a local
        file), ``atom`` (the download links of an Atom feed), ``osm`` (OpenStreetMap through
        osmnx), or ``manual``: not open data or no service; the region supplies the layer
        itself (``description`` says how), and ``data status`` reports it while it is missing.
    url
        The service's landing page (OAPIF), endpoint (WFS), the file's address (``file``; a
        path is taken relative to the region folder) or the feed (``atom``).
    collection
        Collection id (OAPIF), feature type name (WFS) or layer in the file (``file``,
        ``atom``; the first layer when empty).
    member
        For a zip archive: the path of the dataset inside it (``file``, ``atom``).
    entries
        For ``atom``: which entries to follow, a pattern matched against entry titles and
        link addresses (``*Enkelbestemming*``); every download link below them is read.
    tags
        OSM tags to select (``{amenity: parking}``), for ``osm``.
    file
        For ``osm``: a local OSM XML extract (relative to the region folder) instead of the
        Overpass API.
    role
        Role in the layer catalogue (see :data:`locscan.layers.ROLES`).
    fields
        Role attribute -> source field, written to ``layers.yaml``.
    classes
        Role attribute -> {pattern: class}, written to ``layers.yaml`` (e.g. zoning names
        ``"Wonen*": Wonen``); see :func:`locscan.layers.classify`.
    id_field
        Source field that identifies a feature, to drop the copies that neighbouring tiles
        both return; without it, copies are recognised by their geometry and attributes.
    where
        Attribute filter (OGR SQL), e.g. ``jaarcode = 2025``.
    page_size
        Features per request (PDOK: at most 1000).
    license, attribution
        As the publisher states them; shown by ``data status`` and in exports.
    """

    model_config = ConfigDict(extra="forbid")

    kind: Literal["oapif", "wfs", "file", "atom", "osm", "manual"]
    url: str = ""
    collection: str = ""
    member: str | None = None
    entries: str = "*"
    tags: dict[str, bool | str | list[str]] = {}
    file: str | None = None
    role: str | None = None
    fields: dict[str, str] = {}
    classes: dict[str, dict[str, str]] = {}
    id_field: str | None = None
    where: str | None = None
    page_size: int = Field(1000, gt=0)
    license: str = ""
    attribution: str = ""
    description: str = ""


    @model_validator(mode="after")
    def _complete(self) -> Source:
        if self.kind == "osm" and not self.tags:
            raise ValueError("kind 'osm' needs 'tags' (e.g. {amenity: parking})")
        if self.kind in ("oapif", "wfs") and not (self.url and self.collection):
            raise ValueError(f"kind {self.kind!r} needs 'url' and 'collection'")
        if self.kind in ("file", "atom") and not self.url:
            raise ValueError(f"kind {self.kind!r} needs 'url'")
        return self


class Sources(BaseModel):
    """The contents of a region's ``sources.yaml``."""

    model_config = ConfigDict(extra="forbid")

    extent_rd: tuple[float, float, float, float]
    tile_size_m: float = Field(10_000, gt=0)
    sources: dict[str, Source]


def load_sources(folder: str | os.PathLike) -> Sources:
    """
    Read and validate ``<folder>/sources.yaml``.

    Raises
    ------
    SourcesError
        Naming the file, the key and the line that is wrong.
    """
    return config.load(Sources, Path(folder) / SOURCES_FILE, what="sources",
                       error=SourcesError)


def tiles(extent: tuple[float, float, float, float], size: float) -> np.ndarray:
    """
    Split an extent (RD New) into square tiles; returns an (n, 4) array of bounds.

    Examples
    --------
    >>> tiles((0, 0, 25, 10), 10).tolist()
    [[0.0, 0.0, 10.0, 10.0], [10.0, 0.0, 20.0, 10.0], [20.0, 0.0, 25.0, 10.0]]
    """
    x0, y0, x1, y1 = map(float, extent)
    xs = np.arange(x0, x1, size)
    ys = np.arange(y0, y1, size)
    gx, gy = np.meshgrid(xs, ys)
    gx, gy = gx.ravel(), gy.ravel()
    return np.column_stack([gx, gy, np.minimum(gx + size, x1), np.minimum(gy + size, y1)])


def _gdal_source(source: Source) -> str:
    return f"{'OAPIF' if source.kind == 'oapif' else 'WFS'}:{source.url}"


@contextmanager
def _gdal_http(page_size: int | None = None, fresh: str | None = None) -> Iterator[None]:
    """
    Retries with back-off for busy servers (GDAL's own HTTP retry), a timeout, paging.

    ``fresh`` names a ``/vsicurl/`` path that GDAL must not answer from its in-process cache
    (a download that failed before may be there now).
    """
    options = {"GDAL_HTTP_MAX_RETRY": settings.http_retries,
               "GDAL_HTTP_RETRY_DELAY": settings.http_retry_delay,
               "GDAL_HTTP_TIMEOUT": settings.http_timeout,
               "OGR_WFS_PAGING_ALLOWED": "ON"}
    if page_size:
        options["OGR_WFS_PAGE_SIZE"] = page_size
    if fresh:
        options["CPL_VSIL_CURL_NON_CACHED"] = fresh
    before = {k: os.environ.get(k) for k in options}
    os.environ.update({k: str(v) for k, v in options.items()})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL reports each retry
            yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def _service_crs(source: Source) -> str:
    """The CRS the service's layer is in (bounding boxes are sent in it)."""
    with _gdal_http():
        crs = pyogrio.read_info(_gdal_source(source), layer=source.collection)["crs"]
    return crs or settings.geojson_crs


def _fetch_tile(source: Source, bounds: np.ndarray, crs: str) -> gpd.GeoDataFrame:
    box = rdnap.to_crs(gpd.GeoSeries([shapely.box(*bounds)], crs=settings.crs), crs)
    options = {"PAGE_SIZE": str(source.page_size)}
    if source.kind == "wfs":
        options["PAGING_ALLOWED"] = "ON"
    with _gdal_http(source.page_size):
        frame = pyogrio.read_dataframe(
            _gdal_source(source), layer=source.collection, bbox=tuple(box.total_bounds),
            where=source.where, **options,
        )
    if frame.crs is None:
        frame = frame.set_crs(crs)
    frame = rdnap.to_crs(frame, settings.crs)
    # keep what lies in this tile; a feature on a tile edge is in both (deduplicated later)
    keep = shapely.intersects(frame.geometry.to_numpy(), shapely.box(*bounds))
    return frame[keep]


def _fetch_osm(folder: Path, source: Source, extent: tuple[float, ...]) -> gpd.GeoDataFrame:
    """OSM features with `source.tags` in the extent, from a local extract or Overpass."""
    import osmnx as ox

    area = rdnap.to_crs(gpd.GeoSeries([shapely.box(*extent)], crs=settings.crs),
                        settings.geojson_crs)
    if source.file:
        frame = ox.features_from_xml(folder / source.file, polygon=area.iloc[0],
                                     tags=source.tags)
    else:
        frame = ox.features_from_polygon(area.iloc[0], tags=source.tags)
    frame = frame[frame.geom_type.isin(["Point", "Polygon", "MultiPolygon"])]
    frame = frame.reset_index()
    frame["osm_id"] = frame["element"].astype(str) + "/" + frame["id"].astype(str)
    frame = frame.drop(columns=["element", "id"])
    # OSM tags vary per feature; keep the mapped ones and a few common ones, as text
    keep = [c for c in {*source.fields.values(), "name", "osm_id"} if c in frame.columns]
    out = frame[keep].astype(object).where(frame[keep].notna(), None)
    return rdnap.to_crs(gpd.GeoDataFrame(out, geometry=frame.geometry.to_numpy(), crs=frame.crs),
                        settings.crs)


def _is_remote(url: str) -> bool:
    return re.match(r"^(https?|ftp)://", url, flags=re.IGNORECASE) is not None


def _vsi_path(folder: Path, url: str, member: str | None) -> str:
    """
    The GDAL path of a file: remote through ``/vsicurl/``, zipped or gzipped through GDAL.

    A remote file is read with ``/vsicurl/``, a zip opened with ``/vsizip/``, a ``.gz``
    unpacked on the fly with ``/vsigzip/``.

    Examples
    --------
    >>> _vsi_path(Path("r"), "https://x.nl/atom/downloads/Enkelbestemming.gml.gz", None)
    '/vsigzip//vsicurl/https://x.nl/atom/downloads/Enkelbestemming.gml.gz'
    >>> _vsi_path(Path("r"), "https://x.nl/kernen.zip", "kernen.gpkg")
    '/vsizip//vsicurl/https://x.nl/kernen.zip/kernen.gpkg'
    >>> _vsi_path(Path("r"), "eigen/kernen.gpkg", None)
    'r/eigen/kernen.gpkg'
    """
    path = f"/vsicurl/{url}" if _is_remote(url) else str(folder / url)
    if url.lower().split("?")[0].endswith(".gz"):
        return f"/vsigzip/{path}"
    if member or url.lower().split("?")[0].endswith(".zip"):
        path = f"/vsizip/{path}" + (f"/{member.lstrip('/')}" if member else "")
    return path


def _fetch_file(folder: Path, source: Source, url: str,
                extent: tuple[float, ...]) -> gpd.GeoDataFrame:
    """The features of one dataset (file or download link) that lie in the extent."""
    path = _vsi_path(folder, url, source.member)
    if not _is_remote(url) and not (folder / url).is_file():
        raise PullError(f"{folder / url}: file not found. {source.description}".strip(". "))
    layer = source.collection or None
    with _gdal_http(fresh=f"/vsicurl/{url}" if _is_remote(url) else None):
        crs = pyogrio.read_info(path, layer=layer)["crs"] or settings.crs
        area = rdnap.to_crs(gpd.GeoSeries([shapely.box(*extent)], crs=settings.crs), crs)
        frame = pyogrio.read_dataframe(path, layer=layer, bbox=tuple(area.total_bounds),
                                       where=source.where)
    if frame.crs is None:
        frame = frame.set_crs(crs)
    frame = rdnap.to_crs(frame, settings.crs)
    keep = shapely.intersects(frame.geometry.to_numpy(), shapely.box(*extent))
    return frame[keep]


ATOM = "{http://www.w3.org/2005/Atom}"
_NOT_DATA = {"self", "describedby", "search", "up", "related", "license", "via"}


def _http_session():
    """A requests session that retries busy servers with back-off (urllib3's Retry)."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(total=settings.http_retries, backoff_factor=settings.http_retry_delay,
                  status_forcelist=(429, 500, 502, 503, 504), allowed_methods=("GET",))
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def atom_links(url: str, pattern: str = "*", *, session=None, depth: int = 2) -> list[str]:
    """
    The download links of an Atom feed's entries whose title or link matches ``pattern``.

    Links to other Atom feeds (an INSPIRE service feed points to dataset feeds) are followed
    up to ``depth`` levels; below a matching entry every download link is taken.

    Parameters
    ----------
    url : str
        The feed.
    pattern : str
        Shell-style pattern, case-insensitive, e.g. ``*Enkelbestemming*``.

    Returns
    -------
    list of str
        Absolute download addresses, in feed order, without repeats.
    """
    from urllib.parse import urljoin

    session = session or _http_session()
    response = session.get(url, timeout=settings.http_timeout)
    response.raise_for_status()
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError as exc:
        raise PullError(f"Atom feed {url}: not valid XML ({exc})") from exc
    if root.tag != f"{ATOM}feed":
        raise PullError(f"{url}: not an Atom feed (root element {root.tag})")
    found: list[str] = []
    for entry in root.iter(f"{ATOM}entry"):
        links = [(urljoin(url, link.get("href", "")), link.get("type", ""),
                  link.get("rel", "alternate")) for link in entry.iter(f"{ATOM}link")]
        names = [entry.findtext(f"{ATOM}title", default=""), *(h for h, _, _ in links)]
        if not any(fnmatch.fnmatch(n.lower(), pattern.lower()) for n in names):
            continue
        for href, kind, rel in links:
            if rel in _NOT_DATA or "html" in kind:
                continue
            if "atom" in kind:
                if depth:
                    found += atom_links(href, "*", session=session, depth=depth - 1)
            elif href:
                found.append(href)
    return list(dict.fromkeys(found))


def _parts(source: Source, extent: tuple[float, ...], tile_size: float) -> list:
    """What one pull fetches piece by piece: tiles, download links or the whole extent."""
    if source.kind == "osm":
        return [tuple(extent)]
    if source.kind == "file":
        return [source.url]
    if source.kind == "atom":
        links = atom_links(source.url, source.entries)
        if not links:
            raise PullError(f"Atom feed {source.url}: no download links under entries "
                            f"matching {source.entries!r}")
        return links
    return list(tiles(extent, tile_size))


def _host(source: Source) -> str | None:
    """The network host a source needs, or ``None`` when it is read from local files."""
    from urllib.parse import urlparse

    if source.kind == "manual" or (source.kind == "osm" and source.file):
        return None
    if source.kind == "osm":
        import osmnx as ox

        return urlparse(ox.settings.overpass_url).hostname
    return urlparse(source.url).hostname if _is_remote(source.url) else None


def _unreachable(host: str | None, seen: dict[str, str | None]) -> str | None:
    """Why `host` cannot be reached (its name does not resolve), or ``None``; asked once."""
    import socket

    if host is None:
        return None
    if host not in seen:
        try:
            socket.getaddrinfo(host, None)
            seen[host] = None
        except OSError as exc:
            seen[host] = f"cannot resolve {host} ({exc.strerror or exc})"
    return seen[host]


def _count(path: Path, layer: str | None) -> int | None:
    """Feature count of a layer file that has no provenance record (e.g. a region's own)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            count = int(pyogrio.read_info(path, layer=layer)["features"])
    except Exception:  # a file GDAL cannot read: loading it will say why
        return None
    return count if count >= 0 else None  # -1: the format does not know without reading all


def _part_file(i: int, part: Any) -> str:
    """
    The staging file of one part, named after what it holds.

    A part kept from an interrupted pull is only reused for the same tile bounds or the same
    download link; a feed that changed in between (PDOK refreshes monthly) is fetched anew.

    Examples
    --------
    >>> _part_file(0, "https://x.nl/a.zip") == _part_file(0, "https://x.nl/a.zip")
    True
    >>> _part_file(0, "https://x.nl/a.zip") == _part_file(0, "https://x.nl/b.zip")
    False
    """
    key = part if isinstance(part, str) else repr([round(float(v), 3) for v in part])
    return f"tile-{i:05d}-{hashlib.sha1(key.encode()).hexdigest()[:12]}.parquet"


def _dedupe(frame: gpd.GeoDataFrame, id_field: str | None) -> gpd.GeoDataFrame:
    if id_field and id_field in frame:
        return frame.drop_duplicates(id_field)
    key = pd.DataFrame(frame.drop(columns=frame.geometry.name)).assign(
        _wkb=shapely.to_wkb(frame.geometry.to_numpy(), hex=True))
    return frame[~key.duplicated().to_numpy()]


def _origin(source: Source) -> str:
    if source.kind == "manual":
        return "eigen laag (zie de beschrijving in sources.yaml)"
    if source.kind == "osm":
        return f"OpenStreetMap {source.file or 'Overpass API'} {source.tags}"
    if source.kind == "atom":
        return f"Atom {source.url}, entries {source.entries}"
    return ", ".join(filter(None, [source.url, source.member, source.collection]))


def _staging(folder: Path, name: str) -> Path:
    return folder / ".pull" / name


def pull_layer(
    folder: str | os.PathLike,
    name: str,
    source: Source,
    extent: tuple[float, float, float, float],
    tile_size: float,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> dict:
    """
    Fetch one layer tile by tile, then swap it into ``layers/<name>.gpkg``.

    Tiles that were fetched before an interruption are kept in ``.pull/<name>/`` and not
    fetched again. The existing layer is replaced only when every tile is in.

    Returns
    -------
    dict
        The layer's provenance record.

    Raises
    ------
    PullError
        When a tile cannot be fetched (no network, server error); the message says how many
        tiles are kept for the next run.
    """
    folder = Path(folder)
    stage = _staging(folder, name)
    stage.mkdir(parents=True, exist_ok=True)
    try:
        grid = _parts(source, extent, tile_size)
    except PullError as exc:
        raise PullError(f"layer {name!r}: {exc}") from exc
    except Exception as exc:  # requests raises several error types for network trouble
        raise PullError(f"layer {name!r} ({_origin(source)}): the feed could not be read: "
                        f"{exc}. No network or the service is down? The existing layer is "
                        "untouched.") from exc
    crs: str | None = None
    files = [stage / _part_file(i, part) for i, part in enumerate(grid)]
    for i, (part, done) in enumerate(zip(grid, files, strict=True)):
        if not done.exists():
            try:
                if source.kind == "osm":
                    frame = _fetch_osm(folder, source, extent)
                elif source.kind in ("file", "atom"):
                    frame = _fetch_file(folder, source, part, extent)
                else:
                    crs = crs or _service_crs(source)
                    frame = _fetch_tile(source, part, crs)
            except PullError as exc:  # says itself what is wrong (e.g. a missing local file)
                raise PullError(f"layer {name!r}: {exc}") from exc
            except Exception as exc:  # GDAL raises several error types for network trouble
                kept = len(list(stage.glob("tile-*.parquet")))
                what = (f"download {part} ({i + 1} of {len(grid)})"
                        if source.kind in ("file", "atom") else f"tile {i + 1} of {len(grid)}")
                raise PullError(
                    f"layer {name!r} ({_origin(source)}): {what} could not be fetched: {exc}. "
                    "No network or the service is down? The existing layer is untouched; "
                    f"{kept} parts are kept and the next pull resumes from there."
                ) from exc
            tmp = done.with_suffix(".tmp")
            frame.to_parquet(tmp)
            os.replace(tmp, done)
        if progress:
            progress(i + 1, len(grid))
    parts = [gpd.read_parquet(p) for p in files]  # not what an older extent or feed left
    parts = [p for p in parts if len(p)]
    layer = _dedupe(pd.concat(parts, ignore_index=True), source.id_field) if parts else (
        gpd.GeoDataFrame(geometry=[], crs=settings.crs))
    record = {
        "kind": source.kind, "url": source.url or _origin(source),
        "collection": (source.collection or source.member or json.dumps(source.tags)
                       if source.kind != "atom" else source.entries),
        "where": source.where, "retrieved": datetime.now(UTC).isoformat(timespec="seconds"),
        "features": len(layer), "license": source.license, "attribution": source.attribution,
        "tiles": len(grid), "extent_rd": list(extent),
    }
    if source.kind in ("file", "atom"):
        record["downloads"] = list(grid)
    target = folder / "layers" / f"{name}.gpkg"
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp.gpkg")
    tmp.unlink(missing_ok=True)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.write_dataframe(
            layer, tmp, layer=name, driver="GPKG", promote_to_multi=None,
            layer_options={"DESCRIPTION": source.description or f"{source.collection} "
                           f"({source.url})"},
            layer_metadata={f"locscan_{k}": str(v) for k, v in record.items()},
        )
    os.replace(tmp, target)  # the old layer is replaced only now, in one step
    shutil.rmtree(stage, ignore_errors=True)
    _record(folder, name, record)
    _catalogue(folder, name, source)
    return record


def _record(folder: Path, name: str, record: dict) -> None:
    path = folder / PROVENANCE_FILE
    data = json.loads(path.read_text()) if path.is_file() else {}
    data[name] = record
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False))
    os.replace(tmp, path)


def _catalogue(folder: Path, name: str, source: Source) -> None:
    path = folder / settings.catalogue_file
    data = yaml.safe_load(path.read_text()) if path.is_file() else None
    data = data or {"layers": {}}
    entry = {"source": f"layers/{name}.gpkg", "layer": name}
    if source.role and source.role != name:
        entry["role"] = source.role
    if source.fields:
        entry["fields"] = dict(source.fields)
    if source.classes:
        entry["classes"] = {k: dict(v) for k, v in source.classes.items()}
    entry |= {k: v for k, v in {"description": source.description,
                                "license": source.license,
                                "attribution": source.attribution}.items() if v}
    data["layers"][name] = entry
    tmp = path.with_suffix(".tmp")
    tmp.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))
    os.replace(tmp, path)


def pull(
    folder: str | os.PathLike,
    names: list[str] | None = None,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> dict[str, dict]:
    """
    Pull the named layers (all in ``sources.yaml`` when ``None``) into the region folder.

    Raises
    ------
    LocscanError
        For an unknown layer name.
    PullError
        When one or more layers cannot be fetched, after the others were pulled; it names each
        failure, and its ``done`` holds the layers that were pulled.
    """
    folder = Path(folder)
    config = load_sources(folder)
    everything = names in (None, [], ["all"])
    names = [n for n, s in config.sources.items() if s.kind != "manual"] if everything else names
    unknown = [n for n in names if n not in config.sources]
    if unknown:
        raise SourcesError(f"sources {folder / SOURCES_FILE}: no layer(s) {', '.join(unknown)};"
                           f" known: {', '.join(config.sources)}")
    manual = [n for n in names if config.sources[n].kind == "manual"]
    if manual:
        raise SourcesError(f"layer(s) {', '.join(manual)} cannot be pulled: the region "
                           "supplies them itself (see their description in sources.yaml)")
    done, failed, hosts = {}, [], {}
    for name in names:
        offline = _unreachable(_host(config.sources[name]), hosts)
        if offline:  # fail at once instead of retrying for minutes
            failed.append(f"layer {name!r} ({_origin(config.sources[name])}): no network? "
                          f"{offline}. Nothing was fetched; the existing layer is untouched.")
            continue
        try:
            done[name] = pull_layer(
                folder, name, config.sources[name], config.extent_rd, config.tile_size_m,
                progress=(lambda i, n, name=name: progress(name, i, n)) if progress else None,
            )
        except PullError as exc:
            failed.append(str(exc))
    if failed:
        raise PullError("\n".join(failed), done)
    return done


def status(folder: str | os.PathLike) -> pd.DataFrame:
    """
    What is cached in a region folder, from where, when, under which licence.

    Returns
    -------
    DataFrame
        One row per layer in ``sources.yaml`` or ``layers.yaml``: ``source``, ``retrieved``,
        ``features``, ``license``, ``attribution``, ``file`` and ``state`` (``aanwezig``,
        ``ontbreekt`` or ``onderbroken``: tiles of an interrupted pull are waiting) and
        ``description``.
    """
    folder = Path(folder)
    config = load_sources(folder) if (folder / SOURCES_FILE).is_file() else None
    catalogue = yaml.safe_load((folder / settings.catalogue_file).read_text()) if (
        folder / settings.catalogue_file).is_file() else {"layers": {}}
    provenance = json.loads((folder / PROVENANCE_FILE).read_text()) if (
        folder / PROVENANCE_FILE).is_file() else {}
    names = list(dict.fromkeys([*(config.sources if config else {}),
                                *(catalogue or {}).get("layers", {})]))
    rows = []
    for name in names:
        entry = (catalogue or {}).get("layers", {}).get(name, {})
        src = config.sources.get(name) if config else None
        rec = provenance.get(name, {})
        file = folder / entry["source"] if entry.get("source") else None
        waiting = len(list(_staging(folder, name).glob("tile-*.parquet")))
        state = "aanwezig" if file is not None and file.exists() else "ontbreekt"
        if state == "ontbreekt" and src is not None and src.kind == "manual":
            state = "ontbreekt (geen open bron: lever een eigen laag aan)"
        if waiting:
            state = f"onderbroken ({waiting} tegels klaar)"
        features = rec.get("features")
        if features is None and state == "aanwezig":
            features = _count(file, entry.get("layer"))
        rows.append({
            "layer": name,
            "source": _origin(src) if src else entry.get("source", ""),
            "retrieved": rec.get("retrieved", ""),
            "features": features,
            "license": rec.get("license") or (src.license if src else entry.get("license", "")),
            "attribution": rec.get("attribution") or (src.attribution if src else
                                                      entry.get("attribution", "")),
            "state": state,
            "description": (src.description if src else "") or entry.get("description", ""),
        })
    return pd.DataFrame(rows).set_index("layer") if rows else pd.DataFrame()


#: Dutch column names of :func:`status_table`.
STATUS_COLUMNS = {"layer": "laag", "source": "bron", "retrieved": "opgehaald (UTC)",
                  "features": "objecten", "license": "licentie",
                  "attribution": "naamsvermelding", "state": "toestand",
                  "description": "beschrijving"}


def status_table(folder: str | os.PathLike) -> pd.DataFrame:
    """
    :func:`status` for people: Dutch column names, the layer as a column, empty cells blank.

    Examples
    --------
    >>> import tempfile
    >>> status_table(tempfile.mkdtemp()).empty
    True
    """
    table = status(folder)
    if table.empty:
        return table
    out = table.reset_index().rename(columns=STATUS_COLUMNS)
    out["objecten"] = out["objecten"].astype("Int64")
    return out.fillna({c: "" for c in out.columns if c != "objecten"})
