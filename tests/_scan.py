"""Shared by the tests of the Scan and its capacity questions: the toy region's scan."""

from __future__ import annotations

from pathlib import Path

from _criteria import toy_criteria
from _toy import REGION, write_region

from locscan import criteria
from locscan.criteria import Criteria
from locscan.region import Region
from locscan.scan import Scan

NORMS = {"temporary_share": 0.75, "max_distance_to_work_m": 15000, "m2_per_worker": 15,
         "manager_above_residents": 100, "bedroom_m2_per_worker": 5.5,
         "live_in_work_municipality_min": 0.8,
         "live_elsewhere_in_subregio_max": 0.1, "live_elsewhere_max": 0.1}
CAPACITY = {"built_share": 0.4, "storeys": 2, "max_per_location": 200,
            "parking_measure": "parking_400m", "parking_per_resident": 0.3}


def toy_crit(**changes) -> Criteria:
    """The toy criteria with capacity assumptions, and `changes` to its top-level keys."""
    return criteria.parse(toy_criteria() | {"capacity": CAPACITY} | changes)


def toy_scan(folder: Path) -> Scan:
    """The toy region (with norms) written into `folder` and scanned, without the cache."""
    return Scan(Region(write_region(folder, region=REGION | {"norms": NORMS})), toy_crit(),
                cache=False)
