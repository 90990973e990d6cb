from __future__ import annotations

import warnings

import pyogrio
import pytest
from _toy import ROOT

from locscan import demo
from locscan.errors import RegionError
from locscan.layers import ROLES
from locscan.region import Region, load_meta


def test_demo_has_every_role_and_says_it_is_demo(small_demo):
    region = Region(small_demo)
    assert region.meta.demo
    assert demo.DEMO_LABEL in region.meta.label
    roles = {region.catalogue.role_of(n) for n in region.catalogue.layers}
    # ownership is a parcel attribute; the demo has no road network (an OSM file)
    assert roles == set(ROLES) - {"ownership", "other", "network"}
    for name in region.catalogue.layers:
        info = pyogrio.read_info(small_demo / "demo.gpkg", layer=name)
        assert info["layer_metadata"]["locscan_demo"] == "true"
        assert demo.DEMO_LABEL in region.catalogue.layers[name].description


def test_demo_layers_load_cleanly_through_the_catalogue(small_demo):
    region = Region(small_demo)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no repairs, no drops, no non-numeric values
        for name in region.catalogue.layers:
            region.layer(name)
    parcels = region.layer("parcels")
    assert 1_800 <= len(parcels) <= 2_400
    assert set(parcels["ownership"].dropna()) == set(demo.OWNERSHIP)
    assert set(region.layer("zoning")["class"]) == set(demo.ZONING_CLASSES)
    assert region.layer("parking")["capacity"].isna().any()


def test_parcels_tile_the_land_without_overlap(small_demo):
    region = Region(small_demo)
    parcels = region.layer("parcels").geometry
    land = region.layer("municipalities").union_all()
    assert parcels.area.sum() == pytest.approx(land.area, rel=0.02)  # slivers < 5% dropped
    assert parcels.union_all().area == pytest.approx(parcels.area.sum(), rel=1e-6)


def test_work_site_workers_add_up_to_the_task_per_subregio(small_demo):
    region = Region(small_demo)
    sites = region.layer("work_sites")
    subregio = {m.code: m.subregio for m in region.meta.municipalities}
    totals = sites.groupby(sites["gemeente"].map(subregio))["workers"].sum()
    assert totals.to_dict() == {name: t.total_working for name, t in
                                region.meta.subregios.items()}


def test_demo_is_deterministic(tmp_path):
    meta = load_meta(ROOT / "data/gmr/region.yaml")
    first = demo.generate(meta, parcels=1_000, seed=3)
    second = demo.generate(meta, parcels=1_000, seed=3)
    other = demo.generate(meta, parcels=1_000, seed=4)
    for name in first:
        assert first[name].equals(second[name]), name
    assert not first["parcels"].equals(other["parcels"])


def test_demo_scales_with_the_same_code(tmp_path):
    meta = load_meta(ROOT / "data/gmr/region.yaml")
    small = demo.generate(meta, parcels=500, seed=1)["parcels"]
    large = demo.generate(meta, parcels=5_000, seed=1)["parcels"]
    assert 450 <= len(small) <= 750  # border cells split into pieces: more at small sizes
    assert 4_500 <= len(large) <= 6_000
    assert large.area.median() < small.area.median() / 5


def test_build_replaces_its_own_demo_but_refuses_any_other_folder(tmp_path):
    out = demo.build(tmp_path / "demo", source_region=ROOT / "data/gmr", parcels=200, seed=1)
    (out / ".locscan-cache").mkdir()
    assert demo.build(out, source_region=ROOT / "data/gmr", parcels=200, seed=2) == out
    real = tmp_path / "gmr"
    (real / "layers").mkdir(parents=True)
    (real / "sources.yaml").write_text("extent_rd: [0, 0, 1, 1]\nsources: {}\n")
    (real / "layers/parcels.gpkg").write_bytes(b"pulled for hours")
    with pytest.raises(RegionError, match=r"demo build --out .*gmr: the folder exists and is not "
                                          r"a demo region \(it holds layers, sources\.yaml\); "
                                          "nothing was changed"):
        demo.build(real, source_region=ROOT / "data/gmr", parcels=200)
    assert (real / "layers/parcels.gpkg").read_bytes() == b"pulled for hours"


def test_municipalities_without_a_centre_are_one_clear_error():
    meta = load_meta(ROOT / "data/gmr/region.yaml")
    meta.municipalities[0] = meta.municipalities[0].model_copy(update={"centre": None})
    with pytest.raises(RegionError, match=r"municipalities without centre/area_km2 .*: Arnhem"):
        demo.generate(meta, parcels=200)
