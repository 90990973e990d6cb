"""The Scan: one object that the app and the command line both ask, on the toy region."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from _criteria import toy_criteria
from _scan import CAPACITY, NORMS, toy_crit, toy_scan
from _toy import REGION, write_region

from locscan import criteria, factsheet
from locscan.errors import RegionError
from locscan.region import Region
from locscan.scan import Scan
from locscan.shortlist import Shortlist


@pytest.fixture
def scan(tmp_path):
    return toy_scan(tmp_path / "toy")


def test_a_variant_is_evaluated_once_and_the_saved_set_stays(scan):
    strict = scan.criteria.with_value("afstand_werk", 10)
    first = scan.evaluate(strict)
    assert scan.evaluate(strict) is first  # memoised by the criteria's digest
    assert scan.evaluate(scan.criteria.with_value("afstand_werk", 10)) is first
    # p1 lies 14.9 km from the work site: on the longlist at 15 km, off it at 10 km
    assert bool(scan.evaluate().on_longlist["perceel:p1"])
    assert not bool(first.on_longlist["perceel:p1"])
    assert list(scan.longlist(strict).index) == ["perceel:p4", "perceel:p5"]


def test_a_variant_with_a_new_measure_computes_only_that_measure(scan):
    raw = toy_criteria() | {"capacity": CAPACITY}
    raw["measures"]["area_m2"] = {"kind": "area"}
    raw["hard"].append({"id": "groot", "label": "Groot", "measure": "area_m2", "op": ">=",
                        "value": 1, "unit": "ha"})
    result = scan.evaluate(criteria.parse(raw))
    assert "area_m2" in scan.measures
    assert result.status["perceel:p1"] == "voldoet"  # 100 × 100 m is exactly 1 ha


def test_selection_is_checked_against_the_region(scan):
    assert scan.selection("noord", "beestad") == ("Noord", "GM0002")
    with pytest.raises(RegionError, match="no subregio 'West'; known: Noord, Zuid"):
        scan.selection("West")


def test_shortlist_table_joins_the_working_groups_fields(scan):
    store = Shortlist("sqlite://", "toy")
    scan.add_to_shortlist(store, "perceel:p2", user="Anna")  # off the longlist: still shown
    table = scan.shortlist_table(store)
    assert table.index.tolist() == ["perceel:p2"]
    assert table.loc["perceel:p2", "status"] == "valt af"
    assert table.loc["perceel:p2", "shortlist_status"] == "voorgesteld"


@pytest.fixture
def both(tmp_path):
    """The toy region scanned whole and in parts (the latter as its region.yaml asks)."""
    folder = write_region(tmp_path / "toy", region=REGION | {"norms": NORMS, "in_parts": True})
    return Scan(Region(folder), toy_crit(), cache=False, in_parts=False), Scan(
        Region(folder), toy_crit(), cache=True)


def test_a_scan_in_parts_holds_no_shapes_yet_answers_like_the_whole_scan(both, tmp_path):
    whole, parts = both
    assert parts.in_parts  # as region.yaml says
    assert not whole.in_parts  # overridden
    assert "geometry" not in parts.candidates.columns
    assert list(parts.longlist(shapes=False).columns) == [
        c for c in whole.longlist().columns if c != "geometry"]
    a, b = whole.longlist(everything=True), parts.longlist(everything=True)
    assert list(b.index) == list(a.index)
    assert b.crs == a.crs
    assert b.geometry.geom_equals_exact(a.geometry, 0).all()
    # capacity reads the shapes of the sites it uses only, and comes out the same
    pd.testing.assert_frame_equal(parts.analysis().coverage_gemeente,
                                  whole.analysis().coverage_gemeente)
    assert parts.suggest(subregio="Noord").sites.index.equals(
        whole.suggest(subregio="Noord").sites.index)
    changes = parts.compare({"a": parts.criteria,
                             "b": parts.criteria.with_value("afstand_werk", 10)}).changes
    assert changes.index.tolist() == ["perceel:p1"]  # 14.9 km away: leaves at 10 km
    assert changes.geometry.iloc[0].equals(whole.candidates.geometry["perceel:p1"])
    out = parts.export(parts.longlist(shapes=False), tmp_path / "lang.gpkg")
    assert gpd.read_file(out).geometry.notna().all()


def _bytes(folder, files, names=("points", "order", "tiles", "boxes", "ids")):
    return {n: (folder / getattr(files, n)).read_bytes() for n in names}


def _point_of(folder, files) -> dict[str, tuple[float, float]]:
    """Each candidate's drawn point in the map files, by its id."""
    import json

    import numpy as np

    ids = json.loads((folder / files.ids).read_text())
    order = np.fromfile(folder / files.order, dtype="<u4")
    points = np.fromfile(folder / files.points, dtype="<f4").reshape(-1, 2)
    return {ids[c]: tuple(points[s]) for s, c in enumerate(order)}


def _rings_of(folder, files) -> dict[str, list[bytes]]:
    """Each candidate's outlines in the map files (their vertices' bytes), by its id."""
    import json

    import numpy as np

    ids = json.loads((folder / files.ids).read_text())
    order = np.fromfile(folder / files.order, dtype="<u4")
    rings = np.fromfile(folder / files.rings, dtype="<f4").reshape(-1, 2)
    starts = np.fromfile(folder / files.starts, dtype="<u4")
    owners = np.fromfile(folder / files.owners, dtype="<u4")
    out: dict[str, list[bytes]] = {}
    for k, stored in enumerate(owners):
        out.setdefault(ids[order[stored]], []).append(rings[starts[k]:starts[k + 1]].tobytes())
    return out


def test_only_a_scan_in_parts_finds_its_whole_region_too_wide_to_weigh(both):
    whole, parts = both
    codes = [m.code for m in parts.meta.municipalities]
    assert len(codes) > 1
    assert parts.too_wide(None)
    assert parts.too_wide(codes)
    assert parts.too_wide(codes + codes[:1])
    assert not parts.too_wide(codes[:1])
    assert not whole.too_wide(None)
    assert not whole.too_wide(codes)


def test_a_scan_in_parts_maps_the_chosen_gemeenten_from_its_parts_pieces(both, tmp_path,
                                                                       monkeypatch):
    from locscan.maps import deck

    whole, parts = both
    files, rows = whole.write_map(tmp_path / "heel", ["GM0002"])
    assert files.count == len(whole.candidates)  # the whole region, once
    assert rows.tolist() == list(range(len(whole.candidates)))
    # no shape is read: the gemeente's piece was made when its part was computed
    monkeypatch.setattr(parts, "with_shapes", lambda table: pytest.fail("read shapes"))
    files, rows = parts.write_map(tmp_path / "deel", ["GM0002"])
    ids = parts.candidates.index[rows]
    assert set(parts.candidates["gemeente_code"].iloc[rows]) == {"GM0002"}
    assert sorted(ids) == sorted(whole.candidates.index[
        whole.candidates["gemeente_code"] == "GM0002"])
    # the very files the map of those candidates with their shapes would be
    same = deck.write_region(whole.candidates.loc[ids], whole.context(), whole.meta,
                             tmp_path / "vormen", outlines=False)
    assert files.key == same.key
    assert _bytes(tmp_path / "deel", files) == _bytes(tmp_path / "vormen", same)
    # and the outlines, joined from the piece too
    parts.write_map_outlines(files, rows, tmp_path / "deel", ["GM0002"])
    deck.write_outlines(whole.candidates.loc[ids], same, tmp_path / "vormen")
    assert (_bytes(tmp_path / "deel", files, ("rings", "starts", "owners"))
            == _bytes(tmp_path / "vormen", same, ("rings", "starts", "owners")))
    # two gemeenten: each candidate drawn where the whole region's map draws it
    files, rows = parts.write_map(tmp_path / "twee", ["GM0002", "GM0001"])
    assert files.count == len(rows) == len(parts.candidates)
    assert rows.tolist() == parts.map_rows(["GM0002"]).tolist() + parts.map_rows(
        ["GM0001"]).tolist()
    heel = whole.write_map(tmp_path / "heel")[0]
    assert _point_of(tmp_path / "twee", files) == _point_of(tmp_path / "heel", heel)
    parts.write_map_outlines(files, rows, tmp_path / "twee", ["GM0002", "GM0001"])
    whole.write_map_outlines(heel, None, tmp_path / "heel")
    assert _rings_of(tmp_path / "twee", files) == _rings_of(tmp_path / "heel", heel)
    assert parts.write_map(tmp_path / "te-veel", limit=len(parts.candidates) - 1) is None


def test_a_map_without_its_pieces_is_made_from_the_shapes(both, tmp_path):
    parts = both[1]
    folder = parts.region.folder
    good = _bytes(tmp_path / "goed", parts.write_map(tmp_path / "goed", ["GM0001"])[0])
    uncached = Scan(Region(folder), toy_crit(), cache=False)
    pieces = list(folder.rglob("kaart-*.npz"))
    assert pieces
    for piece in pieces:  # a cache whose pieces were damaged
        piece.write_bytes(b"kapot")
    for scan, name in ((parts, "kapot"), (uncached, "zonder")):
        files, rows = scan.write_map(tmp_path / name, ["GM0001"])
        assert _bytes(tmp_path / name, files) == good
        # the outlines follow, read from the shapes
        scan.write_map_outlines(files, rows, tmp_path / name, ["GM0001"])
        assert (tmp_path / name / files.rings).stat().st_size > 0


def test_a_factsheet_of_a_scan_in_parts_draws_the_same_map(both):
    whole, parts = both
    assert (factsheet.facts(parts, "perceel:p4").map_svg
            == factsheet.facts(whole, "perceel:p4").map_svg)


def test_the_classes_to_choose_from_are_found_once(scan, monkeypatch):
    first = scan.choices("bestemming")
    assert "Wonen" in first

    def never(*args):
        raise AssertionError("found again")

    monkeypatch.setattr(criteria, "choices", never)
    assert scan.choices("bestemming") == first


def test_a_scan_reopened_from_its_cache_makes_missing_pieces_from_the_cached_shapes(
        both, tmp_path):
    parts = both[1]
    folder = parts.region.folder
    good = _bytes(tmp_path / "goed", parts.write_map(tmp_path / "goed", ["GM0001"])[0])
    made = sorted(folder.rglob("kaart-*.npz"))
    assert made
    for piece in made:  # gone: the parts, read whole from the cache, read their shapes
        piece.unlink()
    again = Scan(Region(folder), toy_crit(), cache=True)
    assert sorted(folder.rglob("kaart-*.npz")) == made
    files, _ = again.write_map(tmp_path / "weer", ["GM0001"])
    assert _bytes(tmp_path / "weer", files) == good
