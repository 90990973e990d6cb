from __future__ import annotations

import pytest
from _toy import REGION, gdf, toy_layers
from shapely import box

from locscan.candidates import candidates_for_region, candidates_from_frames, municipality_of
from locscan.errors import RegionError
from locscan.region import Region, RegionMeta

META = RegionMeta.model_validate(REGION)


def _mun():
    layers = toy_layers()
    return layers["municipalities"]


def test_municipality_of_uses_the_representative_point():
    # a parcel straddling the border lies mostly in GM0002: its point on surface is there
    parcels = gdf([box(19_990, 0, 20_100, 100), box(-50, -50, -10, -10)]).geometry
    assert municipality_of(parcels, _mun()).tolist()[0] == "GM0002"
    assert municipality_of(parcels, _mun()).isna().tolist() == [False, True]


def test_candidates_get_ids_gemeente_subregio_and_area():
    parcels = toy_layers()["parcels"]
    parks = gdf([box(25_000, 0, 25_500, 400)], id=["7"], name=["Park"])
    cands = candidates_from_frames(
        {"parcels": ("perceel", parcels), "business_parks": ("bedrijventerrein", parks)},
        _mun(), META,
    )
    assert cands.index.tolist() == ["perceel:p1", "perceel:p2", "perceel:p3", "perceel:p4",
                                    "perceel:p5", "bedrijventerrein:7"]
    assert cands.loc["perceel:p2", "gemeente"] == "Beestad"
    assert cands.loc["perceel:p1", "subregio"] == "Noord"
    assert cands.loc["bedrijventerrein:7", "area_m2"] == pytest.approx(200_000)
    assert cands.loc["bedrijventerrein:7", "name"] == "Park"
    assert cands.crs.to_epsg() == 28992


def test_candidates_outside_the_region_are_dropped_with_a_count():
    parcels = gdf([box(0, 0, 10, 10), box(50_000, 0, 50_010, 10)], id=["in", "out"])
    with pytest.warns(UserWarning, match="1 of 2 candidates lie outside every gemeente"):
        cands = candidates_from_frames({"parcels": ("perceel", parcels)}, _mun(), META)
    assert cands.index.tolist() == ["perceel:in"]


def test_colliding_ids_and_foreign_codes_are_errors():
    parcels = gdf([box(0, 0, 10, 10)], id=["1"])
    with pytest.raises(RegionError, match="collide between layers a, b: perceel:1"):
        candidates_from_frames({"a": ("perceel", parcels), "b": ("perceel", parcels)},
                               _mun(), META)
    foreign = _mun().assign(code=["0001", "0002"])
    with pytest.raises(RegionError, match=r"none of the municipality codes .* is in region\.yaml"):
        candidates_from_frames({"parcels": ("perceel", parcels)}, foreign, META)


def test_candidates_for_region_are_cached(toy_region):
    first = candidates_for_region(Region(toy_region))
    cached = list((toy_region / ".locscan-cache").glob("candidates-*.geo.arrow"))
    assert len(cached) == 1
    again = candidates_for_region(Region(toy_region))
    assert again.index.equals(first.index)
    assert again.geom_equals(first.geometry).all()


def test_candidates_outside_every_gemeente_of_the_region_are_an_error():
    layers = toy_layers()
    far = layers["parcels"].set_geometry(layers["parcels"].translate(500_000, 0))
    with pytest.raises(RegionError, match=r"none of the 5 candidates lies in a gemeente of the "
                                          r"region \(they lie in no gemeente of the "
                                          r"municipalities layer; region.yaml lists GM0001"):
        candidates_from_frames({"parcels": ("perceel", far)}, layers["municipalities"],
                               RegionMeta.model_validate(REGION))
