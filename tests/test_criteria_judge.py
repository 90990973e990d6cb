"""One criterion judged over a measures table: classes by their codes, unknown never passes."""

from __future__ import annotations

import numpy as np
import pandas as pd

from locscan.criteria.judge import FAIL, PASS, UNKNOWN, hard_status
from locscan.criteria.schema import HardCriterion
from locscan.measures import MeasureSpec

SPEC = MeasureSpec(name="z", kind="dominant_attribute", layer="zoning", params={"field": "c"})
TABLE = pd.DataFrame({"z": pd.Categorical(["Wonen", "Agrarisch", None, "Natuur"])})


def _status(op, value):
    crit = HardCriterion(id="b", label="B", measure="z", op=op, value=value)
    return hard_status(crit, SPEC, TABLE, {}, {}).tolist()


def test_class_criteria_compare_categories_and_leave_a_missing_class_unknown():
    assert _status("in", ["Wonen", "Natuur", "Bedrijf"]) == [PASS, FAIL, UNKNOWN, PASS]
    assert _status("not_in", ["Wonen"]) == [FAIL, PASS, UNKNOWN, PASS]
    assert _status("==", "Agrarisch") == [FAIL, PASS, UNKNOWN, FAIL]
    assert _status("!=", "Agrarisch") == [PASS, FAIL, UNKNOWN, PASS]


def test_an_override_judges_its_gemeente_against_its_own_value():
    spec = MeasureSpec(name="d", kind="distance_to", layer="w")
    crit = HardCriterion(id="a", label="A", measure="d", op="<=", value=15, unit="km")
    table = pd.DataFrame({"d": [13_000.0, 13_000.0, np.nan]})

    class Change:
        value = 12

    groups = {"GM2": np.array([False, True, False])}
    status = hard_status(crit, spec, table, groups, {"GM2": {"a": Change()}})
    assert status.tolist() == [PASS, FAIL, UNKNOWN]
