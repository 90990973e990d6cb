"""From a folder of files made by others to a scan: region init, a few edits, one scan."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import yaml
from _criteria import toy_criteria
from _toy import ROOT, gdf, toy_layers
from click.testing import CliRunner
from shapely import Point, box

from locscan import region_init
from locscan.cli import main


def _folder(tmp_path):
    """The toy layers as a GIS specialist would have them, in the formats of the sources."""
    folder = tmp_path / "regio"
    folder.mkdir()
    layers = toy_layers()
    layers["municipalities"].rename(columns={"code": "statcode", "name": "statnaam"}).to_file(
        folder / "cbs_gemeenten.geojson", driver="GeoJSON")
    layers["parcels"].rename(columns={"id": "identificatieLokaalID"}).assign(
        kadastraleAanduiding=["A 1", "A 2", "A 3", "A 4", "A 5"]).to_file(
        folder / "brk_percelen.gpkg")
    zoning = layers["zoning"].rename(columns={"bestemming": "bestemmingshoofdgroep"})
    zoning["bestemmingshoofdgroep"] = ["wonen", "agrarisch", "bedrijventerrein"]
    zoning.to_file(folder / "imro_bestemmingsvlakken.gpkg")
    layers["cores"].to_file(folder / "kernen.gpkg")
    layers["parking"].drop(columns="capaciteit").to_file(folder / "osm_parkeren.gpkg")
    work = layers["work_sites"]
    (folder / "werklocaties.csv").write_text(
        "id;naam;x;y;werknemers\n" + "".join(
            f"{i};Bedrijf {i};{g.x};{g.y};{n}\n"
            for i, g, n in zip(work["id"], work.geometry, work["workers"], strict=True)))
    return folder


def test_roles_and_fields_are_proposed_from_the_files(tmp_path):
    proposal = region_init.propose(_folder(tmp_path))
    roles = {name: f.role for name, f in proposal.layers.items()}
    assert roles == {"municipalities": "municipalities", "parcels": "parcels",
                     "zoning": "zoning", "cores": "cores", "parking": "parking",
                     "work_sites": "work_sites"}
    layers = proposal.layers
    assert layers["municipalities"].mapping == {"code": "statcode", "name": "statnaam"}
    assert layers["parcels"].mapping["id"] == "identificatieLokaalID"
    assert layers["work_sites"].table == {"x_field": "x", "y_field": "y", "crs": "EPSG:28992"}
    assert layers["work_sites"].mapping["workers"] == "werknemers"
    assert layers["zoning"].mapping == {"class": "bestemmingshoofdgroep"}


def test_init_a_few_edits_and_one_scan(tmp_path):
    folder = _folder(tmp_path)
    crit = tmp_path / "crit.yaml"
    raw = toy_criteria()
    raw["measures"]["parking_400m"]["field"] = "capacity"
    crit.write_text(yaml.safe_dump(raw, allow_unicode=True))
    runner = CliRunner()
    result = runner.invoke(main, ["region", "init", str(folder), "--name", "proef",
                                  "--criteria", str(crit)])
    assert result.exit_code == 0, result.output
    assert "let op: geen veld met het aantal plaatsen" in result.output
    assert "crit.yaml vindt alle lagen die het noemt" in result.output
    catalogue = (folder / "layers.yaml").read_text(encoding="utf-8")
    assert "classes:\n      class: imro" in catalogue
    region = yaml.safe_load((folder / "region.yaml").read_text(encoding="utf-8"))
    assert [m["name"] for m in region["municipalities"]] == ["Aadorp", "Beestad"]
    # the edits a user makes: the subregios of the gemeenten and the task
    region["subregios"] = {"Noord": {"short_stay": 1, "mid_stay": 1, "long_stay": 1,
                                     "total_working": 3, "living_there": 0}}
    for m in region["municipalities"]:
        m["subregio"] = "Noord"
    (folder / "region.yaml").write_text(yaml.safe_dump(region, allow_unicode=True))
    result = runner.invoke(main, ["scan", "--region", str(folder), "--criteria", str(crit)])
    assert result.exit_code == 0, result.output
    assert "Kandidaten: 5; op de longlist: 3" in result.output  # as the toy region gives


def test_subfolders_specific_names_and_plans_as_one_pattern(tmp_path):
    folder = tmp_path / "regio"
    (folder / "brk").mkdir(parents=True)
    (folder / "plannen").mkdir()
    (folder / ".cache").mkdir()
    square = [box(0, 0, 10, 10)]
    gdf(square, lokaalID=["1"]).to_file(folder / "brk" / "kadastralekaart_pand.gpkg")
    gdf(square, lokaalID=["1"]).to_file(folder / "brk" / "kadastralekaart_grens.gpkg")
    gdf(square, bestemmingshoofdgroep=["wonen"]).to_file(folder / "plannen" / "NL.IMRO.1.gpkg")
    gdf(square, bestemmingshoofdgroep=["groen"]).to_file(folder / "plannen" / "NL.IMRO.2.gpkg")
    gdf(square, x=[1]).to_file(folder / ".cache" / "kernen.gpkg")  # hidden: passed over
    layers = region_init.propose(folder).layers
    assert {n: (f.file, f.role) for n, f in layers.items()} == {
        "dwellings": ("brk/kadastralekaart_pand.gpkg", "dwellings"),  # a building, by its end
        "kadastralekaart_grens": ("brk/kadastralekaart_grens.gpkg", "other"),
        "zoning": ("plannen/NL.IMRO.*.gpkg", "zoning")}
    assert layers["zoning"].features == 2
    assert "2 bestanden samen als één laag" in layers["zoning"].notes[-1]


def test_init_never_overwrites(tmp_path):
    folder = _folder(tmp_path)
    (folder / "layers.yaml").write_text("# mijn eigen catalogus\n")
    written = region_init.write(region_init.propose(folder), "proef")
    assert [p.name for p in written] == ["layers.voorstel.yaml", "region.yaml"]
    assert (folder / "layers.yaml").read_text() == "# mijn eigen catalogus\n"


@pytest.mark.realdata
def test_init_on_real_extracts(realdata, tmp_path):
    folder = tmp_path / "echt"
    folder.mkdir()
    for part in ("brk-otterlo/brk_v5_perceel_otterlo_rd.geojson",
                 "cbs/gmr_gemeenten_2025_rd.geojson", "parking-arnhem"):
        source = realdata / part
        for path in (source.iterdir() if source.is_dir() else [source]):
            shutil.copy(path, folder)
    for path in (realdata / "imro-arnhem").glob("*.g*"):
        shutil.copy(path, folder)
    proposal = region_init.propose(folder)
    by_role = {}
    for found in proposal.layers.values():
        by_role.setdefault(found.role, []).append(found)
    assert by_role["parcels"][0].mapping["id"] == "identificatie"
    assert by_role["municipalities"][0].mapping == {"code": "statcode", "name": "statnaam"}
    assert any(f.mapping.get("class") == "bestemmingshoofdgroep" for f in by_role["zoning"])
    assert by_role["parking"]


def _blanks_filled(folder, proposed: dict) -> dict:
    """The edits a GIS specialist makes to the proposal for the real extracts: one layer per
    role, the coverage of the extracts that cover one city, and the work sites (not open data:
    a spreadsheet of the region's own)."""
    stations = json.loads((folder / "osm-arnhem/points-of-interest-railway-stations.json")
                          .read_text(encoding="utf-8"))[0]["data"]["geo"]
    # the note said: not GeoJSON; saved as GeoJSON (what QGIS's "save as" does)
    (folder / "osm-arnhem/stations.geojson").write_text(json.dumps(stations))
    (folder / "werklocaties.csv").write_text(
        "id;naam;werknemers;x;y\nW1;Distributiecentrum;120;175000;451000\n"
        "W2;Kwekerij;40;180500;457500\n", encoding="utf-8")
    return {
        "municipalities": proposed["municipalities"],
        "parcels": proposed["parcels_2"],                       # the BRK GML itself
        "dwellings": {**proposed["dwellings_2"], "covers": ["Ede"]},   # BRK panden
        "cores": {**proposed["cores"], "covers": ["Doesburg"]},        # BAG woonplaats
        "zoning": {**proposed["zoning"], "covers": ["Arnhem"]},        # two IMRO plans
        "parking": {**proposed["parking"], "covers": ["Arnhem"]},
        "stops": {"source": "osm-arnhem/stations.geojson",
                  "covers": ["Arnhem", "Renkum", "Rheden"]},
        "work_sites": {"source": "werklocaties.csv", "x_field": "x", "y_field": "y",
                       "crs": "EPSG:28992",
                       "fields": {"id": "id", "name": "naam", "workers": "werknemers"}},
    }


@pytest.mark.realdata
def test_a_region_from_the_real_extracts_scanned_feature_by_feature(realdata, tmp_path):
    folder = tmp_path / "echt"
    shutil.copytree(realdata, folder)
    runner = CliRunner()
    gmr = ROOT / "criteria" / "gmr-tijdelijke-werknemers.yaml"
    result = runner.invoke(main, ["region", "init", str(folder), "--name", "proef",
                                  "--criteria", str(gmr)])
    assert result.exit_code == 0, result.output
    # what it proposed: files in subfolders, the BRK GML behind its label points, the two IMRO
    # plans as one zoning layer, and what the GMR criteria still need
    proposed = yaml.safe_load((folder / "layers.yaml").read_text(encoding="utf-8"))["layers"]
    assert proposed["parcels_2"]["source"] == "brk-otterlo/kadastralekaart_perceel.gml"
    assert proposed["dwellings_2"]["source"] == "brk-otterlo/kadastralekaart_pand.gml"
    assert proposed["cores"]["source"].endswith("bag_woonplaats_doesburg_0221_20200915_rd.geojson")
    assert proposed["zoning"] | {} == {
        "source": "imro-arnhem/NL.IMRO.0202.*.gml", "layer": "Enkelbestemming",
        "role": "zoning", "fields": {"class": "bestemmingshoofdgroep"},
        "classes": {"class": "imro"}}
    assert proposed["municipalities"]["source"] == "cbs/gemeente_2025_rd.topojson"
    assert "JSON, maar geen GeoJSON" in result.output
    assert "geen laag met rol 'work_sites'" in result.output
    assert "laag 'shops' (meting 'dist_shop_m') ontbreekt" in result.output
    # the blanks
    catalogue = {"layers": _blanks_filled(folder, proposed)}
    (folder / "layers.yaml").write_text(yaml.safe_dump(catalogue, allow_unicode=True))
    crit = yaml.safe_load(gmr.read_text(encoding="utf-8"))
    for measure in ("nature_share", "dist_shop_m"):  # no such layer: the second way out
        crit["measures"][measure]["if_missing"] = "unknown"
    (folder / "criteria.yaml").write_text(yaml.safe_dump(crit, allow_unicode=True))
    region = yaml.safe_load((folder / "region.yaml").read_text(encoding="utf-8"))
    assert len(region["municipalities"]) == 342  # every gemeente of the CBS file
    inside = {f["properties"]["statcode"] for f in json.loads(
        (realdata / "cbs/gmr_gemeenten_2025_rd.geojson").read_text())["features"]}
    region["municipalities"] = [m for m in region["municipalities"] if m["code"] in inside]
    (folder / "region.yaml").write_text(yaml.safe_dump(region, allow_unicode=True))
    scan = ["scan", "--region", str(folder), "--criteria", str(folder / "criteria.yaml")]
    # the GMR alone: the Otterlo parcels lie in Ede, and the error says so
    result = runner.invoke(main, scan)
    assert result.exit_code != 0
    assert "none of the 11 candidates lies in a gemeente of the region" in result.output
    assert "GM0228" in result.output
    region["municipalities"].append({"code": "GM0228", "name": "Ede", "subregio": "Subregio 1"})
    (folder / "region.yaml").write_text(yaml.safe_dump(region, allow_unicode=True))
    out = tmp_path / "longlist.gpkg"
    result = runner.invoke(main, [*scan, "--all", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "Kandidaten: 11; op de longlist: 0" in result.output
    got = gpd.read_file(out).set_index("source_id")
    # feature by feature, against the GeoJSON extract of the same parcels and the files
    parcels = gpd.read_file(realdata / "brk-otterlo/brk_v5_perceel_otterlo_rd.geojson")
    parcels = parcels.set_index(parcels["identificatie"].astype(str))
    assert sorted(got.index) == sorted(parcels.index)
    got = got.loc[parcels.index]
    assert (got["gemeente_code"] == "GM0228").all()
    np.testing.assert_allclose(got["area_m2"], parcels.area, atol=0.01)
    sites = [Point(175000, 451000), Point(180500, 457500)]
    to_sites = np.array([[p.distance(s) for s in sites] for p in parcels.geometry])
    np.testing.assert_allclose(got["dist_work_site_m"], to_sites.min(axis=1), atol=0.01)
    assert (got["dist_work_site_m__id"] == np.array(["W1", "W2"])[to_sites.argmin(axis=1)]).all()
    assert (got["dist_work_site_m__gemeente"] == "GM0228").all()  # from where the site is
    with pyogrio_all_geometries():  # each BRK pand: its label point and its polygon
        panden = gpd.read_file(folder / "brk-otterlo/kadastralekaart_pand.gml")
    to_pand = [min(p.distance(g) for g in panden.geometry) for p in parcels.geometry]
    np.testing.assert_allclose(got["dist_dwelling_m"], to_pand, atol=0.01)
    assert min(to_pand) > 200  # the panden stand near the parcels, not on them
    assert max(to_pand) < 500
    # outside what the Arnhem and Doesburg files cover: unknown, never 0
    for measure in ("core_share", "zoning_class", "parking_places_400m", "dist_stop_m",
                    "nature_share", "dist_shop_m"):
        assert got[measure].isna().all(), measure
    big = parcels.index[parcels.area >= 2000]
    assert list(big) == ["84920231870000"]
    assert (got["status"] == "valt af").all()
    assert (got["c_afstand_werk"] == "voldoet").all()
    assert (got["c_afstand_woningen"] == "voldoet").all()
    assert got.loc[big[0], "reasons"] == (
        "Buiten de kern: onbekend: geen waarde voor aandeel binnen de kern (telt als niet "
        "voldaan); Passende bestemming: onbekend: geen waarde voor bestemming (te controleren);"
        " Voldoende parkeergelegenheid: onbekend: geen waarde voor parkeerplaatsen binnen 400 m"
        " (te controleren); Niet in natuurgebied: onbekend: geen waarde voor aandeel in "
        "natuurgebied (telt als niet voldaan)")
    small = got.drop(index=big)
    assert small["reasons"].str.contains("Groot genoeg: oppervlakte").all()
    assert (small["c_min_oppervlakte"] == "voldoet niet").all()
    ogrinfo = shutil.which("ogrinfo")
    if ogrinfo:  # as QGIS would open it: without a warning
        info = subprocess.run([ogrinfo, "-al", "-so", str(out)], capture_output=True,
                              text=True, timeout=60)
        assert info.returncode == 0, info.stderr
        assert "Warning" not in info.stderr, info.stderr
        assert "Feature Count: 11" in info.stdout


@contextlib.contextmanager
def pyogrio_all_geometries():
    """Read every geometry of a GML feature, as one geometry collection."""
    pyogrio.set_gdal_config_options({"GML_FETCH_ALL_GEOMETRIES": "YES"})
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options({"GML_FETCH_ALL_GEOMETRIES": None})
