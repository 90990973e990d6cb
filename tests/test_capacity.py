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


def test_too_many_pairs_keep_each_work_sites_nearest_sites():
    """Every site is in reach of both work sites (6 pairs); at most 4 keeps the 2 nearest of
    each: W1 S1 and S2, W2 S3 and S2. W1 needs 25: S3 (at 8 km) is no longer its."""
    a = Assumptions(reach_m=15_000)
    free = capacity.assign(_work([25.0, 5.0]), _sites([10, 10, 10]), a, keep_norms=False)
    assert free.total_shortage == 0
    capped = capacity.assign(_work([25.0, 5.0]), _sites([10, 10, 10]), a, keep_norms=False,
                             max_pairs=4)
    assert set(capped.flows[["work_site", "site"]].itertuples(index=False, name=None)) <= {
        ("W1", "S1"), ("W1", "S2"), ("W2", "S2"), ("W2", "S3")}
    assert capped.total_shortage == pytest.approx(5.0)  # W1 gets S1 and S2: 20 of 25


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
    sites = analysis.longlist_sites
    kept = capacity.counted(sites)
    assert (~kept).sum() > 0  # the demo has parcels inside business parks on the longlist
    assert analysis.coverage_subregio["capacity_longlist"].sum() == (
        sites.loc[kept, "capacity"].sum())
    liemers_demand, liemers_sites = analysis.for_subregio("Liemers")
    plan = capacity.suggest(liemers_demand, liemers_sites, analysis.assumptions)
    planned = plan.sites["planned"].sum()
    assert planned + plan.total_shortage == pytest.approx(liemers_demand["demand"].sum())
    assert (plan.sites["planned"] <= plan.sites["capacity"] + 1e-6).all()


# --- the region's norm (80/10/10) in the plan, by hand ------------------------------------------
# One work site in gemeente A with 100 temporary workers; site SA in A lies 5 km away, site SB
# in B (same subregio) 1 km away. Without the norm everyone would go to SB, the nearer one.

def _norm_case(cap_a: float, cap_b: float = 100):
    work = gpd.GeoDataFrame({"demand": [100.0], "gemeente_code": ["A"], "subregio": ["S"]},
                            index=pd.Index(["W"]), geometry=[Point(0, 0)], crs=28992)
    sites = gpd.GeoDataFrame(
        {"capacity": [cap_a, cap_b], "gemeente_code": ["A", "B"], "subregio": ["S", "S"]},
        index=pd.Index(["SA", "SB"]),
        geometry=[box(5_000, 0, 5_010, 10), box(1_000, 0, 1_010, 10)], crs=28992)
    return work, sites


def test_the_plan_keeps_80_percent_in_the_work_gemeente_when_the_sites_allow_it():
    work, sites = _norm_case(cap_a=90)
    plan = capacity.assign(work, sites, Assumptions(reach_m=15_000))
    # own >= 80 and elsewhere <= 10 of 100 housed: SA 90, SB 10
    assert plan.sites["planned"].to_dict() == {"SA": 90.0, "SB": 10.0}
    row = plan.by_gemeente.loc["A"]
    assert (row["own"], row["subregio"], row["binding"]) == (0.9, 0.1, "")
    assert plan.meets_norms


def test_where_80_percent_is_out_of_reach_the_plan_says_which_norm_binds_and_houses_everyone():
    work, sites = _norm_case(cap_a=70)
    plan = capacity.assign(work, sites, Assumptions(reach_m=15_000))
    assert plan.total_shortage == 0  # housing everyone comes before the norm
    assert plan.sites["planned"].to_dict() == {"SA": 70.0, "SB": 30.0}  # the best split
    assert plan.by_gemeente.loc["A", "binding"] == "own subregio"
    assert not plan.meets_norms


def test_without_the_norm_the_nearest_site_takes_everyone():
    work, sites = _norm_case(cap_a=90)
    plan = capacity.assign(work, sites, Assumptions(reach_m=15_000), keep_norms=False)
    assert plan.sites["planned"].to_dict() == {"SB": 100.0}


def test_a_park_and_a_parcel_inside_it_are_never_both_counted():
    work = gpd.GeoDataFrame({"demand": [120.0], "gemeente_code": ["A"], "subregio": ["S"]},
                            index=pd.Index(["W"]), geometry=[Point(0, 0)], crs=28992)
    sites = gpd.GeoDataFrame(
        {"capacity": [100, 50], "gemeente_code": ["A", "A"], "subregio": ["S", "S"]},
        index=pd.Index(["park", "parcel"]),
        geometry=[box(1_000, 0, 1_400, 400), box(1_100, 100, 1_200, 200)], crs=28992)
    a = Assumptions(reach_m=15_000)
    chosen = capacity.suggest(work, sites, a)
    assert chosen.sites.index.tolist() == ["park"]
    assert chosen.total_shortage == pytest.approx(20)
    assigned = capacity.assign(work, sites, a)  # both usable, one capacity between them
    assert assigned.sites["planned"].sum() == pytest.approx(100)
    assert capacity.reach_capacity(work, sites, 15_000).tolist() == [100.0]


def test_a_gemeentes_own_radius_keeps_its_sites_out_of_reach_beyond_it():
    work, sites = _norm_case(cap_a=90)
    sites["reach_m"] = [4_000.0, None]  # gemeente A takes sites up to 4 km: SA (5 km) is out
    plan = capacity.assign(work, sites, Assumptions(reach_m=15_000))
    assert plan.sites["planned"].to_dict() == {"SB": 100.0}
    assert plan.by_gemeente.loc["A", "binding"] == "own subregio"


def test_a_gemeentes_own_maximum_per_location():
    a = Assumptions(max_per_location=200, max_per_location_by_gemeente={"Zevenaar": 50})
    assert a.max_per_location_by_gemeente == {"GM0299": 50}
    area = pd.Series([10_000.0, 10_000.0])
    codes = pd.Series(["GM0299", "GM0226"])
    assert capacity.site_capacity(area, a, gemeente_code=codes).tolist() == [50, 200]


def test_the_task_table_and_the_work_sites_are_reconciled():
    task = pd.DataFrame({"task_2020": [100.0, 50.0]}, index=pd.Index(["A", "B"]))
    demand = pd.DataFrame({"subregio": ["A", "B"], "demand": [95.0, 80.0]})
    check = capacity.task_check(task, demand)
    assert check["difference"].round(2).tolist() == [-0.05, 0.6]
    assert check["differs"].tolist() == [False, True]
