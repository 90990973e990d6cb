"""The WebGL map's data that follows the criteria: one byte per candidate per change."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from _toy import REGION, gdf, toy_layers
from shapely import box

from locscan import rdnap
from locscan.maps import deck
from locscan.region import RegionMeta

META = RegionMeta.model_validate(REGION)


def test_status_codes_by_hand():
    status = pd.Series(["voldoet", "voldoet", "te controleren", "valt af", "voldoet"])
    score = pd.Series([10.0, 95.0, 50.0, 99.0, np.nan])
    shown = pd.Series([True, True, True, True, False])
    # score 10 -> class 0 (code 3), 95 -> class 4 (code 7), check 2, fail 1, hidden 0
    assert deck.status_codes(status, score, shown).tolist() == [3, 7, 2, 1, 0]
    assert deck.status_codes(pd.Series(["valt af"]), pd.Series([1.0])).tolist() == [1]


def test_status_codes_without_any_passing_site():
    status = pd.Series(pd.Categorical(["valt af", None], categories=["valt af"]))
    assert deck.status_codes(status, pd.Series([1.0, 2.0])).tolist() == [1, 1]


def test_scores_round_to_whole_points_and_mark_unknown_as_255():
    values = deck.scores(pd.Series([0.0, 49.5, 100.0, np.nan]))
    assert values.dtype == np.uint8
    assert values.tolist() == [0, 50, 100, 255]


def test_clicked_accepts_only_positions_in_range():
    index = pd.Index(["perceel:a", "perceel:b"])
    assert deck.clicked({"index": 1, "at": 5}, index) == "perceel:b"
    for value in (None, {}, {"index": -1}, {"index": 2}, {"index": "1"}, {"index": True}, [1]):
        assert deck.clicked(value, index) is None


def test_bounds_follow_the_shown_candidates():
    cands = gdf([box(0, 0, 100, 100), box(2500, 0, 2600, 50), box(300, 300, 400, 400)]
                ).set_index(pd.Index(["perceel:a", "perceel:b", "perceel:c"]))
    shown = pd.Series([False, True, False], index=cands.index)
    west, south, east, north = deck.bounds(cands, shown)
    lon, lat = rdnap.rd_to_etrs89(np.array([2500.0, 2600.0]), np.array([0.0, 50.0]))
    assert west == pytest.approx(lon[0], abs=5e-5)
    assert east == pytest.approx(lon[1], abs=5e-5)
    assert south == pytest.approx(lat[0], abs=5e-5)
    assert north == pytest.approx(lat[1], abs=5e-5)
    assert deck.bounds(cands, pd.Series([False] * 3, index=cands.index)) is None


def test_legend_names_every_class_and_only_present_context():
    labels = [label for _, label, _ in deck.legend()]
    for _, label in deck.CLASSES.values():
        assert label in labels
    assert "werklocatie" in labels
    assert "op de shortlist" in labels
    assert "Kern" not in labels
    layers = toy_layers()
    assert "Kern" in [label for _, label, _ in deck.legend({"cores": layers["cores"]})]
    colours = dict((label, colour) for colour, label, _ in deck.legend())
    assert colours["werklocatie"] != colours["op de shortlist"]




def test_the_legend_and_the_map_draw_context_in_the_same_colours():
    layers = {role: gdf([box(0, 0, 10, 10)]) for role in deck.CONTEXT_STYLE}
    rows = {label: colour for colour, label, _ in deck.legend(layers)}
    drawn = deck.context_draw()
    for role, (label, colour) in deck.CONTEXT_STYLE.items():
        assert rows[label] == colour
        assert drawn[role]["line"][:3] == list(bytes.fromhex(colour[1:]))
    assert drawn["work_site"]["fill"][:3] == list(bytes.fromhex(rows["werklocatie"][1:]))
    assert drawn["gemeente"]["line"][:3] == list(bytes.fromhex(rows["gemeentegrens"][1:]))
