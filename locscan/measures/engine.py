"""Compute measures for all candidates of a region, side by side, each cached on disk.

:func:`compute_for_region` caches each measure keyed by the measure's spec and the contents of
the layers it reads, so changing a threshold never recomputes geometry. Specs are checked
against the region's catalogue before anything is computed.
"""

from __future__ import annotations

import hashlib
import warnings
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyarrow as pa

from locscan import _cache, settings
from locscan.candidates import candidates_for_region, candidates_key
from locscan.errors import LocscanError, MeasureError
from locscan.measures.spec import KINDS, MeasureSpec
from locscan.region import Region

__all__ = [
    "MEASURES_VERSION", "as_categories", "check_specs", "compute", "compute_for_region",
    "compute_one", "layer_keys", "masked_outside_coverage", "spec_key",
]


#: bump when a kind's results change, so old caches are not used
MEASURES_VERSION = 4


def _ids_digest(ids: pd.Index) -> str:
    """
    A digest of the candidate ids in their order (a measure file's rows follow them).

    Examples
    --------
    >>> a = _ids_digest(pd.Index(["perceel:1", "perceel:2"]))
    >>> a == _ids_digest(pd.Index(["x", "perceel:1", "perceel:2"])[1:])
    True
    >>> a == _ids_digest(pd.Index(["perceel:2", "perceel:1"]))
    False
    """
    arr = pa.array(ids.astype(str), type=pa.large_string())  # the text, not Python objects
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + len(arr) + 1]
    digest = hashlib.sha256((offsets - offsets[0]).tobytes())
    if arr.buffers()[2] is not None:
        digest.update(memoryview(arr.buffers()[2])[offsets[0]:offsets[-1]])
    return digest.hexdigest()[:20]


def _missing(candidates: gpd.GeoDataFrame, spec: MeasureSpec, layer: Any) -> str | None:
    """The warning for optional data the region lacks (``if_missing: unknown``), else None."""
    if spec.if_missing != "unknown" or spec.kind not in KINDS:
        return None
    if KINDS[spec.kind].needs_layer and layer is None:
        what = f"layer {spec.layer!r}"
    elif spec.kind == "attribute" and spec.params.get("field") not in candidates:
        what = f"attribute {spec.params.get('field')!r}"
    else:
        return None
    return f"measure {spec.name!r}: the region has no {what}; every value is unknown"


def compute_one(
    candidates: gpd.GeoDataFrame,
    spec: MeasureSpec,
    layer: gpd.GeoDataFrame | None,
    networks: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """
    Compute one measure; columns are ``spec.name`` and ``spec.name + '__' + extra``.

    Raises
    ------
    MeasureError
        When the spec is invalid or names a field the layer lacks.
    """
    if problems := spec.problems():
        raise MeasureError("; ".join(problems))
    kind = KINDS[spec.kind]
    if (missing := _missing(candidates, spec, layer)) is not None:
        warnings.warn(missing, stacklevel=2)
        return pd.DataFrame({spec.name: np.full(len(candidates), np.nan)},
                            index=candidates.index)
    args = (candidates, layer) if kind.needs_layer else (candidates,)
    params = dict(spec.params)
    if "network" in params:
        if params["network"] not in (networks or {}):
            raise MeasureError(f"measure {spec.name!r}: network {params['network']!r} is not "
                               f"given; networks: {', '.join(networks or {}) or 'none'}")
        params["network"] = networks[params["network"]]
    try:
        out = kind.func(*args, **params)
    except MeasureError as exc:
        raise MeasureError(f"measure {spec.name!r}: {exc}") from exc
    return out.rename(columns=lambda c: spec.name if c == "value" else f"{spec.name}__{c}")


def compute(
    candidates: gpd.GeoDataFrame,
    layers: Mapping[str, gpd.GeoDataFrame],
    specs: Iterable[MeasureSpec],
    networks: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """
    Compute `specs` for all candidates at once, without a cache.

    Parameters
    ----------
    candidates
        Candidate table (EPSG:28992), indexed by candidate id.
    layers
        Layer name -> layer, for the layers the specs read.
    specs
        The measures.
    networks
        Network layer name -> :class:`locscan.network.Network`, for ``network_distance_to``.

    Returns
    -------
    DataFrame
        One or more columns per measure, indexed like `candidates`.

    Examples
    --------
    >>> from shapely import Point, box
    >>> cands = gpd.GeoDataFrame(geometry=[box(0, 0, 50, 60)], crs=28992)
    >>> sites = gpd.GeoDataFrame(geometry=[Point(350, 460)], crs=28992)
    >>> specs = [MeasureSpec(name="area_m2", kind="area"),
    ...          MeasureSpec(name="dist_m", kind="distance_to", layer="sites")]
    >>> compute(cands, {"sites": sites}, specs).round().values.tolist()
    [[3000.0, 500.0]]
    """
    frames = [compute_one(candidates, s, layers[s.layer] if s.layer else None, networks)
              for s in specs]
    return as_categories(pd.concat(frames, axis=1)) if frames else pd.DataFrame(
        index=candidates.index)


def check_specs(specs: Iterable[MeasureSpec], region: Region) -> None:
    """
    Check every spec against the region's catalogue before anything is computed.

    Raises
    ------
    MeasureError
        Listing every problem at once (unknown kind, missing layer, bad parameters).
    """
    problems, missing = [], []
    for spec in specs:
        problems += spec.problems()
        for name in (spec.layer, spec.params.get("network")):
            if name and not region.has_layer(name) and spec.if_missing == "error":
                missing.append(f"{name!r} (measure {spec.name!r})")
    if missing:
        problems.append(
            f"the criteria need layers that region folder {region.folder} does not have: "
            f"{', '.join(missing)}. Either add each to {settings.catalogue_file} (layers there: "
            f"{', '.join(region.catalogue.layers)}), or, where a region may lack the data, say "
            "'if_missing: unknown' on the measure in the criteria file: it is then 'onbekend' "
            "for every site")
    if problems:
        raise MeasureError("; ".join(problems))


def layer_keys(region: Region, specs: Iterable[MeasureSpec]) -> dict[str, str]:
    """
    The fingerprint of every layer and network the measures read, by name.

    Asked once per scan: for a layer of many files it stats each.
    """
    names = {n for s in specs for n in (s.layer, s.params.get("network"))
             if n and region.has_layer(n)}
    return {n: region.fingerprint(n) for n in sorted(names)}


def spec_key(spec: MeasureSpec, cand_key: str, keys: Mapping[str, str]) -> str:
    """The cache key of one measure: its spec, the candidates and the layers it reads."""
    return _cache.key(MEASURES_VERSION, spec.model_dump(exclude={"label"}), cand_key,
                      keys.get(spec.layer), keys.get(spec.params.get("network")))


def _outside_coverage(region: Region, cands: gpd.GeoDataFrame, layer: str | None
                      ) -> np.ndarray | None:
    """Candidates in gemeenten the layer does not cover (its ``covers:``), or None."""
    if not layer or not region.has_layer(layer):
        return None
    covers = region.catalogue.layers[layer].covers
    if covers is None:
        return None
    try:
        codes = [region.meta.municipality(g).code for g in covers]
    except LocscanError as exc:
        raise MeasureError(f"layer {layer!r} in {settings.catalogue_file}: 'covers': {exc}"
                           ) from exc
    return ~cands["gemeente_code"].isin(codes).to_numpy()


def masked_outside_coverage(region: Region, cands: gpd.GeoDataFrame, spec: MeasureSpec,
                            frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (one measure) unknown for the candidates outside what its layer covers."""
    outside = _outside_coverage(region, cands, spec.layer)
    if outside is None:
        return frame
    return frame.mask(np.repeat(outside[:, None], frame.shape[1], axis=1))


def compute_for_region(
    region: Region,
    specs: Iterable[MeasureSpec],
    *,
    cache: bool | None = None,
    on_measure: Callable[[MeasureSpec, bool], None] | None = None,
) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """
    Candidates of `region` and their measures, each measure from the cache when possible.

    Parameters
    ----------
    region
        An open region.
    specs
        The measures to compute.
    cache
        Read and write the cache; defaults to :data:`locscan.settings.use_cache`.
    on_measure
        Called after each measure with the spec and whether it came from the cache.

    Returns
    -------
    GeoDataFrame, DataFrame
        The candidates and the measures table, both indexed by candidate id.
    """
    specs = list(specs)
    check_specs(specs, region)
    cache = settings.use_cache if cache is None else cache
    cands = candidates_for_region(region, cache=cache)
    cand_key = _cache.key(candidates_key(region), _ids_digest(cands.index))
    keys = layer_keys(region, specs)
    paths = [region.cache_dir / f"measure-{s.name}-{spec_key(s, cand_key, keys)}.parquet"
             for s in specs]
    # cached without the candidate ids: the key holds their digest, the rows their order
    frames = [_cache.read(p) if cache else None for p in paths]
    frames = [f.set_axis(cands.index) if f is not None and len(f) == len(cands) else None
              for f in frames]
    todo = [i for i, frame in enumerate(frames) if frame is None]
    # read here, not in the threads: reading warns, and Python's warning filters are global
    layers = {specs[i].layer: region.layer(specs[i].layer) for i in todo
              if specs[i].layer and region.has_layer(specs[i].layer)}
    unknown = set()
    for i in list(todo):  # optional data the region lacks: unknown, warned here, not in threads
        if (missing := _missing(cands, specs[i], layers.get(specs[i].layer))) is not None:
            warnings.warn(missing, stacklevel=2)
            frames[i] = pd.DataFrame({specs[i].name: np.full(len(cands), np.nan)},
                                     index=cands.index)
            todo.remove(i)
            unknown.add(i)
    networks = {n: region.network(n) for i in todo if (n := specs[i].params.get("network"))}
    # shapely and the compiled loops release the GIL: measures run side by side
    with ThreadPoolExecutor(max_workers=max(1, settings.workers)) as pool:
        computed = pool.map(
            lambda i: compute_one(cands, specs[i], layers.get(specs[i].layer), networks), todo
        )
        for i, frame in zip(todo, computed, strict=True):
            frames[i] = frame
            if cache:
                _cache.write(paths[i], frame.reset_index(drop=True))
    for i, spec in enumerate(specs):  # outside what a layer covers its measures are unknown
        frames[i] = masked_outside_coverage(region, cands, spec, frames[i])
    if on_measure:
        for i, spec in enumerate(specs):
            on_measure(spec, i not in todo and i not in unknown)
    table = pd.concat(frames, axis=1) if frames else pd.DataFrame(index=cands.index)
    return cands, as_categories(table)


def as_categories(table: pd.DataFrame) -> pd.DataFrame:
    """
    Text columns as pandas categoricals: criteria on classes then compare a few categories.

    Examples
    --------
    >>> out = as_categories(pd.DataFrame({"z": ["Wonen", None], "d": [1.0, 2.0]}))
    >>> [str(t) for t in out.dtypes], out["z"].cat.categories.tolist()
    (['category', 'float64'], ['Wonen'])
    """
    text = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])
            and not isinstance(table[c].dtype, pd.CategoricalDtype)]
    return table.astype(dict.fromkeys(text, "category")) if text else table
