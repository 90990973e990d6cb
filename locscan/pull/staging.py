"""Pull layers part by part into staging, then swap each into the region folder with provenance.

Each finished part (tile or download) is kept in ``.pull/<layer>/`` so an interrupted pull
resumes where it stopped; the layer is written to ``layers/<name>.gpkg`` through a temporary
file that replaces the old one only when complete, and ``provenance.json`` and ``layers.yaml``
are updated.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import warnings
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely
import yaml

from locscan import atomic, config, settings
from locscan.errors import PullError, SourcesError
from locscan.pull import download, osm, service
from locscan.pull.atom import atom_links
from locscan.pull.http import host_of, unreachable
from locscan.pull.sources import PROVENANCE_FILE, SOURCES_FILE, Source, load_sources, origin

__all__ = [
    "pull",
    "pull_layer",
    "staging_dir",
]


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
    return list(service.tiles(extent, tile_size))


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


def _existing(folder: Path, name: str) -> str:
    """What an interrupted pull leaves of the layer: the earlier copy, or that there is none."""
    if (Path(folder) / "layers" / f"{name}.gpkg").exists():
        return "the existing layer is untouched"
    return "there is no earlier copy of this layer yet (run 'data pull' again when online)"


def staging_dir(folder: Path, name: str) -> Path:
    """The folder where the finished parts of an unfinished pull of layer `name` wait."""
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
    stage = staging_dir(folder, name)
    stage.mkdir(parents=True, exist_ok=True)
    try:
        grid = _parts(source, extent, tile_size)
    except PullError as exc:
        raise PullError(f"layer {name!r}: {exc}") from exc
    except Exception as exc:  # requests raises several error types for network trouble
        raise PullError(f"layer {name!r} ({origin(source)}): the feed could not be read: "
                        f"{exc}. No network or the service is down? "
                        f"{_existing(folder, name).capitalize()}.") from exc
    crs: str | None = None
    files = [stage / _part_file(i, part) for i, part in enumerate(grid)]
    for i, (part, done) in enumerate(zip(grid, files, strict=True)):
        if not done.exists():
            try:
                if source.kind == "osm":
                    frame = osm.fetch_osm(folder, source, extent)
                elif source.kind in ("file", "atom"):
                    frame = download.fetch_file(folder, source, part, extent)
                else:
                    crs = crs or service.service_crs(source)
                    frame = service.fetch_tile(source, part, crs)
            except PullError as exc:  # says itself what is wrong (e.g. a missing local file)
                raise PullError(f"layer {name!r}: {exc}") from exc
            except Exception as exc:  # GDAL raises several error types for network trouble
                kept = len(list(stage.glob("tile-*.parquet")))
                what = (f"download {part} ({i + 1} of {len(grid)})"
                        if source.kind in ("file", "atom") else f"tile {i + 1} of {len(grid)}")
                raise PullError(
                    f"layer {name!r} ({origin(source)}): {what} could not be fetched: {exc}. "
                    f"No network or the service is down? {_existing(folder, name).capitalize()}; "
                    f"{kept} parts are kept and the next pull resumes from there."
                ) from exc
            with atomic.replacing(done) as tmp:
                frame.to_parquet(tmp)
        if progress:
            progress(i + 1, len(grid))
    parts = [gpd.read_parquet(p) for p in files]  # not what an older extent or feed left
    parts = [p for p in parts if len(p)]
    layer = _dedupe(pd.concat(parts, ignore_index=True), source.id_field) if parts else (
        gpd.GeoDataFrame(geometry=[], crs=settings.crs))
    record = {
        "kind": source.kind, "url": source.url or origin(source),
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
    with atomic.replacing(target) as tmp, warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.write_dataframe(
            layer, tmp, layer=name, driver="GPKG", promote_to_multi=None,
            layer_options={"DESCRIPTION": source.description or f"{source.collection} "
                           f"({source.url})"},
            layer_metadata={f"locscan_{k}": str(v) for k, v in record.items()},
            dataset_options={"VERSION": "1.2"},  # readable by GDAL 3.6 / QGIS 3.22 too
        )  # the old layer is replaced only when this one is whole, in one step
    shutil.rmtree(stage, ignore_errors=True)
    _record(folder, name, record)
    _catalogue(folder, name, source)
    return record


def _record(folder: Path, name: str, record: dict) -> None:
    path = folder / PROVENANCE_FILE
    data = json.loads(path.read_text()) if path.is_file() else {}
    data[name] = record
    atomic.write_text(path, json.dumps(data, indent=2, ensure_ascii=False))


def _catalogue(folder: Path, name: str, source: Source) -> None:
    path = folder / settings.catalogue_file
    data = config.read(path, what="layer catalogue", error=SourcesError)[0] if (
        path.is_file()) else None
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
    atomic.write_text(path, yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


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
        offline = unreachable(host_of(config.sources[name]), hosts)
        if offline:  # fail at once instead of retrying for minutes
            failed.append(f"layer {name!r} ({origin(config.sources[name])}): no network? "
                          f"{offline}. Nothing was fetched; {_existing(folder, name)}.")
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
