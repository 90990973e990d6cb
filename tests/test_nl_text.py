"""Dutch sentences from an evaluation of the toy region (see test_longlist for the numbers)."""

from __future__ import annotations

import pytest

from locscan.errors import CriteriaError
from locscan.nl import text


def test_reasons_give_numbers_in_dutch(result):
    why = text.reasons(result)
    assert why["perceel:p2"] == "Binnen 15 km van werk: 15,1 km (max. 15 km)"
    assert why["perceel:p3"] == "Buiten de kern: 50% (moet minder dan 50%)"
    assert why["perceel:p5"] == ("Passende bestemming: onbekend: geen waarde voor bestemming "
                                 "(te controleren)")
    assert why["perceel:p1"] == ""


def test_a_failing_value_never_reads_as_its_norm(result):
    # p2 lies 15,100 m from W1: against 15.099 km both would read "15,1 km"
    strict = result.criteria.with_value("afstand_werk", 15.099)
    from locscan import longlist

    again = longlist.build(strict, result.candidates, result.measures)
    assert text.reasons(again)["perceel:p2"] == (
        "Binnen 15,099 km van werk: 15,1 km (max. 15,099 km)")  # the label follows, exactly


def test_explain_every_criterion_for_a_failing_site(result):
    why = text.explain(result, "perceel:p2")
    assert why.index.tolist() == ["afstand_werk", "buiten_kern", "bestemming", "dichtbij",
                                  "eigendom"]
    row = why.loc["afstand_werk"]
    assert (row["meting"], row["norm"], row["uitkomst"]) == (
        "15,1 km", "max. 15 km", "voldoet niet")
    assert row["details"] == "id: W1"
    assert why.loc["dichtbij", "regel"] == "gemeente"
    assert why.loc["dichtbij", "gewicht"] == 3
    assert why.loc["eigendom", "uitkomst"] == "0 van 100"
    # the score's build-up, and that a failing site's score does not count
    assert why.loc["dichtbij", "toelichting"].startswith("draagt ")
    assert why.loc["dichtbij", "toelichting"].endswith(
        "(gewicht 3 van 4); telt niet: de locatie valt af")
    assert text.explain(result, "perceel:p5").loc["bestemming", "uitkomst"] == (
        "onbekend (te controleren)")


def test_explain_unknown_candidate_suggests_similar_ids(result):
    with pytest.raises(CriteriaError, match="geen locatie 'p4' in deze regio; lijkt op: "
                                            "perceel:p4"):
        text.explain(result, "p4")


def test_input_caption_names_the_relation_and_the_unit(result):
    assert text.input_caption(result.criteria, "afstand_werk") == "Binnen 15 km van werk (≤ … km)"
    assert text.input_caption(result.criteria, "buiten_kern") == "Buiten de kern (< … %)"
