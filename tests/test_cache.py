"""The on-disk cache of tables: written whole, read back as written, or not at all."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from locscan import _cache


@pytest.fixture
def sites() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"gemeente_code": pd.Categorical(["GM0202", "GM0202", "GM0268"]),
         "area_m2": [100.0, 2_500.0, 40.0], "source_id": ["a", "b", None]},
        geometry=[shapely.box(0, 0, 10, 10), shapely.box(0, 0, 50, 50), None],
        crs="EPSG:28992", index=pd.Index(["perceel:a", "perceel:b", "perceel:c"],
                                         name="candidate_id"))


def test_a_geo_table_reads_back_as_written(tmp_path, sites):
    path = tmp_path / "candidates.geo.arrow"
    _cache.write(path, sites)
    back = _cache.read(path)
    assert isinstance(back, gpd.GeoDataFrame)
    pd.testing.assert_frame_equal(pd.DataFrame(back), pd.DataFrame(sites))
    assert back.crs == sites.crs


def test_without_shapes_the_other_columns_are_as_geopandas_reads_them(tmp_path, sites):
    path = tmp_path / "candidates.geo.arrow"
    _cache.write(path, sites)
    plain = _cache.read(path, shapes=False)
    assert not isinstance(plain, gpd.GeoDataFrame)
    assert list(plain.columns) == ["gemeente_code", "area_m2", "source_id"]
    pd.testing.assert_frame_equal(plain, pd.DataFrame(_cache.read(path)).drop(
        columns="geometry"))
    assert plain.index.name == "candidate_id"


@pytest.mark.parametrize("shapes", [True, False])
@pytest.mark.parametrize("content", [b"", b"not arrow at all", b"ARROW1\x00\x00half"])
def test_a_damaged_or_foreign_file_is_not_trusted(tmp_path, content, shapes):
    path = tmp_path / "candidates.geo.arrow"
    path.write_bytes(content)
    assert _cache.read(path, shapes=shapes) is None
    assert _cache.read(tmp_path / "absent.geo.arrow", shapes=shapes) is None


def test_an_arrow_file_without_geo_metadata_is_not_trusted_without_shapes(tmp_path):
    path = tmp_path / "plain.geo.arrow"
    pd.DataFrame({"a": [1, 2]}).to_feather(path)
    assert _cache.read(path, shapes=False) is None
    assert _cache.read(path) is None
