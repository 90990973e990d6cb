"""The national demo: a GeoParquet file per layer, written a gemeente at a time."""

from __future__ import annotations

import warnings

import geopandas as gpd
import pyarrow.parquet as pq
import pytest
from _parts import assert_same_measures
from _toy import ROOT

from locscan import criteria, measures
from locscan.demo import CATALOGUE, build_national
from locscan.demo.national import parcels_per_gemeente
from locscan.region import Region, load_meta


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    """The demo's national build over the 18 GMR gemeenten (fast), by two processes."""
    out = tmp_path_factory.mktemp("nl") / "nl"
    return build_national(out, source_region=ROOT / "data/gmr", parcels=3_000, seed=5,
                          workers=2)


def test_every_layer_is_one_file_in_gemeente_row_groups(national):
    meta = load_meta(ROOT / "data/gmr/region.yaml")
    for name in CATALOGUE:
        assert (national / f"{name}.parquet").is_file(), name
    parcels = pq.ParquetFile(national / "parcels.parquet")
    assert parcels.metadata.num_row_groups == len(meta.municipalities)  # one per gemeente
    ids = gpd.read_parquet(national / "parcels.parquet")["id"]
    assert ids.is_unique
    assert set(ids.str[:6]) == {m.code for m in meta.municipalities}  # GM0202-P0000001
    counts = parcels_per_gemeente(meta, 3_000)
    assert min(counts.values()) == 50  # a small gemeente still has parcels
    assert sum(counts.values()) == pytest.approx(3_000, rel=0.02)


def test_the_same_seed_gives_the_same_country_however_many_processes(national, tmp_path):
    again = build_national(tmp_path / "nl", source_region=ROOT / "data/gmr", parcels=3_000,
                           seed=5, workers=1)
    a = gpd.read_parquet(national / "parcels.parquet")
    b = gpd.read_parquet(again / "parcels.parquet")
    assert a["id"].tolist() == b["id"].tolist()
    assert a.geometry.geom_equals_exact(b.geometry, 0).all()


def test_a_national_build_never_replaces_a_folder_it_did_not_write(tmp_path):
    mine = tmp_path / "mijn-regio"
    mine.mkdir()
    (mine / "percelen.gpkg").write_text("van mij")
    with pytest.raises(Exception, match="not a demo region"):
        build_national(mine, source_region=ROOT / "data/gmr", parcels=500)
    assert (mine / "percelen.gpkg").read_text() == "van mij"


def test_the_national_demo_scanned_in_parts_equals_the_whole_scan(national):
    specs = criteria.load(ROOT / "criteria/gmr-tijdelijke-werknemers.yaml").used_measures()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        _, whole = measures.compute_for_region(Region(national), specs, cache=False)
        _, parts = measures.compute_in_parts(Region(national), specs, cache=False,
                                             tile_m=20_000)
    assert sorted(parts.index) == sorted(whole.index)
    assert_same_measures(whole, parts)
