from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from _toy import gdf
from shapely import box

from locscan import export
from locscan.errors import ExportError, LocscanError


@pytest.fixture
def table():
    frame = gdf([box(155_000, 463_000, 155_100, 463_100)], status=["voldoet"], score=[80.5],
                tags=[["a", "b"]])
    return frame.set_index(pd.Index(["perceel:1"], name="candidate_id"))


def test_geojson_is_rfc7946_wgs84(tmp_path, table):
    path = export.write(table, tmp_path / "out.geojson", description="DEMO longlist")
    info = pyogrio.read_info(path)
    assert info["crs"] == "EPSG:4326"
    back = pyogrio.read_dataframe(path)
    assert back["candidate_id"].tolist() == ["perceel:1"]
    assert back["tags"].tolist() == ["a; b"]
    x0, y0, _, _ = back.total_bounds
    assert x0 == pytest.approx(5.387, abs=0.001)  # Amersfoort
    assert y0 == pytest.approx(52.155, abs=0.001)
    text = path.read_text()
    assert '"crs"' not in text  # RFC 7946 has no crs member


def test_geopackage_is_rd_new_with_provenance(tmp_path, table):
    meta = export.provenance(criteria="toy", criteria_hash="abc")
    path = export.write(table, tmp_path / "out.gpkg", metadata=meta)
    info = pyogrio.read_info(path, layer="longlist")
    assert info["crs"] == "EPSG:28992"
    assert info["layer_metadata"]["criteria"] == "toy"
    assert info["layer_metadata"]["software"].startswith("locscan ")
    assert pyogrio.read_dataframe(path).geometry.area.tolist() == [10_000.0]


def test_csv_has_the_representative_point(tmp_path, table):
    path = export.write(table, tmp_path / "out.csv")
    back = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
    assert back.loc[0, "candidate_id"] == "perceel:1"
    assert back.loc[0, "x_rd"] == pytest.approx(155_050)
    assert back.loc[0, "lat"] == pytest.approx(52.1556, abs=0.001)
    assert "geometry" not in back.columns


def test_unknown_suffix_is_an_error(tmp_path, table):
    with pytest.raises(LocscanError, match=r"unknown format '\.shp'; use one of \.geojson, \.gpkg"):
        export.write(table, tmp_path / "out.shp")


def test_excel_has_dutch_columns_and_a_provenance_sheet(tmp_path, table):
    meta = export.provenance(criteria="toy", criteria_version="1")
    path = export.write(table.assign(dist_m=[12.3456789]), tmp_path / "out.xlsx",
                        metadata=meta, labels={"dist_m": "Afstand tot werk (m)"},
                        description="longlist")
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["Locaties", "Toelichting", "Herkomst"]
    assert sheets["Locaties"].loc[0, "Afstand tot werk (m)"] == 12.35  # rounded
    legend = sheets["Toelichting"].set_index("kolom")["veld (GeoPackage, GeoJSON, CSV)"]
    assert legend["Afstand tot werk (m)"] == "dist_m"
    assert sheets["Locaties"].columns.is_unique
    assert {"locatie", "status", "score", "Afstand tot werk (m)", "breedtegraad"} <= set(
        sheets["Locaties"].columns)
    about = sheets["Herkomst"].set_index("gegeven")["waarde"]
    assert about["criteria"] == "toy"
    assert about["omschrijving"] == "longlist"


def test_geojson_and_csv_carry_provenance(tmp_path, table):
    import json

    meta = export.provenance(criteria="toy", criteria_hash="abc")
    gj = export.write(table, tmp_path / "out.geojson", metadata=meta)
    assert json.loads(gj.read_text())["locscan_provenance"]["criteria_hash"] == "abc"
    csv = pd.read_csv(export.write(table, tmp_path / "out.csv", metadata=meta), sep=";",
                      decimal=",", encoding="utf-8-sig")
    assert csv.loc[0, "herkomst_criteria"] == "toy"


def test_to_bytes_matches_write(tmp_path, table):
    data = export.to_bytes(table, ".gpkg", layer="shortlist")
    path = tmp_path / "x.gpkg"
    path.write_bytes(data)
    assert pyogrio.list_layers(path)[0][0] == "shortlist"


def test_geojson_coordinates_match_the_rdnaptrans_reference_point(tmp_path):
    # RD (155000, 463000) is 52.155173 N, 5.387204 E (RDNAPTRANS2018, Amersfoort); pyproj's
    # transformation without the grid is within 0.1 m of it (5.3872035, 52.1551723)
    from shapely import Point

    frame = gdf([Point(155_000, 463_000)], status=["voldoet"])
    back = pyogrio.read_dataframe(export.write(frame, tmp_path / "p.geojson"))
    (lon, lat), = back.get_coordinates().to_numpy()
    assert lon == pytest.approx(5.387204, abs=1e-6)  # 1e-6° is 0.07 (lon) to 0.11 m (lat)
    assert lat == pytest.approx(52.155173, abs=1e-6)


def _frame():
    return gpd.GeoDataFrame(
        {"note": ['=HYPERLINK("http://evil.example","klik")', "+31 6", "-2", "@SUM(A1)",
                  "\tx", "gewoon"], "n": [-1, 2, 3, 4, 5, 6]},
        index=pd.Index(["=1+1", "p2", "p3", "p4", "p5", "p6"], name="candidate_id"),
        geometry=[box(0, 0, 10, 10)] * 6, crs=28992)


def test_csv_and_excel_cells_that_a_spreadsheet_would_run_are_inert(tmp_path):
    import openpyxl

    csv = export.write(_frame(), tmp_path / "l.csv", metadata={"user": "=cmd|' /C calc'!A0"})
    text = csv.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text
    assert "'=1+1" in text
    assert "'=cmd" in text
    xlsx = export.write(_frame(), tmp_path / "l.xlsx", metadata={"user": "=1+2"})
    book = openpyxl.load_workbook(xlsx)
    cells = [c for ws in book for row in ws.iter_rows() for c in row]
    formulas = [c.coordinate for c in cells if c.data_type == "f"]
    assert formulas == []
    values = {c.value for c in cells}
    assert {"'=HYPERLINK(\"http://evil.example\",\"klik\")", "'+31 6", "'-2", "'@SUM(A1)",
            "'\tx", "gewoon", -1, "'=1+2"} <= values


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson", ".csv", ".xlsx"])
def test_a_failed_export_leaves_the_previous_file_as_it_was(tmp_path, suffix, monkeypatch):
    out = export.write(_frame(), tmp_path / f"out{suffix}")
    before = out.read_bytes()

    def broken(*_args, **_kwargs):
        raise OSError(5, "disk gone")

    monkeypatch.setattr(export.pyogrio, "write_dataframe", broken)
    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    monkeypatch.setattr(export, "_write_excel", broken)
    with pytest.raises(ExportError, match=f"output {out}: cannot be written"):
        export.write(_frame(), out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary left


def test_bad_output_places_get_one_clear_line(tmp_path):
    protected = tmp_path / "parcels.gpkg"
    export.write(_frame(), protected)
    cases = {
        tmp_path / "missing" / "l.gpkg": "folder .* does not exist",
        tmp_path: "unknown format",
        tmp_path / "dir.gpkg": "is a folder",
        protected: "is one of the region's own input files",
    }
    (tmp_path / "dir.gpkg").mkdir()
    before = protected.read_bytes()
    for path, message in cases.items():
        with pytest.raises(ExportError, match=message):
            export.write(_frame(), path, protect=[protected])
    assert protected.read_bytes() == before


def _export_forever(path: str) -> None:
    frame = gpd.GeoDataFrame({"n": range(60_000)}, geometry=gpd.points_from_xy(
        range(60_000), range(60_000)), crs=28992)
    while True:
        export.write(frame, path)


@pytest.mark.parametrize("suffix", [".gpkg", ".geojson"])
def test_an_export_killed_mid_write_leaves_the_old_file_whole(tmp_path, suffix):
    import multiprocessing
    import os
    import signal
    import time

    out = tmp_path / f"out{suffix}"
    export.write(_frame(), out)
    proc = multiprocessing.get_context("fork").Process(target=_export_forever, args=(str(out),))
    proc.start()
    kills = 0
    for delay in (0.7, 1.3, 0.2):
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGSTOP)  # freeze it wherever it is, then read what is there
        assert len(pyogrio.read_dataframe(out)) in (6, 60_000)
        kills += 1
        os.kill(proc.pid, signal.SIGCONT)
    os.kill(proc.pid, signal.SIGKILL)
    proc.join(10)
    assert kills == 3
    assert len(pyogrio.read_dataframe(out)) in (6, 60_000)


def test_outputs_open_cleanly_where_municipalities_work(tmp_path):
    import json
    import sqlite3

    frame = _frame().assign(leeg=[None] * 6, score=[1.5, 2.25, 3.0, 4.0, 5.0, 6.0])
    gpkg = export.write(frame, tmp_path / "l.gpkg")
    with sqlite3.connect(gpkg) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200  # GeoPackage 1.2
    info = pyogrio.read_info(gpkg)
    types = dict(zip(info["fields"], info["dtypes"], strict=True))
    assert types["leeg"] == "object"  # an all-empty text column is a String field
    empty = export.write(frame.iloc[:0], tmp_path / "leeg.geojson")
    schema = json.loads(empty.read_text())["locscan_fields"]
    assert schema["leeg"] == "String"
    assert schema["score"] == "Real"
    csv = export.write(frame, tmp_path / "l.csv").read_bytes()
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM, as Excel wants it
    header, first = csv.decode("utf-8-sig").splitlines()[:2]
    assert header.split(";")[:3] == ["candidate_id", "note", "n"]
    assert ";1,5;" in first  # a decimal comma
