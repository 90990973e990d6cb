from __future__ import annotations

import pytest
import yaml
from _toy import REGION, ROOT, write_region

from locscan.errors import LayerError, RegionError
from locscan.region import Region, load_meta, open_region


def test_gmr_metadata_matches_the_policy_table():
    meta = load_meta(ROOT / "data/gmr/region.yaml")
    assert len(meta.municipalities) == 17
    assert all(m.code.startswith("GM") and len(m.code) == 6 for m in meta.municipalities)
    assert "GM1955" not in {m.code for m in meta.municipalities}  # Montferland left in 2025
    task = meta.subregios
    assert task["Liemers"].total_working == 8310
    assert task["Arnhem"].total_working == 11940
    assert task["Rijk van Nijmegen"].total_working == 8995
    assert sum(t.total_working for t in task.values()) == 29245
    assert sum(t.short_stay for t in task.values()) == 15822
    assert sum(t.mid_stay for t in task.values()) == 6112
    assert sum(t.long_stay for t in task.values()) == 7311
    assert sum(t.living_there for t in task.values()) == 10845
    assert meta.norms.temporary_share == 0.75
    assert meta.norms.m2_per_worker == 15
    assert meta.norms.manager_above_residents == 100
    assert meta.norms.live_in_work_municipality_min == 0.8
    assert meta.municipality("zevenaar").subregio == "Liemers"
    assert meta.municipality("GM0268").name == "Nijmegen"
    unsettled = {m.name for m in meta.municipalities if not m.subregio_settled}
    assert unsettled == {"Lingewaard", "Overbetuwe"}
    assert meta.municipality("Doesburg").subregio == "Liemers"
    assert "Montferland" in meta.subregios["Liemers"].note


@pytest.mark.realdata
def test_gmr_codes_are_the_cbs_codes_of_2025(realdata):
    import geopandas as gpd

    meta = load_meta(ROOT / "data/gmr/region.yaml")
    cbs = gpd.read_file(realdata / "cbs/gmr_gemeenten_2025_rd.geojson")
    real = dict(zip(cbs["statcode"], cbs["statnaam"], strict=True))
    real.pop("GM1955")
    assert {m.code: m.name for m in meta.municipalities} == real


def _write_meta(tmp_path, **change):
    path = tmp_path / "region.yaml"
    path.write_text(yaml.safe_dump(REGION | change))
    return path


def test_metadata_errors_name_the_file_and_key(tmp_path):
    bad_total = REGION["subregios"] | {"Noord": REGION["subregios"]["Noord"] | {
        "total_working": 4}}
    with pytest.raises(RegionError, match=r"region\.yaml: subregios\.Noord: .*= 3, but "
                                          "total_working = 4"):
        load_meta(_write_meta(tmp_path, subregios=bad_total))
    muni = [*REGION["municipalities"], {"code": "GM0003", "name": "C", "subregio": "Oost"}]
    with pytest.raises(RegionError, match="subregio\\(s\\) Oost that are not under 'subregios'"):
        load_meta(_write_meta(tmp_path, municipalities=muni))
    with pytest.raises(RegionError, match="file not found"):
        load_meta(tmp_path / "missing.yaml")


def test_unknown_subregio_and_gemeente_list_the_known_ones(tmp_path):
    meta = load_meta(_write_meta(tmp_path))
    with pytest.raises(RegionError, match="no subregio 'West'; known: Noord, Zuid"):
        meta.subregio("West")
    with pytest.raises(RegionError, match="no gemeente 'Cestad'; known: Aadorp, Beestad"):
        meta.municipality("Cestad")


def test_region_loads_layers_once_and_names_unknown_layers(toy_region):
    region = Region(toy_region)
    first = region.layer("parcels")
    assert region.layer("parcels") is first
    assert region.reports["parcels"].features == 5
    assert region.layers_with_role("zoning") == ["zoning"]
    with pytest.raises(LayerError, match="layer 'stops' is not in the catalogue"):
        region.layer("stops")


def test_open_region_says_how_to_build_the_demo(tmp_path):
    with pytest.raises(RegionError, match="locscan demo build"):
        open_region(tmp_path / "demo")


def test_sources_outside_the_region_folder_are_refused_unless_allowed(toy_region, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (toy_region / "toy.gpkg").rename(other / "toy.gpkg")
    cat = yaml.safe_load((toy_region / "layers.yaml").read_text())
    for entry in cat["layers"].values():
        entry["source"] = "../other/toy.gpkg"
    (toy_region / "layers.yaml").write_text(yaml.safe_dump(cat))
    with pytest.raises(LayerError, match=r"sources outside the region folder: cores "
                                         r"\(\.\./other/toy\.gpkg\)"):
        Region(toy_region)
    cat["allow_outside"] = True
    (toy_region / "layers.yaml").write_text(yaml.safe_dump(cat))
    assert len(Region(toy_region).layer("parcels")) > 0


def test_a_layer_far_from_the_region_is_an_error_that_suggests_its_crs(toy_region):
    import geopandas as gpd

    parking = gpd.read_file(toy_region / "toy.gpkg", layer="parking")
    parking = parking.set_geometry(parking.translate(150_000, 450_000))  # RD-like, wrong place
    parking.to_file(toy_region / "toy.gpkg", layer="parking", driver="GPKG")
    with pytest.raises(LayerError, match=r"layer 'parking' .*none of its 3 features lies in or "
                                         r"near the region .*Is its CRS right\?"):
        Region(toy_region).layer("parking")


def test_the_candidates_cache_key_follows_the_gemeenten_not_every_edit(tmp_path):
    folder = write_region(tmp_path / "toy")
    first = Region(folder).meta_fingerprint
    path = folder / "region.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text("# a comment\n" + yaml.safe_dump(meta | {"in_parts": True}),
                    encoding="utf-8")
    assert Region(folder).meta_fingerprint == first  # the candidates do not change
    meta["municipalities"][0]["subregio"] = REGION["municipalities"][1]["subregio"]
    path.write_text(yaml.safe_dump(meta), encoding="utf-8")
    assert Region(folder).meta_fingerprint != first  # a gemeente in another subregio
