from __future__ import annotations

import math

import pytest

from locscan import longlist


def test_status_rank_and_score(result):
    # p1 14.9 km ok; p2 15.1 km fails; p3 exactly half in the core fails "< 50%";
    # p4 60% Wonen ok; p5 without zoning plan is kept, to be checked
    assert result.status.to_dict() == {
        "perceel:p1": "voldoet", "perceel:p2": "valt af", "perceel:p3": "valt af",
        "perceel:p4": "voldoet", "perceel:p5": "te controleren",
    }
    # p1: (1 - 14.9/20 + 1 for gemeente) / 2; p4, p5: owner scores 0, so half of dichtbij
    score = result.evaluation["score"]
    assert score["perceel:p1"] == pytest.approx(62.75)
    assert score["perceel:p4"] == pytest.approx((1 - math.hypot(4_900, 4_950) / 20_000) * 50)
    assert score["perceel:p5"] == pytest.approx((1 - math.hypot(2_900, 7_950) / 20_000) * 50)
    assert result.rank.to_dict() == {"perceel:p1": 1, "perceel:p2": 0, "perceel:p3": 0,
                                     "perceel:p4": 2, "perceel:p5": 3}


def test_table_is_the_ranked_longlist_with_every_column(result):
    table = longlist.table(result)
    assert table.index.tolist() == ["perceel:p1", "perceel:p4", "perceel:p5"]
    assert table["c_bestemming"].tolist() == ["voldoet", "voldoet", "onbekend"]
    assert table.loc["perceel:p4", "zoning__share"] == pytest.approx(0.6)
    assert table.loc["perceel:p4", "dist_work_m__id"] == "W1"
    assert table.crs.to_epsg() == 28992
    everything = longlist.table(result, everything=True)
    assert len(everything) == 5
    assert set(everything.index[-2:]) == {"perceel:p2", "perceel:p3"}  # not ranked: last


def test_filters_by_subregio_and_gemeente(result):
    assert longlist.table(result, subregio="zuid", everything=True).index.tolist() == [
        "perceel:p2"]
    assert len(longlist.table(result, gemeente="GM0001")) == 3
    assert len(longlist.table(result, gemeente="Beestad")) == 0


def test_rule_says_which_gemeente_override_applied(result):
    table = longlist.table(result, everything=True)
    assert table.loc["perceel:p2", "rule"] == "gemeente Beestad: dichtbij"
    assert table.loc["perceel:p1", "rule"] == "regionaal"


def test_summary_counts_per_criterion_and_area(result):
    summary = longlist.summary(result)
    assert summary["criteria"].loc["Binnen 15 km van werk"].tolist() == [4, 1, 0]
    assert summary["criteria"].loc["Passende bestemming"].tolist() == [4, 0, 1]
    areas = summary["areas"]
    assert areas.loc[("Noord", "Aadorp")].tolist() == [4, 3, 1]
    assert areas.loc[("Zuid", "Beestad")].tolist() == [1, 0, 0]


def test_the_rank_is_within_the_gemeente_shown_with_the_regions_beside_it(result):
    # at 16 km p2 (15.1 km, in Beestad) passes too: in Beestad it is first, in the region not
    wider = longlist.build(result.criteria.with_value("afstand_werk", 16), result.candidates,
                           result.measures)
    beestad = longlist.table(wider, gemeente="GM0002")
    assert beestad.index.tolist() == ["perceel:p2"]
    assert beestad["rank"].tolist() == [1]
    assert beestad["rank_region"].tolist() == [int(wider.rank["perceel:p2"])]
    assert int(wider.rank["perceel:p2"]) > 1
    assert "rank_region" not in longlist.table(wider)


def test_texts_made_per_page_equal_the_whole_tables(result):
    full = longlist.table(result, everything=True)
    bare = longlist.table(result, everything=True, texts=False)
    assert "reasons" not in bare.columns
    assert "rule" not in bare.columns
    assert list(bare.index) == list(full.index)
    page = list(full.index[::-1][:3])  # some rows, in another order
    texts = longlist.texts(result, page)
    assert list(texts.index) == page
    assert texts.equals(full.loc[page, ["rule", "reasons"]])
    with pytest.raises(KeyError, match="nergens"):
        longlist.texts(result, ["perceel:nergens"])
    # looked up among a gemeente's longlist only: the same texts
    listed = longlist.table(result, gemeente="GM0001")
    some = list(listed.index[:2])
    among = longlist.texts(result, some, gemeente="GM0001", everything=False)
    assert among.equals(full.loc[some, ["rule", "reasons"]])
    elsewhere = full.index[full["gemeente_code"] != "GM0001"][0]
    with pytest.raises(KeyError):
        longlist.texts(result, [elsewhere], gemeente="GM0001", everything=False)


def test_a_gemeente_is_chosen_by_name_or_code_in_any_case(result):
    by_name = longlist.select(result, None, "aadorp")
    by_code = longlist.select(result, None, "gm0001")
    assert by_name.equals(by_code)
    assert by_name.any()
    assert not by_name.all()
    assert longlist.select(result, "NOORD", None).equals(by_name)  # Aadorp is all of Noord


def test_several_gemeenten_are_chosen_at_once_and_ranked_among_themselves(result):
    """An area (a province, say) is its gemeenten: by name or code, in any case."""
    both = longlist.select(result, None, ("AADORP", "gm0002"))
    assert both.all()
    assert longlist.select(result, None, ("GM0002",)).tolist() == longlist.select(
        result, None, "Beestad").tolist()
    assert longlist.select(result, "zuid", ("GM0001", "GM0002")).tolist() == longlist.select(
        result, None, "GM0002").tolist()
    wider = longlist.build(result.criteria.with_value("afstand_werk", 16), result.candidates,
                           result.measures)
    table = longlist.table(wider, gemeente=("GM0002", "GM0001"))
    assert len(table) == len(longlist.table(wider))
    assert table["rank"].tolist() == list(range(1, len(table) + 1))
    assert "rank_region" in table
    summary = longlist.summary(result, gemeente=("Beestad",))
    assert summary["areas"].index.tolist() == [("Zuid", "Beestad")]
