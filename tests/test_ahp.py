"""AHP against published worked examples, group aggregation, and a criteria file from it."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import yaml
from _criteria import toy_criteria

from locscan import ahp, criteria
from locscan.errors import CriteriaError

# Saaty, T.L. (2008), 'Decision making with the analytic hierarchy process', Int. J. Services
# Sciences 1(1), 83-98: which drink is consumed more in the U.S.? Published priorities and CR.
DRINKS = ["coffee", "wine", "tea", "beer", "sodas", "milk", "water"]
DRINKS_MATRIX = [[1, 9, 5, 2, 1, 1, 1 / 2], [1 / 9, 1, 1 / 3, 1 / 9, 1 / 9, 1 / 9, 1 / 9],
                 [1 / 5, 3, 1, 1 / 3, 1 / 4, 1 / 3, 1 / 9], [1 / 2, 9, 3, 1, 1 / 2, 1, 1 / 3],
                 [1, 9, 4, 2, 1, 2, 1 / 2], [1, 9, 3, 1, 1 / 2, 1, 1 / 3], [2, 9, 9, 3, 2, 3, 1]]

# Wikipedia, 'Analytic hierarchy process – leader example': the criteria.
LEADER = {("Experience", "Education"): 4, ("Experience", "Charisma"): 3,
          ("Experience", "Age"): 7, ("Education", "Charisma"): 1 / 3,
          ("Education", "Age"): 3, ("Charisma", "Age"): 5}


def test_saatys_drinks_example():
    w, cr = ahp.priorities(np.array(DRINKS_MATRIX))
    assert dict(zip(DRINKS, np.round(w, 3).tolist(), strict=True)) == {
        "coffee": 0.177, "wine": 0.019, "tea": 0.042, "beer": 0.116, "sodas": 0.190,
        "milk": 0.129, "water": 0.327}
    assert round(cr, 3) == 0.022


def test_the_leader_example_from_a_judgements_file(tmp_path):
    path = tmp_path / "leider.yaml"
    path.write_text(yaml.safe_dump({
        "criteria": ["Experience", "Education", "Charisma", "Age"],
        "parties": {"jury": [[a, b, "1/3" if v == 1 / 3 else v] for (a, b), v in LEADER.items()]},
    }))
    result = ahp.weigh(ahp.load(path))
    jury = result.parties.loc["jury"]
    assert {c: round(jury[c], 3) for c in result.criteria} == {
        "Experience": 0.548, "Education": 0.127, "Charisma": 0.270, "Age": 0.056}
    assert round(jury["CR"], 3) == 0.044
    assert bool(jury["consistent"])


def test_parties_are_combined_by_the_geometric_mean_of_their_judgements():
    # Anna: a is 4 × b; Bram: equal. The group says 2 (√(4·1)): weights 2/3 and 1/3.
    j = ahp.Judgements(criteria=["a", "b"], parties={"Anna": [("a", "b", 4)],
                                                    "Bram": [("a", "b", 1)]})
    result = ahp.weigh(j)
    assert result.group_matrix.tolist() == [[1.0, 2.0], [0.5, 1.0]]
    assert result.weights == {"a": 0.667, "b": 0.333}
    assert result.parties.loc["Anna", "a"] == pytest.approx(0.8)


def test_an_inconsistent_party_is_flagged():
    # a > b (9), b > c (9) but c > a (9): circular
    j = ahp.Judgements(criteria=["a", "b", "c"], parties={
        "x": [("a", "b", 9), ("b", "c", 9), ("c", "a", 9)]})
    row = ahp.weigh(j).parties.loc["x"]
    assert row["CR"] > 0.10
    assert not row["consistent"]


@pytest.mark.parametrize(("parties", "message"), [
    ({"Duiven": [["a", "b", 3]]}, "Duiven: pairs not judged: a – c; b – c"),
    ({"Duiven": [["a", "b", 3], ["b", "a", 2], ["a", "c", 1], ["b", "c", 1]]},
     "Duiven: pairs judged twice: a – b"),
    ({"Duiven": [["a", "b", 12], ["a", "c", 1], ["b", "c", 1]]}, "outside Saaty's scale"),
    ({"Duiven": [["a", "x", 2], ["a", "c", 1], ["b", "c", 1], ["a", "b", 1]]},
     "Duiven: unknown criteria x"),
])
def test_bad_judgements_name_the_party_and_the_pairs(tmp_path, parties, message):
    path = tmp_path / "oordelen.yaml"
    path.write_text(yaml.safe_dump({"criteria": ["a", "b", "c"], "parties": parties}))
    with pytest.raises(CriteriaError, match=f"oordelen.yaml: .*{message}"):
        ahp.load(path)


def test_the_weights_go_into_a_new_criteria_file_that_keeps_the_matrix(tmp_path):
    base = criteria.parse(toy_criteria())
    soft = [c.id for c in base.soft]
    pairs = [(a, b, 3.0) for a, b in itertools.combinations(soft, 2)]
    result = ahp.weigh(ahp.Judgements(criteria=soft, parties={"werkgroep": pairs}))
    path = criteria.save_as_new(ahp.apply(base, result), tmp_path, name="ahp", author="Anna",
                                base=base)
    again = criteria.load(path)
    assert {c.id: c.weight for c in again.soft} == result.weights == {soft[0]: 0.75,
                                                                      soft[1]: 0.25}
    assert again.ahp.matrix == [[1.0, 3.0], [0.3333, 1.0]]
    assert again.ahp.parties == {"werkgroep": 0.0}


def test_ahp_weights_only_for_soft_criteria_of_the_set():
    base = criteria.parse(toy_criteria())
    result = ahp.weigh(ahp.Judgements(criteria=["x", "y"], parties={"p": [("x", "y", 2)]}))
    with pytest.raises(CriteriaError, match="x, y are not soft criteria of 'toy'"):
        ahp.apply(base, result)
