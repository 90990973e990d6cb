"""A scan in parts: candidates and measures per gemeente, each part with the layers in reach.

A scan of a province or of the whole country does not fit in memory at once. Each part (one
gemeente) reads its candidates through the sources' spatial index and, per measure, only the
features of the layer within the measure's reach of them: nothing beyond the candidates for an
overlap, the distance for a count or sum within a distance, and for the distance to the
nearest feature a reach that grows (fourfold) until every candidate's nearest feature lies
inside it. A feature outside the reach is farther than every feature inside it, so each part's
answers equal those of the whole layer; the parts together equal the unpartitioned scan.

Measures are cached per part, keyed by the part's candidates (ids, shapes and attributes) and
the layers: when one gemeente's parcels change, only that part is measured again. The parts are
run side by side, here or on a dask cluster, by :mod:`locscan.measures.runner`.
"""

from __future__ import annotations

import hashlib
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from locscan import _cache, atomic, settings
from locscan.candidates import SOURCES, candidates_from_frames, candidates_key
from locscan.layers.places import municipality_of
from locscan.measures.engine import (
    _ids_digest,
    _missing,
    compute_one,
    layer_keys,
    masked_outside_coverage,
    spec_key,
)
from locscan.measures.spec import KINDS, MeasureSpec
from locscan.region import Region

__all__ = ["FIRST_REACH_M", "PART_M", "Part", "cached_part_candidates", "measure_part",
           "part_candidates", "part_groups", "part_shapes", "reach_m"]

#: the side (m) of the tiles that group gemeenten into parts (:func:`part_groups`)
PART_M = 30_000.0
#: the first reach (m) of a nearest-distance measure without a maximum; it grows fourfold
FIRST_REACH_M = 2_000.0
#: a reach that holds the Netherlands from any point in it: the whole layer
_WHOLE_M = 400_000.0
#: a part's content key (:func:`_content_key`) as kept beside its cached candidates
_CONTENT = re.compile(r"[0-9a-f]{20}")


@dataclass
class Part:
    """One part of a scan: a gemeente's candidates and their measures.

    Attributes
    ----------
    name
        The part's name: a gemeente's CBS code, or ``tegel-<x>-<y>`` for the gemeenten whose
        centre lies in one tile.
    codes
        The CBS codes of its gemeenten.
    candidates
        The candidates whose representative point lies in one of them; without their shapes
        (a DataFrame) when the part was read from its cache without them.
    measures
        One row per candidate, a column per measure (and its extra columns).
    from_cache
        Names of the measures read from the cache.
    messages
        Warnings raised while reading the part's layers, to be shown once by the caller.
    content
        A digest of the candidates (ids, shapes and attributes; empty without candidates):
        what the part's cached products are keyed by.
    """

    name: str
    codes: list[str]
    candidates: gpd.GeoDataFrame | pd.DataFrame
    measures: pd.DataFrame
    from_cache: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)
    content: str = ""


def reach_m(spec: MeasureSpec) -> float | None:
    """
    How far beyond a candidate a measure looks, in metres; None when it has no bound.

    Examples
    --------
    >>> reach_m(MeasureSpec(name="z", kind="overlap_fraction", layer="cores"))
    0.0
    >>> reach_m(MeasureSpec(name="p", kind="sum_within", layer="parking",
    ...                     params={"distance": 400, "field": "capacity"}))
    400.0
    >>> reach_m(MeasureSpec(name="d", kind="distance_to", layer="stops")) is None
    True
    """
    if spec.kind in ("overlap_fraction", "dominant_attribute"):
        return 0.0
    if spec.kind in ("count_within", "sum_within"):
        return float(spec.params["distance"])
    if spec.kind == "distance_to" and spec.params.get("max_distance") is not None:
        return float(spec.params["max_distance"])
    return None


def _grown(bounds: np.ndarray, by: float) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in bounds)
    return x0 - by, y0 - by, x1 + by, y1 + by


def part_candidates(region: Region, codes: list[str]) -> gpd.GeoDataFrame:
    """
    The candidates of the gemeenten `codes`: those whose representative point lies in one.

    Read through the sources' spatial index within the gemeenten's extent, so a parcel that
    crosses a border belongs to one part only, as in the unpartitioned scan.
    """
    muni = region.layer(region.layers_with_role("municipalities")[0])
    shape = muni.geometry.to_numpy()[muni["code"].isin(codes).to_numpy()]
    frames = {}
    for role, source in SOURCES.items():
        for name in region.layers_with_role(role) if len(shape) else ():
            gdf = region.layer_within(name, tuple(shapely.total_bounds(shape)))
            frames[name] = (source, gdf[municipality_of(gdf.geometry, muni).isin(codes)])
    filled = {name: f for name, f in frames.items() if len(f[1])}
    return candidates_from_frames(filled, muni, region.meta) if filled else _empty_candidates(
        frames)


def cached_part_candidates(region: Region, name: str, codes: list[str], *,
                           cache: bool | None = None) -> gpd.GeoDataFrame:
    """
    :func:`part_candidates` of part `name`, from its cache when the sources did not change.

    The cache is keyed by the candidate sources' fingerprints and the part's gemeenten.
    """
    return _cached_part(region, name, codes, settings.use_cache if cache is None else cache)[0]


def part_shapes(region: Region, part: Part) -> gpd.GeoDataFrame | None:
    """
    The candidates of `part` with their shapes; None when its cache no longer holds them.

    A part measured without shapes (``measure_part(..., shapes=False)``) reads them from its
    cache, as they were when it was measured (the same content key), or not at all.
    """
    if isinstance(part.candidates, gpd.GeoDataFrame):
        return part.candidates
    cands, content = _cached_part(region, part.name, part.codes, True)
    return cands if content == part.content else None


def _cached_part(region: Region, name: str, codes: list[str], cache: bool, *,
                 shapes: bool = True) -> tuple[gpd.GeoDataFrame | pd.DataFrame, str]:
    """
    :func:`cached_part_candidates` and their :func:`_content_key`.

    Without `shapes`, candidates from the cache come without them (a DataFrame): decoding
    and freeing a country's shapes took half the time of reading it from the cache.
    The key is kept in a file beside the cached candidates, written after them: hashing a
    tile's shapes and attributes again each time the part is read from the cache took longer
    than reading it (32 of 55 s for the country's 59 parts).
    """
    path = (region.cache_dir / "parts" / name
            / f"candidates-{_cache.key(candidates_key(region), codes)}.geo.arrow")
    digest = path.with_name(path.name.removesuffix(".geo.arrow") + ".content")
    cands = _cache.read(path, shapes=shapes) if cache else None
    if cands is None:
        cands = part_candidates(region, codes)
        content = _content_key(cands)
        if cache:
            digest.unlink(missing_ok=True)  # never beside candidates it was not made from
            _cache.write(path, cands)
            atomic.write_text(digest, content)
        return cands, content
    try:
        known = digest.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:  # absent (a cache written before keys were kept) or unreadable
        known = ""
    if _CONTENT.fullmatch(known):
        return cands, known
    if not shapes:  # the key is of the shapes too
        return _cached_part(region, name, codes, cache)
    content = _content_key(cands)
    atomic.write_text(digest, content)
    return cands, content


def part_groups(region: Region, tile_m: float | None = PART_M) -> dict[str, list[str]]:
    """
    The parts of a scan: the gemeenten grouped by square tiles of `tile_m` metres.

    A gemeente belongs to the tile that holds a point on its surface; one part per gemeente
    when `tile_m` is None or 0.

    Tiles keep the number of parts, and so the cost that each part pays to open the layers,
    small for a country of 342 gemeenten, while each part stays small enough for memory.
    """
    codes = [m.code for m in region.meta.municipalities]
    if not tile_m:
        return {code: [code] for code in codes}
    muni = region.layer(region.layers_with_role("municipalities")[0])
    points = shapely.point_on_surface(muni.geometry.to_numpy())
    at = dict(zip(muni["code"], zip(np.floor(shapely.get_x(points) / tile_m).astype(int),
                                    np.floor(shapely.get_y(points) / tile_m).astype(int),
                                    strict=True), strict=True))
    groups: dict[str, list[str]] = {}
    for code in codes:
        x, y = at.get(code, (-1, -1))
        groups.setdefault(f"tegel-{x}-{y}" if code in at else code, []).append(code)
    return groups


def _empty_candidates(frames: dict) -> gpd.GeoDataFrame:
    """A candidate table without rows, with the columns of a full one."""
    columns = ["source", "layer", "source_id", "gemeente_code", "gemeente", "subregio",
               "area_m2"]
    extra = list(dict.fromkeys(c for _, gdf in frames.values() for c in gdf.columns
                               if c not in ("id", gdf.geometry.name)))
    return gpd.GeoDataFrame({c: [] for c in [*columns, *extra]}, geometry=[],
                            crs=settings.crs, index=pd.Index([], name="candidate_id"))


def _content_key(cands: gpd.GeoDataFrame) -> str:
    """A digest of a part's candidates: ids, shapes and attributes, in their order."""
    digest = hashlib.sha256(_ids_digest(cands.index).encode())
    digest.update(b"".join(shapely.to_wkb(cands.geometry.to_numpy())))
    attrs = cands.drop(columns=cands.geometry.name)
    digest.update(pd.util.hash_pandas_object(attrs.astype(str), index=False).to_numpy())
    return digest.hexdigest()[:20]


def _within_reach(region: Region, spec: MeasureSpec, cands: gpd.GeoDataFrame,
                  networks: dict) -> pd.DataFrame:
    """One measure for one part's candidates, from the layer's features within reach."""
    if not KINDS[spec.kind].needs_layer:  # the candidate's own area or attribute
        return compute_one(cands, spec, None, networks)
    reach = reach_m(spec)
    if spec.kind == "network_distance_to":  # the network's graph is one whole
        return compute_one(cands, spec, region.layer(spec.layer), networks)
    if reach is not None:
        bbox = _grown(cands.total_bounds, reach)
        return compute_one(cands, spec, region.layer_within(spec.layer, bbox), networks)
    out, todo, reach = [], np.arange(len(cands)), FIRST_REACH_M
    while len(todo):
        some = cands.iloc[todo]
        layer = region.layer_within(spec.layer, _grown(some.total_bounds, reach))
        frame = compute_one(some, spec, layer, networks)
        found = (frame[spec.name] <= reach).to_numpy()
        if reach >= _WHOLE_M:
            found[:] = True  # the whole layer was read: nothing nearer exists
        out.append(frame[found])
        todo, reach = todo[~found], reach * 4
    return pd.concat(out).reindex(cands.index)


def measure_part(region: Region, specs: Iterable[MeasureSpec], name: str, codes: list[str],
                 *, cache: bool | None = None, keys: dict[str, str] | None = None,
                 shapes: bool = True) -> Part:
    """
    The candidates of the gemeenten `codes` (part `name`) and their measures.

    Each measure from the cache when possible.

    `keys` are the layers' fingerprints, when the caller has them. Warnings raised while
    reading are returned in the part (``messages``), not shown. Without `shapes`, a part whose
    candidates and measures all come from the cache holds its candidates without their shapes
    (a DataFrame; :func:`part_shapes` reads them).
    """
    specs = list(specs)
    cache = settings.use_cache if cache is None else cache
    keys = keys if keys is not None else layer_keys(region, specs)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        part = _measure_part(region, specs, name, codes, cache, keys, shapes)
    part.messages = list(dict.fromkeys(str(w.message) for w in caught))
    return part


def _measure_part(region: Region, specs: list[MeasureSpec], name: str, codes: list[str],
                  cache: bool, keys: dict[str, str], shapes: bool) -> Part:
    folder = region.cache_dir / "parts" / name
    cands, content = _cached_part(region, name, codes, cache, shapes=shapes)
    if not len(cands):  # a part without candidates (open water): nothing to measure or read
        return Part(name, codes, cands, pd.DataFrame(index=cands.index))
    paths = _measure_paths(folder, specs, content, keys)
    found = _cached_measures(paths, len(cands)) if cache else {}
    if len(found) < len(specs) and not isinstance(cands, gpd.GeoDataFrame):
        cands, again = _cached_part(region, name, codes, cache)  # to measure: the shapes
        if again != content:  # the cache changed in between: its measures are others
            content, paths = again, _measure_paths(folder, specs, again, keys)
            found = _cached_measures(paths, len(cands))
    frames = []
    networks = {n: region.network(n) for s in specs
                if s.name not in found and (n := s.params.get("network"))}
    for spec in specs:
        frame = found.get(spec.name)
        if frame is not None:
            frame = frame.set_axis(cands.index)
        else:
            layer = spec.layer if spec.layer and region.has_layer(spec.layer) else None
            if (_missing(cands, spec, layer) is not None
                    or (KINDS[spec.kind].needs_layer and layer is None)):
                frame = compute_one(cands, spec, None, networks)  # unknown, with its warning
            else:
                frame = _within_reach(region, spec, cands, networks)
            if cache:
                _cache.write(paths[spec.name], frame.reset_index(drop=True))
        frames.append(masked_outside_coverage(region, cands, spec, frame))
    table = pd.concat(frames, axis=1) if frames else pd.DataFrame(index=cands.index)
    return Part(name, codes, cands, table, [s.name for s in specs if s.name in found],
                content=content)


def _measure_paths(folder: Path, specs: list[MeasureSpec], content: str,
                   keys: dict[str, str]) -> dict[str, Path]:
    """Where each measure of a part whose candidates have digest `content` is cached."""
    return {spec.name: folder / f"measure-{spec.name}-{spec_key(spec, content, keys)}.parquet"
            for spec in specs}


def _cached_measures(paths: dict[str, Path], rows: int) -> dict[str, pd.DataFrame]:
    """The measures (by name) whose cached file at `paths` reads whole, with `rows` rows."""
    frames = {name: _cache.read(path) for name, path in paths.items()}
    return {name: f for name, f in frames.items() if f is not None and len(f) == rows}
