from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from _toy import ROOT
from shapely import Point, box

from locscan import capacity
from locscan.errors import LocscanError
from locscan.region import load_meta
from locscan.scan import Scan

GMR = load_meta(ROOT / "data/gmr/region.yaml")
#: the assumptions of the GMR criteria set that these tests lean on (stated here, by hand)
OWN = {"built_share": 0.4, "storeys": 2, "max_per_location": 200,
       "parking_measure": "parking_places_400m", "parking_per_resident": 0.3}


def Assumptions(**changes) -> capacity.Assumptions:  # noqa: N802 - stands in for the class
    return capacity.resolve(capacity.Assumptions(**OWN | changes), GMR)


def test_a_3000_m2_site_at_the_default_assumptions():
    a = Assumptions()
    # 3,000 m² × 40% built × 2 storeys = 2,400 m² living area; / 15 m² (Roemernorm) = 160
    assert capacity.site_capacity(pd.Series([3000.0]), a).tolist() == [160]


def test_cap_per_location_and_the_manager_flag():
    a = Assumptions(max_per_location=120)
    sites = gpd.GeoDataFrame({"area_m2": [1875.0, 1890.0, 50_000.0]},
                             geometry=[box(0, 0, 1, 1)] * 3, crs=28992)
    table = capacity.sites_table(sites, pd.DataFrame(index=sites.index), a)
    assert table["capacity"].tolist() == [100, 100, 120]  # 1,890 m² gives 100.8: rounded down
    assert table["needs_manager"].tolist() == [False, False, True]  # more than 100 residents


def test_parking_check_is_unknown_when_the_source_misses_capacities():
    a = Assumptions(parking_per_resident=0.5)
    sites = gpd.GeoDataFrame({"area_m2": [187.5] * 4}, geometry=[box(0, 0, 1, 1)] * 4,
                             crs=28992)  # 187.5 × 0.4 × 2 / 15 = 10 workers: 5 places needed
    measured = pd.DataFrame({"parking_places_400m": [5.0, 4.0, 4.0, None],
                             "parking_places_400m__unknown": [0, 0, 2, 0]})
    table = capacity.sites_table(sites, measured, a)
    assert table["parking"].tolist() == ["voldoende", "onvoldoende", "onbekend", "onbekend"]


def test_task_per_subregio_matches_the_policy_table():
    task = capacity.task_table(GMR, Assumptions())
    assert task["workers_2020"].to_dict() == {"Arnhem": 11940, "Liemers": 8310,
                                              "Rijk van Nijmegen": 8995}
    assert task["workers_2020"].sum() == 29245
    assert task["task_2020"].sum() == pytest.approx(0.75 * 29245)
    # growth 15,000 to 25,000 shared pro rata
    assert task["task_2030_low"].sum() == pytest.approx(0.75 * (29245 + 15000))
    assert task["task_2030_high"].sum() == pytest.approx(0.75 * (29245 + 25000))


def _work(demands):
    return gpd.GeoDataFrame(
        {"demand": demands, "gemeente_code": ["A", "B"], "subregio": ["S", "S"]},
        geometry=[Point(0, 0), Point(10_000, 0)], crs=28992,
        index=pd.Index(["W1", "W2"]),
    )


def _sites(caps):
    # S1 1 km from W1; S2 5 km from both; S3 1 km from W2 (distances to the square's edge)
    return gpd.GeoDataFrame(
        {"capacity": caps, "gemeente_code": ["A", "A", "B"], "subregio": ["S"] * 3},
        geometry=[box(1000, -5, 1010, 5), box(5000, -5, 5010, 5), box(8990, -5, 9000, 5)],
        crs=28992, index=pd.Index(["S1", "S2", "S3"]),
    )


def test_assignment_with_an_optimum_known_by_hand():
    a = Assumptions(reach_m=15_000)
    plan = capacity.assign(_work([10.0, 10.0]), _sites([10, 10, 5]), a)
    flows = plan.flows.set_index(["work_site", "site"])["workers"].round(6).to_dict()
    # W1 -> S1 (10 × 1 km); W2 -> S3 (5 × 1 km) and S2 (5 × 4.99 km): 39,950 worker-metres
    assert flows == {("W1", "S1"): 10.0, ("W2", "S2"): 5.0, ("W2", "S3"): 5.0}
    assert plan.total_shortage == 0
    assert (plan.flows["workers"] * plan.flows["distance_m"]).sum() == pytest.approx(
        10 * 1000 + 5 * 4990 + 5 * 1000)
    # W1 lives in A (its gemeente); W2's five in S3 (B) at home, five in S2 (A): elsewhere
    assert plan.split["aandeel"].round(3).tolist() == [0.75, 0.25, 0.0]


def test_an_infeasible_task_reports_the_shortfall():
    a = Assumptions(reach_m=15_000)
    plan = capacity.assign(_work([10.0, 20.0]), _sites([10, 10, 5]), a)
    assert plan.total_shortage == pytest.approx(5.0)
    out_of_reach = Assumptions(reach_m=500)
    plan = capacity.assign(_work([10.0, 20.0]), _sites([10, 10, 5]), out_of_reach)
    assert plan.shortage.to_dict() == {"W1": 10.0, "W2": 20.0}


def test_suggestion_chooses_sites_respecting_spacing_and_gemeente_limits():
    work = _work([10.0, 10.0])
    sites = pd.concat([_sites([10, 10, 5]), gpd.GeoDataFrame(
        {"capacity": [5], "gemeente_code": ["B"], "subregio": ["S"]},
        geometry=[box(9100, -5, 9110, 5)], crs=28992, index=pd.Index(["S4"]))])
    free = capacity.suggest(work, sites, Assumptions(reach_m=15_000))
    assert sorted(free.sites.index) == ["S1", "S3", "S4"]  # W2: 5 in S4, 5 in S3, none in S2
    assert free.total_shortage == 0
    spaced = capacity.suggest(work, sites, Assumptions(reach_m=15_000, min_spacing_m=500))
    assert sorted(spaced.sites.index) == ["S1", "S2", "S4"]  # S3, S4 100 m apart: the nearer
    assert spaced.total_shortage == 0
    limited = capacity.suggest(work, sites, Assumptions(reach_m=15_000,
                                                        max_sites_per_gemeente=1))
    assert limited.sites["gemeente_code"].value_counts().max() == 1


def test_the_split_norm_is_the_regions_and_a_criteria_set_may_set_its_own():
    plan = capacity.assign(_work([10.0, 10.0]), _sites([10, 10, 5]), Assumptions())
    assert plan.split["norm"].tolist() == ["≥ 80%", "≤ 10%", "≤ 10%"]  # region.yaml: 80/10/10
    assert plan.split["voldoet"].tolist() == [False, False, True]  # 75% / 25% / 0%
    own = Assumptions(min_share_own_gemeente=0.7, max_share_elsewhere_in_subregio=0.3)
    plan = capacity.assign(_work([10.0, 10.0]), _sites([10, 10, 5]), own)
    assert plan.split["norm"].tolist() == ["≥ 70%", "≤ 30%", "≤ 10%"]
    assert plan.split["voldoet"].all()


def test_policy_numbers_have_no_fallback_in_code():
    bare = GMR.model_copy(update={"norms": None})
    with pytest.raises(LocscanError, match=r"region metadata .*region\.yaml: no 'norms' "
                                           "section; capacity and the suggested plan need "
                                           "temporary_share, max_distance_to_work_m"):
        capacity.resolve(capacity.Assumptions(**OWN), bare)
    # every number the criteria set fills itself, the region's norms are not needed
    numbers = {"m2_per_worker": 15, "manager_above": 100, "reach_m": 12_000,
               "temporary_share": 0.5, "min_share_own_gemeente": 0.8,
               "max_share_elsewhere_in_subregio": 0.1, "max_share_elsewhere": 0.1}
    assert capacity.resolve(capacity.Assumptions(**OWN | numbers), bare).reach_m == 12_000
    with pytest.raises(LocscanError, match="no 'capacity:' section; capacity and the suggested "
                                           "plan need its assumptions built_share, storeys"):
        capacity.assumptions_of(None, GMR, None)
    with pytest.raises(LocscanError, match=r"capacity\.built_share: Field required"):
        capacity.assumptions_of({k: v for k, v in OWN.items() if k != "built_share"}, GMR,
                                None)


def test_capacity_assumptions_are_validated_with_their_key():
    with pytest.raises(LocscanError, match=r"capacity\.storeys: Input should be greater than 0"):
        capacity.assumptions_of(OWN | {"storeys": 0}, GMR, None)
    with pytest.raises(LocscanError, match=r"capacity\.floors: Extra inputs are not permitted"):
        capacity.assumptions_of(OWN | {"floors": 2}, GMR, None)


def test_region_analysis_on_the_demo(small_demo):
    scan = Scan.open(small_demo, ROOT / "criteria/gmr-tijdelijke-werknemers.yaml")
    region = scan.region
    analysis = scan.analysis()
    assert analysis.assumptions.reach_m == 15_000
    assert analysis.assumptions.site_cost_km == 5  # from the criteria file
    demand = analysis.demand
    assert demand.groupby("subregio")["demand"].sum().round(2).to_dict() == {
        name: 0.75 * t.total_working for name, t in region.meta.subregios.items()}
    assert analysis.coverage_subregio["capacity_longlist"].sum() == (
        analysis.longlist_sites["capacity"].sum())
    liemers_demand, liemers_sites = analysis.for_subregio("Liemers")
    plan = capacity.suggest(liemers_demand, liemers_sites, analysis.assumptions)
    planned = plan.sites["planned"].sum()
    assert planned + plan.total_shortage == pytest.approx(liemers_demand["demand"].sum())
    assert (plan.sites["planned"] <= plan.sites["capacity"] + 1e-6).all()
