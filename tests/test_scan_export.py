"""The Scan's exports: provenance that names layers and dates, Dutch headers with units."""

from __future__ import annotations

import pytest
from _scan import toy_scan


@pytest.fixture
def scan(tmp_path):
    return toy_scan(tmp_path / "toy")



def test_exports_name_layers_and_their_dates_never_local_paths(scan, tmp_path):
    meta = scan.provenance()
    assert str(tmp_path) not in meta["data_sources"]
    assert "parcels: toy.gpkg" in meta["data_sources"]
    assert "parcels: 20" in meta["data_dates"]  # the file's date, said to be one
    assert "(bestandsdatum)" in meta["data_dates"]
    labels = scan.labels()
    assert labels["dist_work_m"] == "dist_work_m (m)"
    assert labels["zoning"] == "Bestemming"
    assert labels["c_afstand_werk"] == "Binnen 15 km van werk – uitkomst"
    assert labels["core_share__share"].endswith("– aandeel")
