"""The WebGL map's geometry files: written once per region, named by their content."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from _toy import REGION, gdf, toy_layers
from shapely import MultiPolygon, box

from locscan import rdnap
from locscan.maps import deck, regionfiles
from locscan.region import RegionMeta

META = RegionMeta.model_validate(REGION)


def _candidates() -> pd.DataFrame:
    # three parcels in two 2 km tiles: two in the tile at the origin, one 2.5 km east;
    # the last is a multipolygon of two squares (two outlines, one candidate)
    shapes = [box(0, 0, 100, 100), box(2500, 0, 2600, 50),
              MultiPolygon([box(300, 300, 400, 400), box(500, 300, 600, 400)])]
    frame = gdf(shapes, gemeente_code=["GM0001", "GM0002", "GM0001"])
    return frame.set_index(pd.Index(["perceel:a", "perceel:b", "perceel:c"], name="id"))


def _read(folder, name, dtype) -> np.ndarray:
    return np.frombuffer((folder / name).read_bytes(), dtype=dtype)


def test_files_hold_points_tiles_and_outlines_by_hand(tmp_path):
    cands = _candidates()
    files = deck.write_region(cands, {}, META, tmp_path)
    assert files.count == 3
    order = _read(tmp_path, files.order, "<u4")
    tiles = _read(tmp_path, files.tiles, "<u4")
    # tile (0, 0) holds a and c (stored first, in candidate order), tile (1, 0) holds b
    assert order.tolist() == [0, 2, 1]
    assert tiles.tolist() == [0, 2, 3]
    points = _read(tmp_path, files.points, "<f4").reshape(-1, 2)
    lon, lat = rdnap.rd_to_etrs89(np.array([50.0]), np.array([50.0]))
    assert points[0] == pytest.approx([lon[0], lat[0]], abs=1e-6)
    # outlines: a (5 vertices, closed), then c's two squares, then b; owners are stored positions
    starts = _read(tmp_path, files.starts, "<u4")
    owners = _read(tmp_path, files.owners, "<u4")
    assert owners.tolist() == [0, 1, 1, 2]
    assert starts.tolist() == [0, 5, 10, 15, 20]
    rings = _read(tmp_path, files.rings, "<f4").reshape(-1, 2)
    assert len(rings) == 20
    assert rings[0].tolist() == rings[4].tolist()  # closed
    boxes = _read(tmp_path, files.boxes, "<f4").reshape(-1, 4)
    assert boxes.shape == (2, 4)
    assert (boxes[:, 0] <= boxes[:, 2]).all()
    assert json.loads((tmp_path / files.ids).read_text()) == ["perceel:a", "perceel:b",
                                                             "perceel:c"]


def test_outlines_written_later_are_the_same_files(tmp_path):
    cands = _candidates()
    whole = deck.write_region(cands, {}, META, tmp_path / "whole")
    later = deck.write_region(cands, {}, META, tmp_path / "later", outlines=False)
    assert later == whole
    outlines = [later.rings, later.starts, later.owners]
    assert not any((tmp_path / "later" / name).exists() for name in outlines)
    deck.write_outlines(cands, later, tmp_path / "later")
    for name in whole.names():
        assert (tmp_path / "later" / name).read_bytes() == (tmp_path / "whole" / name).read_bytes()


def test_same_content_same_names_other_content_other_names(tmp_path):
    cands = _candidates()
    first = deck.write_region(cands, {}, META, tmp_path)
    written = {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
    again = deck.write_region(cands, {}, META, tmp_path)
    assert again == first
    assert {p.name: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == written  # untouched
    moved = cands.set_geometry(cands.geometry.translate(1, 0))
    assert deck.write_region(moved, {}, META, tmp_path).key != first.key


def test_context_layers_carry_their_kind_and_names():
    layers = toy_layers()
    context = {"municipalities": layers["municipalities"], "work_sites": layers["work_sites"],
               "cores": layers["cores"].rename(columns={"naam": "name"})}
    features = json.loads(deck.context_geojson(context, META))["features"]
    kinds = {f["properties"]["kind"] for f in features}
    assert kinds == {"gemeente", "subregio", "cores", "work_site"}
    names = {f["properties"]["name"] for f in features if f["properties"]["kind"] == "gemeente"}
    assert names <= {m.name for m in META.municipalities}
    assert names





def test_reach_is_one_zone_around_the_work_sites():
    sites = gdf([box(0, 0, 1, 1).centroid, box(3000, 0, 3001, 1).centroid])
    zone = regionfiles.reach_geojson(sites, 2000)
    assert len(zone["features"]) == 1  # the two circles overlap: one area
    assert zone["features"][0]["properties"]["name"] == "binnen 2 km van een werklocatie"
    assert regionfiles.reach_geojson(sites.iloc[:0], 2000) is None


def test_every_selection_of_a_region_shares_one_context_file(tmp_path):
    cands = _candidates()
    layers = toy_layers()
    context = {"municipalities": layers["municipalities"]}
    one = deck.write_region(cands.iloc[:1], context, META, tmp_path)
    other = deck.write_region(cands.iloc[1:], context, META, tmp_path)
    assert one.key != other.key
    assert one.context == other.context
    assert len(list(tmp_path.glob("*.context.json"))) == 1
    # a gemeente renamed in region.yaml is shown with its new name: another file
    renamed = META.model_copy(update={"municipalities": [
        META.municipalities[0].model_copy(update={"name": "Nieuwdorp"}),
        *META.municipalities[1:]]})
    third = deck.write_region(cands.iloc[1:], context, renamed, tmp_path)
    assert third.context != one.context
    names = {f["properties"]["name"] for f in json.loads(
        (tmp_path / third.context).read_text())["features"]}
    assert "Nieuwdorp" in names
