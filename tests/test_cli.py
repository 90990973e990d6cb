"""End to end: `locscan` on a small demo region; the output is read back feature by feature."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pyogrio
import pytest
from _toy import ROOT
from click.testing import CliRunner

from locscan import criteria
from locscan.cli import main
from locscan.units import to_native

GMR = ROOT / "criteria/gmr-tijdelijke-werknemers.yaml"


def _run(*args: str) -> str:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _threshold(crit, hard, gemeente_code, meta):
    value = hard.value
    for key, changes in crit.overrides.items():
        if meta.municipality(key).code == gemeente_code and hard.id in changes:
            value = changes[hard.id].value
    spec = crit.measures[hard.measure]
    if isinstance(value, list):
        return value
    return to_native(float(value), hard.unit, spec.value_unit)


def _meets(value, op, threshold):
    checks = {"<": lambda: value < threshold, "<=": lambda: value <= threshold,
              ">": lambda: value > threshold, ">=": lambda: value >= threshold,
              "in": lambda: value in threshold}
    return checks[op]()


def test_scan_writes_a_longlist_that_meets_every_criterion(small_demo, tmp_path):
    out = tmp_path / "longlist.geojson"
    text = _run("scan", "--region", small_demo, "--criteria", GMR, "--subregio", "liemers",
                "-o", out)
    assert "DEMO – fictieve gegevens" in text
    assert "Per criterium:" in text
    assert "Liemers  Doesburg" in text  # Doesburg is a Liemers gemeente
    crit = criteria.load(GMR)
    features = pyogrio.read_dataframe(out)
    assert pyogrio.read_info(out)["crs"] == "EPSG:4326"
    assert len(features) > 0
    assert f"{len(features)} locaties geschreven" in text
    assert set(features["subregio"]) == {"Liemers"}
    assert features["rank"].is_monotonic_increasing
    from locscan.region import load_meta

    meta = load_meta(small_demo / "region.yaml")
    checked = 0
    for _, feature in features.iterrows():
        for hard in crit.hard:
            value = feature[hard.measure]
            outcome = feature[f"c_{hard.id}"]
            if outcome == "onbekend":
                assert hard.on_unknown == "check"
                assert feature["status"] == "te controleren"
                assert hard.label in feature["reasons"], feature.to_dict()
                continue
            assert outcome == "voldoet"
            threshold = _threshold(crit, hard, feature["gemeente_code"], meta)
            assert _meets(value, hard.op, threshold), (feature["candidate_id"], hard.id, value)
            checked += 1
    assert checked >= len(features) * 5


def test_scan_all_to_geopackage_and_csv_keeps_failures_with_reasons(small_demo, tmp_path):
    gpkg = tmp_path / "alles.gpkg"
    _run("scan", "--region", small_demo, "--criteria", GMR, "--all", "-o", gpkg)
    frame = pyogrio.read_dataframe(gpkg)
    assert pyogrio.read_info(gpkg)["crs"] == "EPSG:28992"
    failed = frame[frame["status"] == "valt af"]
    assert len(failed) > 0
    assert (failed["reasons"].str.len() > 0).all()
    assert (failed["rank"] == 0).all()
    meta = pyogrio.read_info(gpkg, layer="longlist")["layer_metadata"]
    assert meta["criteria"] == "gmr-tijdelijke-werknemers"
    assert meta["demo"] == "True"
    csv = tmp_path / "longlist.csv"
    _run("scan", "--region", small_demo, "--criteria", GMR, "--gemeente", "Zevenaar", "-o", csv)
    assert csv.read_text(encoding="utf-8-sig").splitlines()[0].startswith("candidate_id;source;")


def test_second_scan_uses_cached_measures(small_demo):
    _run("measure", "--region", small_demo, "--criteria", GMR)
    result = CliRunner().invoke(main, ["measure", "--region", str(small_demo), "--criteria",
                                       str(GMR)])
    assert "(10 uit cache)" in result.output


def test_explain_prints_every_criterion(small_demo):
    text = _run("explain", "--region", small_demo, "--criteria", GMR, "--candidate",
                "perceel:P0000001")
    crit = criteria.load(GMR)
    for c in crit.criteria:
        assert c.id in text
    assert "perceel:P0000001 (" in text


@pytest.mark.parametrize(("args", "message"), [
    (["--subregio", "Veluwe"], "no subregio 'Veluwe'; known: Arnhem, Liemers, Rijk van Nijmegen"),
    (["-o", "x.shp"], "unknown format '.shp'"),
    (["--gemeente", "Ede"], "no gemeente 'Ede'"),
    (["--gebied", "provincie=Utrecht"], "no provincie 'Utrecht'; known: Gelderland, Limburg"),
    (["--gebied", "woonregio=Arnhem"], "no kind of area 'woonregio'; known: provincie, "
                                       "arbeidsmarktregio"),
])
def test_bad_input_is_one_clear_error(small_demo, args, message):
    result = CliRunner().invoke(main, ["scan", "--region", str(small_demo), "--criteria",
                                       str(GMR), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output


def test_missing_region_and_criteria(tmp_path):
    result = CliRunner().invoke(main, ["scan", "--region", str(tmp_path / "demo"),
                                       "--criteria", str(GMR)])
    assert result.exit_code == 1
    assert "locscan demo build" in result.output
    result = CliRunner().invoke(main, ["check", str(tmp_path / "none.yaml")])
    assert result.exit_code == 1
    assert "none.yaml: file not found" in result.output


def test_check_lists_the_criteria():
    text = _run("check", GMR)
    assert "gmr-tijdelijke-werknemers versie 2026-11-23 is geldig" in text
    assert "afstand_werk: Binnen 15 km van een werklocatie" in text


def test_capacity_and_suggest_commands(small_demo, tmp_path, monkeypatch):
    monkeypatch.setenv("LOCSCAN_DB", f"sqlite:///{tmp_path}/sl.sqlite")
    text = _run("capacity", "--region", small_demo, "--criteria", GMR, "--subregio", "Liemers")
    assert "Opgave en capaciteit per subregio:" in text
    assert "opgave tijdelijk 2030 (hoog)" in text
    assert "Aannames: built_share=0.4, storeys=2.0, m2_per_worker=15.0" in text
    assert "witte vlekken" in text
    assert "eigen gemeente" in text
    out = tmp_path / "suggestie.gpkg"
    text = _run("suggest", "--region", small_demo, "--criteria", GMR, "--subregio", "Liemers",
                "-o", out, "--accept", "--user", "Anna")
    assert "Solver: HiGHS via scipy.optimize.milp" in text
    assert "Opgave Liemers: 6232 tijdelijke werknemers" in text
    assert "locaties op de shortlist gezet" in text
    chosen = pyogrio.read_dataframe(out)
    assert len(chosen) > 0
    assert (chosen["planned"] <= chosen["capacity"] + 1e-6).all()
    from locscan.region import Region
    from locscan.shortlist import Shortlist

    assert len(Shortlist(region=Region(small_demo).key).items()) == len(chosen)
    assert Shortlist(region="gmr-demo").items().empty  # keyed by the folder, not the name


def test_an_internal_error_is_logged_and_said_in_one_line(tmp_path, monkeypatch):
    from locscan import criteria as criteria_module

    def broken(*_args, **_kwargs):
        raise RuntimeError("a defect")

    monkeypatch.setenv("LOCSCAN_LOG_DIR", str(tmp_path / "logs"))
    monkeypatch.setattr(criteria_module, "load", broken)
    result = CliRunner().invoke(main, ["check", str(GMR)])
    assert result.exit_code == 70
    assert "an internal error in locscan (RuntimeError)" in result.output
    assert "Traceback" not in result.output
    (log,) = (tmp_path / "logs").iterdir()
    assert "RuntimeError: a defect" in log.read_text()
    assert str(log) in result.output.replace("\n", "")


def test_robustness_command(small_demo, tmp_path):
    out = tmp_path / "robuust.csv"
    text = _run("robustness", "--region", small_demo, "--criteria", GMR, "--runs", "200",
                "--top", "5", "--subregio", "Liemers", "-o", out)
    assert "200 runs in" in text
    assert "gevarieerd: dichtbij_werk" in text
    assert "wankel" in text
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("candidate_id;")


def test_ahp_command_saves_a_new_criteria_set(tmp_path):
    import shutil

    crit = tmp_path / "crit.yaml"
    shutil.copy(GMR, crit)
    judgements = tmp_path / "oordelen.yaml"
    rows = {"Duiven": [["dichtbij_werk", "dichtbij_ov", 3],
                       ["dichtbij_werk", "dichtbij_winkels", 5],
                       ["dichtbij_werk", "eigendom", 2], ["dichtbij_ov", "dichtbij_winkels", 2],
                       ["dichtbij_ov", "eigendom", "1/2"], ["dichtbij_winkels", "eigendom", "1/3"]]}
    import yaml

    judgements.write_text(yaml.safe_dump({"criteria": ["dichtbij_werk", "dichtbij_ov",
                                                       "dichtbij_winkels", "eigendom"],
                                          "parties": rows}))
    text = _run("ahp", "--criteria", crit, "--judgements", judgements, "--save-as", "ahp-test",
                "--author", "Anna")
    assert "groep" in text
    assert "consistent" in text
    saved = criteria.load(tmp_path / "ahp-test.yaml")
    assert saved.ahp is not None
    assert saved.ahp.parties.keys() == {"Duiven"}


def test_compare_command(small_demo, tmp_path):
    strict = tmp_path / "streng.yaml"
    strict.write_text(GMR.read_text(encoding="utf-8").replace("value: 20\n", "value: 150\n", 1),
                      encoding="utf-8")
    out = tmp_path / "verschil.csv"
    text = _run("compare", "--region", small_demo, GMR, strict, "-o", out)
    assert "2 scenario's vergeleken" in text
    assert "vallen af tegenover 1: gmr-tijdelijke-werknemers" in text
    assert "valt af" in out.read_text(encoding="utf-8")


def test_find_command(small_demo):
    text = _run("find", "--region", small_demo, "--criteria", GMR, "p000001")
    assert "perceel:P0000010" in text
    result = CliRunner().invoke(main, ["find", "--region", str(small_demo), "--criteria",
                                       str(GMR), "bestaat-niet"])
    assert result.exit_code == 1
    assert "geen locatie gevonden" in result.output


def test_python_m_locscan_cli_runs_the_same_commands():
    """``python -m locscan.cli`` (what the benchmarks call) is the ``locscan`` script."""
    done = subprocess.run([sys.executable, "-m", "locscan.cli", "demo", "build", "--help"],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert "--parcels" in done.stdout


def test_an_area_narrows_the_summary_and_the_longlist(small_demo, tmp_path):
    """--gebied provincie=Limburg is the GMR's one gemeente in Limburg, Mook en Middelaar."""
    csv = tmp_path / "limburg.csv"
    text = _run("scan", "--region", small_demo, "--criteria", GMR, "--gebied",
                "provincie=limburg", "-o", csv)
    assert "Mook en Middelaar" in text
    rows = pd.read_csv(csv, sep=";", encoding="utf-8-sig")
    assert set(rows["gemeente"]) == {"Mook en Middelaar"}
    whole = _run("scan", "--region", small_demo, "--criteria", GMR, "--gemeente",
                 "Mook en Middelaar")
    assert whole.splitlines()[1:] == text.splitlines()[1:-2]  # the same summary
    result = CliRunner().invoke(main, ["scan", "--region", str(small_demo), "--criteria",
                                       str(GMR), "--gebied", "Limburg"])
    assert result.exit_code == 2
    assert "'Limburg' is not KIND=NAME" in result.output
