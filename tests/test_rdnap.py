"""RDNAPTRANS™2018 against the official NSGI validation points."""

from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely
from pyproj import Transformer

from locscan import rdnap
from locscan.errors import LocscanError

POINTS = Path(__file__).parent / "data" / "rdnaptrans2018_z001.tsv"
DEG, METRE = 1e-8, 1e-3  # what RDNAPTRANS™2018 requires of an implementation


@pytest.fixture(scope="module")
def official() -> pd.DataFrame:
    return pd.read_csv(POINTS, sep="\t", comment="#")


def test_rd_to_etrs89_meets_the_official_tolerance(official):
    lon, lat = rdnap.rd_to_etrs89(official["x"], official["y"])
    assert np.abs(lat - official["lat"]).max() < DEG
    assert np.abs(lon - official["lon"]).max() < DEG


def test_etrs89_to_rd_meets_the_official_tolerance(official):
    x, y = rdnap.etrs89_to_rd(official["lon"], official["lat"])
    assert np.abs(x - official["x"]).max() < METRE
    assert np.abs(y - official["y"]).max() < METRE


def test_plain_proj_misses_the_tolerance(official):
    """Why this module exists: PROJ without the NSGI grid is decimetres off."""
    _lon, lat = Transformer.from_crs(28992, 4326, always_xy=True).transform(
        official["x"], official["y"])
    assert np.abs(lat - official["lat"]).max() > 100 * DEG


def test_to_crs_round_trips_polygons_and_keeps_columns():
    frame = gpd.GeoDataFrame({"id": ["a", "b"]},
                             geometry=[shapely.box(190000, 440000, 190100, 440050),
                                       shapely.Point(185000, 430000)], crs=28992)
    wgs = rdnap.to_crs(frame, "EPSG:4326")
    assert wgs.crs.to_epsg() == 4326
    assert list(wgs["id"]) == ["a", "b"]
    assert 5.8 < wgs.geometry.iloc[1].x < 6.1
    assert 51.8 < wgs.geometry.iloc[1].y < 52.1
    back = rdnap.to_crs(wgs, 28992)
    distance = shapely.hausdorff_distance(back.geometry.to_numpy(), frame.geometry.to_numpy())
    assert distance.max() < 1e-6


def test_to_crs_accepts_crs84_and_series():
    series = gpd.GeoSeries.from_xy([5.9], [51.98], crs="OGC:CRS84", name="g")
    rd = rdnap.to_crs(series, "EPSG:28992")
    assert isinstance(rd, gpd.GeoSeries)
    assert rd.name == "g"
    assert rd.x.iloc[0] == pytest.approx(rdnap.etrs89_to_rd([5.9], [51.98])[0][0])


def test_points_outside_the_grid_fall_back_to_proj():
    lon, lat = rdnap.rd_to_etrs89([155000.0, 155000.0], [463000.0, 1_400_000.0])
    assert 5.38 < lon[0] < 5.39
    assert np.isfinite(lat[1])
    assert lat[1] > 56


def test_other_crs_pairs_go_through_geopandas():
    frame = gpd.GeoDataFrame(geometry=[shapely.Point(155000, 463000)], crs=28992)
    utm = rdnap.to_crs(frame, "EPSG:32631")
    expected = frame.to_crs("EPSG:32631")
    assert utm.geometry.iloc[0].equals_exact(expected.geometry.iloc[0], 1e-9)


def test_without_crs_is_an_error():
    with pytest.raises(LocscanError, match="without a CRS"):
        rdnap.to_crs(gpd.GeoSeries([shapely.Point(0, 0)]), 4326)
