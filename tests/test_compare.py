"""Scenarios side by side on the toy region (see test_longlist for its numbers)."""

from __future__ import annotations

import pytest
from _criteria import toy_criteria
from _toy import REGION, write_region

from locscan import criteria
from locscan.region import Region
from locscan.scan import Scan

NORMS = {"temporary_share": 0.75, "max_distance_to_work_m": 15000, "m2_per_worker": 15,
         "manager_above_residents": 100, "bedroom_m2_per_worker": 5.5,
         "live_in_work_municipality_min": 0.8,
         "live_elsewhere_in_subregio_max": 0.1, "live_elsewhere_max": 0.1}
CAPACITY = {"built_share": 0.4, "storeys": 2, "max_per_location": 200,
            "parking_measure": None, "parking_per_resident": 0.3}


@pytest.fixture
def scan(tmp_path):
    folder = write_region(tmp_path / "toy", region=REGION | {"norms": NORMS})
    crit = criteria.parse(toy_criteria() | {"capacity": CAPACITY})
    return Scan(Region(folder), crit, cache=False)


def test_a_stricter_distance_drops_the_far_site(scan):
    # p1 lies 14.9 km from its work site: on the longlist at 15 km, off it at 10 km
    strict = scan.criteria.with_value("afstand_werk", 10)
    result = scan.compare({"15 km": scan.criteria, "10 km": strict})
    assert result.names == ["15 km", "10 km"]
    assert result.areas.loc[("Noord", "Aadorp")].tolist() == [3, 2]
    changes = result.changes
    assert changes.index.tolist() == ["perceel:p1"]
    assert changes.loc["perceel:p1", "change"] == "leaves"
    assert changes.loc["perceel:p1", "reasons"] == "Binnen 10 km van werk: 14,9 km (max. 10 km)"
    # the task table: 3 workers × 75%; capacity 3 and 2 sites of 200
    assert result.capacity.loc["Noord"].tolist() == [2.25, 600, 400]


def test_the_same_set_twice_changes_nothing(scan):
    result = scan.compare({"a": scan.criteria, "b": scan.criteria})
    assert result.changes.empty
    assert (result.areas["a"] == result.areas["b"]).all()
