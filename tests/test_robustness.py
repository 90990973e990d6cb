"""Robustness runs on hand-made scores: one site first in every run, two that swap."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest

from locscan import criteria, longlist
from locscan.errors import CriteriaError
from locscan.robustness import robustness


def _result(hard: list | None = None, m3: list | None = None) -> longlist.Result:
    # A scores 1 on both soft criteria: always first. B scores only on s1 and C only on s2:
    # which one is second depends on which weight is drawn larger (half the runs each).
    raw = {"name": "t", "version": 1,
           "measures": {"m1": {"kind": "attribute", "field": "m1"},
                        "m2": {"kind": "attribute", "field": "m2"},
                        "m3": {"kind": "attribute", "field": "m3"}},
           "soft": [{"id": "s1", "label": "S1", "measure": "m1", "best": 1, "worst": 0},
                    {"id": "s2", "label": "S2", "measure": "m2", "best": 1, "worst": 0}],
           "hard": hard or []}
    ids = pd.Index(["A", "B", "C", "D"], name="candidate_id")
    cands = gpd.GeoDataFrame({"gemeente_code": ["G"] * 4}, index=ids,
                             geometry=gpd.points_from_xy(range(4), range(4)), crs=28992)
    table = pd.DataFrame({"m1": [1.0, 1.0, 0.0, 0.0], "m2": [1.0, 0.0, 1.0, 0.0],
                          "m3": m3 or [10.0, 10.0, 10.0, 10.0]}, index=ids)
    return longlist.build(criteria.parse(raw), cands, table)


def test_one_site_is_first_in_every_run_and_two_swap():
    rob = robustness(_result(), runs=2000, top_n=2, seed=1)
    t = rob.table
    assert t.loc["A", "top_share"] == 1.0
    assert (t.loc["A", "rank_p05"], t.loc["A", "rank_p95"]) == (1, 1)
    assert t.loc["B", "top_share"] == pytest.approx(0.5, abs=0.05)
    assert t.loc["C", "top_share"] == pytest.approx(0.5, abs=0.05)
    assert t.loc["B", "top_share"] + t.loc["C", "top_share"] == pytest.approx(1.0)
    assert (t.loc["B", "rank_p05"], t.loc["B", "rank_p95"]) == (2, 3)
    assert t["fragile"].to_dict() == {"A": False, "B": True, "C": True}
    assert t.index.tolist() == ["A", "B", "C"]  # base rank: B ties C and comes first
    assert "D" not in t.index  # never in the top 2


def test_the_same_seed_gives_the_same_answer():
    a = robustness(_result(), runs=200, top_n=2, seed=7).table
    b = robustness(_result(), runs=200, top_n=2, seed=7).table
    pd.testing.assert_frame_equal(a, b)


def test_a_declared_weight_range_is_kept():
    # s1 may weigh 1..1.2 and s2 0.5..0.9: s1 always weighs more, so B is always second
    result = _result()
    crit = result.criteria.model_copy(update={"soft": [
        result.criteria.soft[0].model_copy(update={"weight_range": (1.0, 1.2)}),
        result.criteria.soft[1].model_copy(update={"weight": 0.7, "weight_range": (0.5, 0.9)}),
    ]})
    again = longlist.build(crit, result.candidates, result.measures)
    t = robustness(again, runs=300, top_n=2).table
    assert t.loc["B", "top_share"] == 1.0
    assert "C" not in t.index


def test_a_threshold_range_moves_sites_on_and_off_the_longlist():
    # m3 must be at least a threshold drawn from [5, 15]: A (m3 = 10) passes in half the runs
    hard = [{"id": "h", "label": "H", "measure": "m3", "op": ">=", "value": 8,
             "range": [5, 15]}]
    rob = robustness(_result(hard, m3=[10.0, 20.0, 20.0, 20.0]), runs=2000, top_n=1, seed=3)
    assert rob.table.loc["A", "longlist_share"] == pytest.approx(0.5, abs=0.05)
    assert rob.table.loc["A", "top_share"] == pytest.approx(0.5, abs=0.05)
    assert rob.varied == ["s1", "s2", "h"]


def test_a_range_must_hold_the_value_and_fit_the_operator():
    with pytest.raises(CriteriaError, match=r"'range' \[9.0, 15.0\] must hold the value 8"):
        _result([{"id": "h", "label": "H", "measure": "m3", "op": ">=", "value": 8,
                  "range": [9, 15]}])
    assert np.isfinite(robustness(_result(), runs=10, top_n=1).table["top_share"]).all()
