"""Smoke test of the benchmark: at the smallest size the four engines must agree."""

from __future__ import annotations

import glob
import os
import subprocess
import sys

import pytest
from _toy import ROOT

HAS_POSTGIS = bool(glob.glob("/usr/share/postgresql/*/extension/postgis.control"))


def test_locscan_geopandas_postgis_and_duckdb_agree_at_the_smallest_size():
    engines = ["geopandas", "duckdb"]
    if HAS_POSTGIS:
        engines.append("postgis")
    elif os.environ.get("CI"):
        pytest.fail("PostGIS is missing; .ci/run should have installed it")
    proc = subprocess.run(
        [sys.executable, "benchmarks/run.py", "--sizes", "3000", "--quick", "--engines",
         *engines],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "DISAGREE" not in proc.stdout
    for engine in ["locscan-cold", "locscan-cached", *engines]:
        assert f" {engine} " in proc.stdout
