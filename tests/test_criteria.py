from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from _criteria import toy_criteria
from _toy import REGION, ROOT

from locscan import criteria
from locscan.criteria import FAIL, PASS, UNKNOWN
from locscan.errors import CriteriaError
from locscan.region import RegionMeta

META = RegionMeta.model_validate(REGION)


def _table(**cols):
    n = len(next(iter(cols.values())))
    base = {"dist_work_m": [1000.0] * n, "core_share": [0.0] * n, "zoning": ["Wonen"] * n,
            "parking_400m": [100.0] * n, "owner": ["gemeente"] * n}
    return pd.DataFrame(base | cols, index=[f"c{i}" for i in range(n)])


def _codes(table, code="GM0001"):
    return pd.Series(code, index=table.index)


def test_shipped_gmr_criteria_are_valid_and_encode_the_policy():
    crit = criteria.load(ROOT / "criteria/gmr-tijdelijke-werknemers.yaml")
    work = crit.criterion("afstand_werk")
    assert (work.op, work.value, work.unit) == ("<=", 15, "km")
    assert crit.criterion("bestemming").on_unknown == "check"
    assert {s.kind for s in crit.used_measures()} >= {"distance_to", "sum_within",
                                                       "overlap_fraction", "dominant_attribute"}
    assert crit.overrides["Zevenaar"]["afstand_werk"].value == 12
    assert all(c.source for c in crit.criteria)  # every criterion says where it comes from


def test_14_9_km_passes_and_15_1_km_fails():
    crit = criteria.parse(toy_criteria())
    table = _table(dist_work_m=[14_900.0, 15_100.0, 15_000.0])
    ev = criteria.evaluate(crit, table, _codes(table))
    assert ev["afstand_werk"].tolist() == [PASS, FAIL, PASS]
    assert ev["passes"].tolist() == [True, False, True]


def test_unknown_under_fail_excludes_and_under_check_keeps_to_be_checked():
    raw = toy_criteria()
    table = _table(zoning=["Wonen", None, "Agrarisch"])
    ev = criteria.evaluate(criteria.parse(raw), table, _codes(table))
    assert ev["bestemming"].tolist() == [PASS, UNKNOWN, FAIL]
    assert ev["passes"].tolist() == [True, True, False]
    assert ev["check"].tolist() == [False, True, False]
    raw["hard"][2]["on_unknown"] = "fail"
    ev = criteria.evaluate(criteria.parse(raw), table, _codes(table))
    assert ev["passes"].tolist() == [True, False, False]
    assert ev["check"].tolist() == [False, False, False]


def test_missing_numbers_are_unknown_never_pass_or_fail():
    table = _table(dist_work_m=[np.nan])
    ev = criteria.evaluate(criteria.parse(toy_criteria()), table, _codes(table))
    assert ev["afstand_werk"].tolist() == [UNKNOWN]
    assert ev["passes"].tolist() == [False]  # on_unknown defaults to fail
    assert np.isnan(ev["dichtbij"].iloc[0])


def test_lower_bound_sums_are_unknown_only_when_the_unknown_part_matters():
    raw = toy_criteria()
    raw["hard"].append({"id": "parkeren", "label": "Parkeren", "measure": "parking_400m",
                        "op": ">=", "value": 20, "on_unknown": "check"})
    table = _table(parking_400m=[25.0, 5.0, 5.0]).assign(parking_400m__unknown=[2, 2, 0])
    ev = criteria.evaluate(criteria.parse(raw), table, _codes(table))
    # 25 known already meets 20; 5 known + 2 unknown car parks might; 5 with none unknown fails
    assert ev["parkeren"].tolist() == [PASS, UNKNOWN, FAIL]


def test_per_gemeente_override_of_value_and_weight():
    raw = toy_criteria()
    raw["overrides"] = {"Beestad": {"afstand_werk": {"value": 12}, "dichtbij": {"weight": 3}}}
    crit = criteria.parse(raw)
    table = _table(dist_work_m=[13_000.0, 13_000.0], owner=["particulier", "particulier"])
    codes = pd.Series(["GM0001", "GM0002"], index=table.index)
    ev = criteria.evaluate(crit, table, codes, META)
    assert ev["afstand_werk"].tolist() == [PASS, FAIL]
    # dichtbij = 1 - 13/20 = 0.35; eigendom 0. Aadorp: (0.35 + 0) / 2, Beestad: 3 * 0.35 / 4
    assert ev["score"].tolist() == pytest.approx([17.5, 26.25])


def test_override_of_unknown_gemeente_is_an_error():
    raw = toy_criteria()
    raw["overrides"] = {"Cestad": {"afstand_werk": {"value": 12}}}
    table = _table(dist_work_m=[1.0])
    with pytest.raises(CriteriaError, match=r"overrides: .*no gemeente 'Cestad'; known: Aadorp"):
        criteria.evaluate(criteria.parse(raw), table, _codes(table), META)


def test_soft_scores_linear_and_categories():
    table = _table(dist_work_m=[0.0, 5_000.0, 30_000.0], owner=["gemeente", "particulier", "Rijk"])
    ev = criteria.evaluate(criteria.parse(toy_criteria()), table, _codes(table))
    assert ev["dichtbij"].tolist() == [1.0, 0.75, 0.0]
    assert ev["eigendom"].tolist() == [1.0, 0.0, 0.0]  # a class without a score gets 0
    assert ev["score"].tolist() == pytest.approx([100.0, 37.5, 0.0])


@pytest.mark.parametrize(("op", "value", "good", "bad"), [
    ("<", 10, 9, 10), ("<=", 10, 10, 11), (">", 10, 11, 10), (">=", 10, 10, 9),
    ("==", 10, 10, 9), ("!=", 10, 9, 10), ("between", [5, 10], 10, 11),
    ("in", [1, 2], 2, 3), ("not_in", [1, 2], 3, 2),
])
def test_every_operator(op, value, good, bad):
    raw = toy_criteria()
    raw["hard"] = [{"id": "x", "label": "X", "measure": "core_share", "op": op, "value": value}]
    table = _table(core_share=[float(good), float(bad)])
    ev = criteria.evaluate(criteria.parse(raw), table, _codes(table))
    assert ev["x"].tolist() == [PASS, FAIL]


@pytest.mark.parametrize(("change", "message"), [
    ({"measure": "dist_work"}, "bad.yaml: criterion 'afstand_werk': unknown measure 'dist_work';"
                               " known measures: core_share, dist_work_m, owner"),
    ({"value": "ver"}, "hard[afstand_werk]: operator '<=' needs numbers, got 'ver'"),
    ({"op": "between", "value": [20, 10]}, "impossible range: low 20.0 is above high 10.0"),
    ({"op": "in", "value": 3}, "operator 'in' needs a list"),
    ({"op": "~"}, "hard[afstand_werk].op: Input should be '<', '<='"),
    ({"unit": "ha"}, "unit 'ha' does not fit measure 'dist_work_m' in 'm'"),
    ({"on_unknown": "maybe"}, "on_unknown: Input should be 'fail' or 'check'"),
    ({"colour": "red"}, "hard[afstand_werk].colour: Extra inputs are not permitted"),
])
def test_validation_errors_name_file_criterion_and_problem(tmp_path, change, message):
    raw = toy_criteria()
    raw["hard"][0] |= change
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(raw))
    with pytest.raises(CriteriaError, match=r"criteria file .*bad\.yaml: ") as err:
        criteria.load(path)
    assert message in str(err.value)


def test_other_validation_errors():
    raw = toy_criteria()
    raw["soft"][0]["best"] = 20
    with pytest.raises(CriteriaError, match=r"'best' and 'worst' are both 20\.0; they must differ"):
        criteria.parse(raw)
    raw = toy_criteria()
    raw["soft"].append(raw["soft"][0])
    with pytest.raises(CriteriaError, match="criterion ids used twice: dichtbij"):
        criteria.parse(raw)
    raw = toy_criteria()
    raw["hard"][2]["op"] = ">="
    raw["hard"][2]["value"] = 3
    with pytest.raises(CriteriaError, match="gives a class, not a number; use in/not_in"):
        criteria.parse(raw)
    raw = toy_criteria()
    raw["overrides"] = {"Aadorp": {"nope": {"value": 1}, "dichtbij": {"value": 3}}}
    with pytest.raises(CriteriaError) as err:
        criteria.parse(raw)
    assert "override for gemeente 'Aadorp', criterion 'nope': no such criterion" in str(err.value)
    assert "a soft criterion takes 'weight', 'best' or 'worst', not 'value'" in str(err.value)


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(CriteriaError, match="not found"):
        criteria.load(tmp_path / "none.yaml")
    (tmp_path / "bad.yaml").write_text("name: [unclosed")
    with pytest.raises(CriteriaError, match=r"bad\.yaml: not valid YAML"):
        criteria.load(tmp_path / "bad.yaml")


def test_with_value_and_weight_return_changed_copies():
    crit = criteria.parse(toy_criteria())
    tighter = crit.with_value("afstand_werk", 12)
    assert tighter.criterion("afstand_werk").value == 12
    assert crit.criterion("afstand_werk").value == 15
    assert tighter.digest() != crit.digest()
    assert crit.with_weight("dichtbij", 4).criterion("dichtbij").weight == 4
    with pytest.raises(CriteriaError, match="'dichtbij' is not a HardCriterion"):
        crit.with_value("dichtbij", 3)
    with pytest.raises(CriteriaError, match="needs a list"):
        crit.with_value("bestemming", "Wonen")


def test_evaluate_names_missing_measures():
    table = _table(dist_work_m=[1.0]).drop(columns=["zoning"])
    with pytest.raises(CriteriaError, match="measures table lacks zoning"):
        criteria.evaluate(criteria.parse(toy_criteria()), table, _codes(table))


@pytest.mark.parametrize(("change", "message"), [
    ({"measures": {"d": {"kind": "teleport", "layer": "w"}},
      "hard": [{"id": "a", "label": "A", "measure": "d", "op": "<=", "value": 1}]},
     "measure 'd': unknown kind 'teleport'; known kinds: distance_to"),
    ({"measures": {}, "hard": [], "soft": []}, "no criteria: add at least one"),
])
def test_criteria_that_cannot_be_meant_are_one_clear_error(change, message):
    raw = {"name": "t", "version": 1} | change
    with pytest.raises(CriteriaError, match=message):
        criteria.parse(raw)


def test_a_label_that_states_the_threshold_follows_it(tmp_path):
    gmr = criteria.load(ROOT / "criteria/gmr-tijdelijke-werknemers.yaml")
    strict = gmr.with_value("afstand_werk", 12)
    assert strict.criterion("afstand_werk").label == "Binnen 12 km van een werklocatie"
    assert criteria.differences(gmr, strict) == [
        "Binnen 15 km van een werklocatie: drempel 15 km → 12 km"]
    saved = criteria.save_as_new(strict, tmp_path, name="twaalf", author="Anna", base=gmr)
    assert "label: Binnen 12 km van een werklocatie" in saved.read_text(encoding="utf-8")
