"""Exports checked with GDAL's own tools, as a GIS specialist would open them (Debian's GDAL).

`.ci/run` installs ``gdal-bin`` and ``python3-gdal``; locally the test is skipped without them
(never in CI).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely import box

from locscan import export

OGRINFO = shutil.which("ogrinfo")
VALIDATOR = next((p for p in (
    Path("/usr/lib/python3/dist-packages/osgeo_utils/samples/validate_gpkg.py"),
    Path("/usr/share/doc/python3-gdal/examples/validate_gpkg.py")) if p.exists()), None)

if OGRINFO is None or VALIDATOR is None:
    if os.environ.get("CI"):
        pytest.fail("GDAL's tools are missing; .ci/run should have installed them",
                    pytrace=False)
    pytest.skip("GDAL's command-line tools are not installed (apt-get install gdal-bin "
                "python3-gdal)", allow_module_level=True)


@pytest.fixture
def table():
    return gpd.GeoDataFrame(
        {"status": ["voldoet", "te controleren"], "score": [81.25, 60.5], "leeg": [None, None],
         "note": ["café – ‘t Hoekje", "=1+1"]},
        index=pd.Index(["perceel:0012", "perceel:0013"], name="candidate_id"),
        geometry=[box(190_000, 440_000, 190_100, 440_100), box(190_200, 440_000, 190_300,
                                                                440_100)], crs=28992)


def _ogrinfo(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([OGRINFO, "-al", "-so", str(path)], capture_output=True, text=True,
                          timeout=60)


def test_the_geopackage_validates_and_opens_without_a_warning(tmp_path, table):
    gpkg = export.write(table, tmp_path / "longlist.gpkg", description="longlist toets",
                        metadata={"criteria": "toets"})
    check = subprocess.run(["/usr/bin/python3", str(VALIDATOR), str(gpkg)],
                           capture_output=True, text=True, timeout=60)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.strip() == ""
    assert check.stderr.strip() == ""
    info = _ogrinfo(gpkg)
    assert info.returncode == 0
    assert "Warning" not in info.stderr, info.stderr
    assert "leeg: String" in info.stdout  # an empty text column stays text
    assert "score: Real" in info.stdout


@pytest.mark.parametrize("suffix", [".geojson", ".csv"])
def test_geojson_and_csv_open_without_a_warning(tmp_path, table, suffix):
    path = export.write(table, tmp_path / f"longlist{suffix}")
    info = _ogrinfo(path)
    assert info.returncode == 0, info.stderr
    assert "Warning" not in info.stderr, info.stderr
    assert "Feature Count: 2" in info.stdout
