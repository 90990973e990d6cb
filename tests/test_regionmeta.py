"""A region's metadata (region.yaml): gemeenten, subregios, task, norms and areas."""

from __future__ import annotations

import pytest
import yaml
from _toy import REGION, ROOT

from locscan.errors import RegionError
from locscan.regionmeta import load_meta


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


def _with_areas(tmp_path, **change):
    muni = [{"code": "GM0001", "name": "Aadorp", "subregio": "Noord",
             "areas": {"provincie": "Gelderland", "arbeidsmarktregio": "Achterhoek"}},
            {"code": "GM0002", "name": "Beestad", "subregio": "Zuid",
             "areas": {"provincie": "Gelderland"}},
            {"code": "GM0003", "name": "Cestad", "subregio": "Zuid",
             "areas": {"provincie": "Limburg"}}]
    return load_meta(_write_meta(tmp_path, **({"area_kinds": ["provincie", "arbeidsmarktregio"],
                                              "municipalities": muni} | change)))


def test_an_area_narrows_the_region_to_its_gemeenten(tmp_path):
    meta = _with_areas(tmp_path)
    assert meta.area_names("provincie") == ["Gelderland", "Limburg"]
    assert meta.area_names("arbeidsmarktregio") == ["Achterhoek"]  # Beestad lies in none
    assert meta.area("provincie", "gelderland") == ["GM0001", "GM0002"]
    assert meta.area("Arbeidsmarktregio", "Achterhoek") == ["GM0001"]
    # several gemeenten, by name or code, within a subregio or not
    assert meta.codes(None, ("GM0002", "cestad")) == ["GM0002", "GM0003"]
    assert meta.codes("Zuid", ("GM0001", "GM0002")) == ["GM0002"]
    assert meta.codes(None, "Cestad") == ["GM0003"]
    with pytest.raises(RegionError, match="no provincie 'Utrecht'; known: Gelderland, Limburg"):
        meta.area("provincie", "Utrecht")
    with pytest.raises(RegionError, match="no kind of area 'woonregio'; known: provincie, "
                                          "arbeidsmarktregio"):
        meta.area("woonregio", "Stedendriehoek")


def test_an_area_of_a_kind_not_declared_is_an_error(tmp_path):
    with pytest.raises(RegionError, match=r"GM0001 \(Aadorp\) lies in areas of kind\(s\) "
                                          "arbeidsmarktregio that are not under 'area_kinds' "
                                          r"\(provincie\)"):
        _with_areas(tmp_path, area_kinds=["provincie"])
    muni = [{"code": "GM0001", "name": "Aadorp", "subregio": "Noord",
             "areas": {"provincie": " "}}]
    with pytest.raises(RegionError, match="GM0001 \\(Aadorp\\): empty area name for provincie"):
        _with_areas(tmp_path, municipalities=muni)
    with pytest.raises(RegionError, match="no kind of area 'provincie'; known: none"):
        load_meta(_write_meta(tmp_path)).area("provincie", "Gelderland")


def test_the_regions_shipped_know_each_gemeentes_province_and_labour_market_region():
    """The 2025 counts of gemeenten per province (CBS), and the GMR's one gemeente in Limburg."""
    nl = load_meta(ROOT / "data/nl/region.yaml")
    per_province = {name: len(nl.area("provincie", name)) for name in nl.area_names("provincie")}
    assert per_province == {
        "Drenthe": 12, "Flevoland": 6, "Fryslân": 18, "Gelderland": 51, "Groningen": 10,
        "Limburg": 31, "Noord-Brabant": 56, "Noord-Holland": 44, "Overijssel": 25,
        "Utrecht": 26, "Zeeland": 13, "Zuid-Holland": 50}
    assert len(nl.area_names("arbeidsmarktregio")) == 35
    assert all(set(m.areas) == {"provincie", "arbeidsmarktregio"} for m in nl.municipalities)
    assert nl.area("arbeidsmarktregio", "Rijk van Nijmegen") == [
        "GM0209", "GM0225", "GM0252", "GM0268", "GM0296", "GM0944", "GM1945"]
    gmr = load_meta(ROOT / "data/gmr/region.yaml")
    assert gmr.area("provincie", "Limburg") == ["GM0944"]  # Mook en Middelaar
    assert len(gmr.area("provincie", "Gelderland")) == 16
    for m in gmr.municipalities:  # the same as in the national list
        assert m.areas == nl.municipality(m.code).areas
