"""Running the parts of a scan: side by side in forked processes here, or on a dask cluster.

:func:`compute_in_parts` runs every part (:mod:`locscan.measures.parts`) and joins their
candidates and measures into one table each; :func:`compute_measures` is what a scan calls: the
whole region at once, or in parts, here or on the cluster whose scheduler it is given.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import warnings
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa

from locscan import settings
from locscan.errors import LocscanError
from locscan.measures.engine import as_categories, check_specs, compute_for_region, layer_keys
from locscan.measures.parts import PART_M, Part, measure_part, part_groups
from locscan.measures.spec import MeasureSpec
from locscan.region import Region, open_region

__all__ = ["compute_in_parts", "compute_measures"]


@dataclass(frozen=True)
class _Task:
    """One part as a task a dask worker can run: the region by its folder."""

    folder: str
    specs: tuple[MeasureSpec, ...]
    name: str
    codes: list[str]
    cache: bool
    keys: dict[str, str]
    geometry: bool = True
    after: Callable[[Region, Part], None] | None = None


_OPEN: dict[str, Region] = {}  # per worker process: each region opened once


def _run(task: _Task) -> Part:
    region = _OPEN.get(task.folder)
    if region is None:
        region = _OPEN.setdefault(task.folder, open_region(task.folder))
    return _done(region, measure_part(region, task.specs, task.name, task.codes,
                                      cache=task.cache, keys=task.keys, shapes=task.geometry),
                 task)


def _without_geometry(part: Part) -> Part:
    """The part without its candidates' shapes (they stay in the part's cache)."""
    if isinstance(part.candidates, gpd.GeoDataFrame):
        part.candidates = pd.DataFrame(
            part.candidates.drop(columns=part.candidates.geometry.name))
    return part


def compute_in_parts(
    region: Region,
    specs: Iterable[MeasureSpec],
    *,
    cache: bool | None = None,
    client: object | None = None,
    on_part: Callable[[Part], None] | None = None,
    tile_m: float | None = PART_M,
    geometry: bool = True,
    workers: int | None = None,
    after: Callable[[Region, Part], None] | None = None,
) -> tuple[gpd.GeoDataFrame | pd.DataFrame, pd.DataFrame]:
    """
    Candidates of `region` and their measures, computed part by part.

    Parameters
    ----------
    region
        An open region.
    specs
        The measures to compute.
    cache
        Read and write the cache (per part); defaults to :data:`locscan.settings.use_cache`.
    client
        A ``distributed.Client``: the parts run as tasks on its cluster, each worker opening
        the region from its folder (which the workers must see at the same path). Without
        one the parts run here, in `workers` processes side by side (default: one per core):
        one part reads its layers while another computes.
    on_part
        Called with each part as it is done (for progress).
    tile_m
        The parts: the gemeenten in each tile of this size (:func:`part_groups`); one part
        per gemeente when None or 0.
    geometry
        Keep the candidates' shapes; without them (a plain DataFrame) the result of a whole
        country fits in a few GiB, and each part's shapes stay in its cache.
    after
        Called with the region and each part where the part was computed (a worker): to
        derive and cache more from its candidates. A part measured here holds their shapes;
        without `geometry`, one read whole from its cache does not (they are read only when
        wanted: :func:`locscan.measures.parts.part_shapes`). A module-level function, so
        that it reaches the workers.

    Returns
    -------
    GeoDataFrame, DataFrame
        The candidates and the measures table, both indexed by candidate id, part by part in
        the order of the parts: the same rows and values as
        :func:`locscan.measures.compute_for_region`.
    """
    specs = list(specs)
    check_specs(specs, region)
    cache = settings.use_cache if cache is None else cache
    groups = part_groups(region, tile_m)
    keys = layer_keys(region, specs)
    tasks = [_Task(str(Path(region.folder).resolve()), tuple(specs), name, codes, cache,
                   keys, geometry, after) for name, codes in groups.items()]
    workers = settings.workers if workers is None else workers
    with contextlib.ExitStack() as stack:
        if client is not None:
            parts: Iterable[Part] = (f.result() for f in client.map(_run, tasks, pure=False))
        elif workers > 1 and len(tasks) > 1:
            # forked: a worker must not import the caller's __main__ (the app's script)
            pool = stack.enter_context(ProcessPoolExecutor(
                max_workers=workers, mp_context=multiprocessing.get_context("fork")))
            parts = pool.map(_run, tasks)
        else:
            parts = (_done(region, measure_part(region, specs, t.name, t.codes, cache=cache,
                                                keys=keys, shapes=geometry), t)
                     for t in tasks)
        done = _received(parts, on_part)
    # the workers have ended (and their memory with them) before the parts are joined
    return _joined(done, geometry)


def _done(region: Region, part: Part, task: _Task) -> Part:
    if task.after is not None:
        task.after(region, part)
    part = part if task.geometry else _without_geometry(part)
    part.candidates = _compact(part.candidates)
    part.measures = _compact(part.measures)
    return part


def _compact(frame: pd.DataFrame) -> pd.DataFrame:
    """
    Text columns as Arrow strings: parts joined keep them compact.

    Categoricals of different parts joined become Python objects (tens of bytes per value,
    for millions of values); they are made categoricals again when joined.
    """
    text = [c for c in frame.columns if c != "geometry"
            and (isinstance(frame[c].dtype, pd.CategoricalDtype) or frame[c].dtype == object)
            and pd.api.types.infer_dtype(frame[c], skipna=True) in ("string", "empty")]
    return frame.astype(dict.fromkeys(text, pd.StringDtype("pyarrow"))) if text else frame


def _received(parts: Iterable[Part], on_part: Callable[[Part], None] | None) -> list[Part]:
    """Every part as it is done, passed to `on_part`; its warnings shown once."""
    done, shown = [], set()
    for part in parts:
        for message in part.messages:
            if message not in shown:
                shown.add(message)
                warnings.warn(f"{message} (deel {part.name})", stacklevel=2)
        if on_part:
            on_part(part)
        done.append(part)
    return done


def _joined(done: list[Part], geometry: bool
            ) -> tuple[gpd.GeoDataFrame | pd.DataFrame, pd.DataFrame]:
    """
    The parts' candidates and measures, one table each.

    `done` is emptied: each part's tables are let go as soon as they are joined, so that the
    country's tables are not held twice (or three times, with their chunks joined).
    """
    filled = [p for p in done if len(p.candidates)] or done[:1]
    cands_of, measures_of = [p.candidates for p in filled], [p.measures for p in filled]
    done.clear()
    filled.clear()
    cands = _concat(cands_of)
    cands = cands.astype(dict.fromkeys(["gemeente_code", "gemeente", "subregio"], "category"))
    if geometry and not isinstance(cands, gpd.GeoDataFrame):
        cands = gpd.GeoDataFrame(cands, geometry="geometry", crs=settings.crs)
    return cands, as_categories(_concat(measures_of))


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """
    `frames` one below the other, each Arrow-backed column and the index in one chunk.

    The list is emptied. Joined parts leave a chunk per part; taking rows from 60 chunks
    costs a hundred times more than from one (0.2 s per column for one gemeente's rows of a
    country). A column's chunks are let go as soon as it is one.
    """
    out = pd.concat(frames) if len(frames) > 1 else frames[0].copy(deep=False)
    frames.clear()
    for col in out.columns:
        if isinstance(out[col].array, pd.arrays.ArrowExtensionArray):
            out[col] = _one_chunk(out[col].array)
    out.index = pd.Index(_one_chunk(out.index.array), name=out.index.name)
    return out


def _one_chunk(values):
    """An Arrow-backed array in one chunk; any other array as it is."""
    if not isinstance(values, pd.arrays.ArrowExtensionArray):
        return values
    arrow = values.__arrow_array__()
    if not isinstance(arrow, pa.ChunkedArray) or arrow.num_chunks <= 1:
        return values
    return type(values)(pa.chunked_array([arrow.combine_chunks()]))


@contextlib.contextmanager
def _client(scheduler: str | None) -> Iterator[object | None]:
    """A dask client of the scheduler at `scheduler` (``tcp://host:8786``), or None."""
    if scheduler is None:
        yield None
        return
    try:
        from distributed import Client
    except ImportError as exc:
        raise LocscanError("a scan on a dask cluster needs dask's 'distributed' package: "
                           "pip install 'locscan[cluster]'") from exc
    try:
        client = Client(scheduler, timeout="20s")
    except (OSError, TimeoutError) as exc:
        raise LocscanError(f"no dask scheduler answers at {scheduler}: {exc}") from exc
    with client:
        yield client


def compute_measures(
    region: Region,
    specs: Iterable[MeasureSpec],
    *,
    cache: bool | None = None,
    on_measure: Callable[[MeasureSpec, bool], None] | None = None,
    in_parts: bool = False,
    scheduler: str | None = None,
    geometry: bool = True,
    after: Callable[[Region, Part], None] | None = None,
    on_part: Callable[[Part], None] | None = None,
) -> tuple[gpd.GeoDataFrame | pd.DataFrame, pd.DataFrame]:
    """
    Candidates and measures of `region`: whole, in parts here, or in parts on a cluster.

    Parameters
    ----------
    in_parts
        Per gemeente (:func:`compute_in_parts`), so that memory is bounded by the largest
        part; implied by `scheduler`.
    scheduler
        Address of a dask scheduler whose workers run the parts.
    geometry
        In parts: keep the candidates' shapes (else a DataFrame without them; they stay in
        each part's cache, see :class:`locscan.measures.shapes.Shapes`).
    on_measure
        Called after all measures with each spec and whether it came from the cache (in every
        part).
    after, on_part
        In parts: called in the worker with the region and each part with its shapes, and
        here with each part as it is done (:func:`compute_in_parts`).

    Raises
    ------
    LocscanError
        When `scheduler` is given but cannot be reached, or dask is not installed.
    """
    specs = list(specs)
    if not in_parts and scheduler is None:
        return compute_for_region(region, specs, cache=cache, on_measure=on_measure)
    hits = {s.name: True for s in specs}

    def seen(part: Part) -> None:
        for s in specs:
            hits[s.name] &= s.name in part.from_cache
        if on_part:
            on_part(part)

    with _client(scheduler) as client:
        out = compute_in_parts(region, specs, cache=cache, client=client, on_part=seen,
                               geometry=geometry, after=after)
    for spec in specs if on_measure else ():
        on_measure(spec, hits[spec.name])
    return out
