"""A scan in parts equals the whole scan, here (forked processes) and on a dask cluster."""

from __future__ import annotations

import sys
import types

import numpy as np
import pyogrio
import pytest
import shapely
from _parts import GMR, assert_same_measures, demo_with_own_parcels_file, quiet

from locscan import criteria, longlist, measures
from locscan.measures import Part, compute_in_parts
from locscan.region import Region


@pytest.mark.parametrize("tile_m", [None, 10_000, 30_000])
def test_the_parts_equal_the_whole_scan(small_demo, demo_measures, tile_m):
    crit, cands, table = demo_measures
    seen: list[Part] = []
    got_cands, got = quiet(compute_in_parts, Region(small_demo), crit.used_measures(),
                            cache=False, on_part=seen.append, tile_m=tile_m)
    codes = [m.code for m in Region(small_demo).meta.municipalities]
    assert sorted(c for p in seen for c in p.codes) == sorted(codes)
    if tile_m is None:
        assert [p.name for p in seen] == codes
    else:
        assert 1 < len(seen) < len(codes)  # tiles: fewer parts than gemeenten
    assert sorted(got.index) == sorted(table.index)  # each candidate in exactly one part
    assert got.index.is_unique
    assert_same_measures(table, got)
    assert shapely.equals_exact(cands.geometry.to_numpy(),
                                got_cands.geometry.loc[cands.index].to_numpy(), 0).all()
    assert (got_cands.loc[cands.index, "gemeente_code"] == cands["gemeente_code"]).all()
    # and so every status and score
    meta = Region(small_demo).meta
    a = longlist.build(crit, cands, table, meta)
    b = longlist.build(crit, got_cands.loc[cands.index], got.loc[cands.index], meta)
    assert (a.status == b.status).all()
    assert (a.rank == b.rank).all()
    np.testing.assert_array_equal(a.evaluation["score"], b.evaluation["score"])


def test_only_a_changed_part_is_measured_again(small_demo, tmp_path):
    folder = demo_with_own_parcels_file(small_demo, tmp_path / "demo")
    specs = criteria.load(GMR).used_measures()
    names = [s.name for s in specs]
    first: list[Part] = []
    quiet(compute_in_parts, Region(folder), specs, cache=True, on_part=first.append)
    assert all(p.from_cache == [] for p in first)
    again: list[Part] = []
    quiet(compute_in_parts, Region(folder), specs, cache=True, on_part=again.append)
    assert all(p.from_cache == names for p in again)
    # move one parcel of the first gemeente by a metre
    region = Region(folder)
    code = region.meta.municipalities[0].code
    mine = next(p for p in first if code in p.codes)
    moved = mine.candidates["source_id"].iloc[0]
    parcels = pyogrio.read_dataframe(folder / "percelen.gpkg")
    at = parcels["id"] == moved
    parcels.loc[at, "geometry"] = parcels.geometry[at].translate(1.0, 0.0)
    pyogrio.write_dataframe(parcels, folder / "percelen.gpkg", driver="GPKG")
    last: list[Part] = []
    quiet(compute_in_parts, Region(folder), specs, cache=True, on_part=last.append)
    measured = {p.name for p in last if p.from_cache != names}
    assert measured == {mine.name}  # the tile of that gemeente, no other
    assert next(p for p in last if p.name == mine.name).from_cache == []
    assert len(last) > 1


def test_the_parts_on_a_local_dask_cluster_equal_the_parts_here(small_demo, demo_measures,
                                                                monkeypatch):
    distributed = pytest.importorskip("distributed")
    crit, _, table = demo_measures
    # a worker process starts by importing the parent's __main__; the app's tests leave
    # Streamlit's script there, which a worker must not run
    monkeypatch.setitem(sys.modules, "__main__", types.ModuleType("__main__"))
    hits = []
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        assert len(cluster.workers) == 2
        # as `locscan scan --scheduler ADDRESS` does: by the scheduler's address
        cands, got = quiet(measures.compute_measures, Region(small_demo),
                            crit.used_measures(), cache=False,
                            scheduler=cluster.scheduler_address,
                            on_measure=lambda spec, hit: hits.append(hit))
    assert hits == [False] * len(crit.used_measures())
    assert_same_measures(table, got)
    assert len(cands) == len(table)


def _note_shapes(region: Region, part: Part) -> None:
    """An ``after``: notes, in the worker, how many shapes the part had at hand."""
    import os
    from pathlib import Path

    folder = Path(os.environ["LOCSCAN_TEST_AFTER"])
    (folder / f"{part.name}-{os.getpid()}").write_text(
        str(int(part.candidates.geometry.notna().sum())))


def test_after_runs_in_the_workers_with_each_parts_shapes(small_demo, tmp_path, monkeypatch):
    monkeypatch.setenv("LOCSCAN_TEST_AFTER", str(tmp_path))
    crit = criteria.load(GMR)
    seen: list[Part] = []
    cands, _ = quiet(compute_in_parts, Region(small_demo), crit.used_measures(), cache=False,
                     geometry=False, workers=2, after=_note_shapes, on_part=seen.append)
    notes = {p.name.rsplit("-", 1)[0]: int(p.read_text()) for p in tmp_path.iterdir()}
    assert notes == {p.name: len(p.candidates) for p in seen}  # every part, all its shapes
    assert sum(notes.values()) == len(cands)
    assert "geometry" not in cands  # dropped after
    import os

    assert str(os.getpid()) not in {p.name.rsplit("-", 1)[1] for p in tmp_path.iterdir()}
    assert all(p.content for p in seen if len(p.candidates))
