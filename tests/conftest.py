"""Shared fixtures; the hand-made layers themselves are in ``_toy.py``."""

from __future__ import annotations

from pathlib import Path

import pytest
from _toy import REALDATA, ROOT, write_region


@pytest.fixture
def toy_region(tmp_path: Path) -> Path:
    return write_region(tmp_path / "toy")


@pytest.fixture
def result(toy_region):
    """The toy criteria (with Beestad weighing 'dichtbij' 3) evaluated over the toy region."""
    from _criteria import toy_criteria

    from locscan import criteria, longlist, measures
    from locscan.region import Region

    raw = toy_criteria()
    raw["overrides"] = {"Beestad": {"dichtbij": {"weight": 3}}}
    crit = criteria.parse(raw)
    region = Region(toy_region)
    cands, table = measures.compute_for_region(region, crit.used_measures(), cache=False)
    return longlist.build(crit, cands, table, region.meta)


@pytest.fixture
def realdata() -> Path:
    if not REALDATA.is_dir():
        pytest.skip("../shared/realdata is absent")
    return REALDATA


@pytest.fixture(scope="session")
def small_demo(tmp_path_factory) -> Path:
    """A small demo region (2,000 parcels), built once per test session."""
    from locscan import demo

    return demo.build(tmp_path_factory.mktemp("demo") / "demo", source_region=ROOT / "data/gmr",
                      parcels=2_000, seed=7)


@pytest.fixture(scope="session")
def demo_measures(small_demo):
    """The GMR criteria and the small demo's candidates and measures, scanned whole."""
    from _parts import GMR, quiet

    from locscan import criteria, measures
    from locscan.region import Region

    crit = criteria.load(GMR)
    cands, table = quiet(measures.compute_for_region, Region(small_demo),
                         crit.used_measures(), cache=False)
    return crit, cands, table
