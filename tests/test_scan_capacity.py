"""The Scan's capacity questions: reach, the task, plans and the working group's figures."""

from __future__ import annotations

import pytest
import yaml
from _criteria import toy_criteria
from _scan import CAPACITY, NORMS, toy_crit, toy_scan
from _toy import REGION, write_region

from locscan import criteria
from locscan.errors import RegionError
from locscan.region import Region
from locscan.scan import Scan
from locscan.shortlist import Shortlist


@pytest.fixture
def scan(tmp_path):
    return toy_scan(tmp_path / "toy")



def test_reach_comes_from_the_work_sites_role_whatever_the_layer_is_called(tmp_path):
    folder = write_region(tmp_path / "toy", region=REGION | {"norms": NORMS})
    catalogue = yaml.safe_load((folder / "layers.yaml").read_text())
    entry = catalogue["layers"].pop("work_sites")
    catalogue["layers"]["werklocaties"] = entry | {"role": "work_sites"}
    (folder / "layers.yaml").write_text(yaml.safe_dump(catalogue))
    raw = toy_criteria() | {"capacity": CAPACITY}
    raw["measures"]["dist_work_m"]["layer"] = "werklocaties"
    raw["hard"][0]["value"] = 12  # km: not the region's 15 km
    scan = Scan(Region(folder), criteria.parse(raw), cache=False)
    assert scan.reach_m() == 12_000
    assert scan.assumptions().reach_m == 12_000
    assert scan.analysis().demand["demand"].tolist() == [90.0]  # 120 workers × 75%


def test_a_region_without_work_sites_says_what_capacity_needs(tmp_path):
    folder = write_region(tmp_path / "toy", region=REGION | {"norms": NORMS})
    catalogue = yaml.safe_load((folder / "layers.yaml").read_text())
    del catalogue["layers"]["work_sites"]
    (folder / "layers.yaml").write_text(yaml.safe_dump(catalogue))
    raw = toy_criteria() | {"capacity": CAPACITY}
    raw["measures"]["dist_work_m"]["if_missing"] = "unknown"
    with pytest.warns(UserWarning, match="no layer 'work_sites'"):
        scan = Scan(Region(folder), criteria.parse(raw), cache=False)
    with pytest.raises(RegionError, match="no layer with role 'work_sites'; capacity and the "
                                          "task need it"):
        scan.analysis()


def test_a_suggestion_is_accepted_once_into_the_shortlist(scan):
    # 90 temporary workers at W1; p4 (6.96 km away) holds 200 and needs 200 × 0.25 = 50
    # parking places: the 50 within 400 m suffice. p1 (parking unknown) and p5 (none) are left
    # out of the plan. One site, p4, houses them all.
    crit = toy_crit(capacity=CAPACITY | {"parking_per_resident": 0.25})
    plan = scan.suggest(crit, subregio="Noord")
    assert plan.sites.index.tolist() == ["perceel:p4"]
    assert plan.sites["planned"].tolist() == [90.0]
    assert plan.left_out.to_dict() == {"perceel:p1": "parking", "perceel:p5": "parking"}
    assert scan.suggest(crit, subregio="noord") is plan  # memoised by its inputs
    store = Shortlist("sqlite://", "toy")
    assert scan.accept(plan, store, user="Anna") == 1
    assert scan.accept(plan, store, user="Bram") == 0  # already there: kept as Anna put it
    items = store.items()
    assert items.index.tolist() == ["perceel:p4"]
    assert items["capacity"].tolist() == [90]
    assert items["updated_by"].tolist() == ["Anna"]  # the second accept changed nothing


def test_a_plan_leaves_out_sites_whose_parking_does_not_suffice(scan):
    # at 0.3 places per resident p4 needs 60 and has 50: no site is left, all 90 are short
    plan = scan.suggest(subregio="Noord")
    assert plan.sites.empty
    assert plan.total_shortage == pytest.approx(90)
    assert sorted(plan.left_out.index) == ["perceel:p1", "perceel:p4", "perceel:p5"]


def test_the_working_groups_capacity_replaces_the_computed_one(scan):
    store = Shortlist("sqlite://", "toy")
    scan.add_to_shortlist(store, "perceel:p4", user="Anna")
    store.update("perceel:p4", user="Anna", expected_version=1, capacity=30)
    sites = scan.analysis(shortlist=store.items()).shortlist_sites
    assert sites.loc["perceel:p4", "capacity"] == 30
    assert sites.loc["perceel:p4", "capacity_source"] == "working group"


def test_the_capacity_of_chosen_gemeenten_equals_the_whole_regions_for_them(small_demo):
    """A province of a national scan: its work sites, every site within their reach, the same
    figures as the whole region's analysis for them; the task of whole subregios only."""
    from _toy import ROOT

    scan = Scan.open(small_demo, ROOT / "criteria/gmr-tijdelijke-werknemers.yaml")
    whole = scan.analysis()
    liemers = scan.meta.codes("Liemers")
    part = scan.analysis(gemeenten=liemers)
    assert set(part.demand["gemeente_code"]) == set(liemers)
    inside = whole.demand[whole.demand["gemeente_code"].isin(liemers)]
    assert part.demand["capacity_in_reach"].sort_index().tolist() == inside[
        "capacity_in_reach"].sort_index().tolist()
    assert part.demand["capacity_in_reach"].sum() > 0
    # the sites of the gemeenten within 15 km of the Liemers, in the demo's schematic
    # gemeenten: Mook en Middelaar 11.5 km away, not Wijchen at 15.3 km
    near = set(part.longlist_sites["gemeente_code"])
    assert {"GM0299", "GM0202", "GM0944"} <= near
    assert "GM0296" not in near
    assert part.coverage_subregio.index.tolist() == ["Liemers"]
    assert part.coverage_subregio.loc["Liemers"].equals(whole.coverage_subregio.loc["Liemers"])
    assert part.coverage_gemeente.equals(whole.coverage_gemeente.loc[
        part.coverage_gemeente.index])
    one = scan.analysis(gemeenten=["GM0299"])
    assert one.coverage_subregio.empty  # part of a subregio
    assert one.task_check.empty
    plan = scan.assign(gemeenten=liemers)
    assert set(plan.by_gemeente.index) <= set(liemers)
