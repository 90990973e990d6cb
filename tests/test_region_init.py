"""From a folder of files made by others to a scan: region init, a few edits, one scan."""

from __future__ import annotations

import pytest
import yaml
from _criteria import toy_criteria
from _toy import toy_layers
from click.testing import CliRunner

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


def test_init_never_overwrites(tmp_path):
    folder = _folder(tmp_path)
    (folder / "layers.yaml").write_text("# mijn eigen catalogus\n")
    written = region_init.write(region_init.propose(folder), "proef")
    assert [p.name for p in written] == ["layers.voorstel.yaml", "region.yaml"]
    assert (folder / "layers.yaml").read_text() == "# mijn eigen catalogus\n"


@pytest.mark.realdata
def test_init_on_real_extracts(realdata, tmp_path):
    import shutil

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
