from __future__ import annotations

import os

import numpy as np
import pytest
import yaml
from _toy import gdf, toy_layers
from shapely import Point, box

from locscan import measures
from locscan.errors import MeasureError
from locscan.measures import MeasureSpec
from locscan.region import Region


@pytest.fixture
def parcels():
    return toy_layers()["parcels"].set_index("id")


def test_distance_to_is_exact_on_both_sides_of_15_km(parcels):
    out = measures.distance_to(parcels, toy_layers()["work_sites"], fields=["id"])
    assert out.loc["p1", "value"] == 14_900.0
    assert out.loc["p2", "value"] == 15_100.0
    assert out["id"].tolist() == ["W1"] * 5


def test_distance_to_with_max_distance_and_empty_layer_gives_unknown(parcels):
    out = measures.distance_to(parcels, toy_layers()["work_sites"], max_distance=15_000)
    assert out["value"].isna().tolist() == [False, True, False, False, False]
    empty = measures.distance_to(parcels, toy_layers()["work_sites"].iloc[:0])
    assert empty["value"].isna().all()


def test_overlap_fraction_half_inside_a_core(parcels):
    out = measures.overlap_fraction(parcels, toy_layers()["cores"])
    assert out.loc["p3", "value"] == pytest.approx(0.5)
    assert out.loc["p1", "value"] == 0.0


def test_overlap_fraction_does_not_double_count_overlapping_features():
    cands = gdf([box(0, 0, 10, 10)])
    layer = gdf([box(0, 0, 10, 5), box(0, 0, 10, 5), box(0, 2, 10, 5)])
    assert measures.overlap_fraction(cands, layer)["value"].tolist() == [0.5]


def test_dominant_attribute_zoning_split_60_40(parcels):
    zoning = toy_layers()["zoning"].rename(columns={"bestemming": "class"})
    out = measures.dominant_attribute(parcels, zoning, field="class")
    assert out.loc["p4", "value"] == "Wonen"
    assert out.loc["p4", "share"] == pytest.approx(0.6)
    assert out.loc["p2", "value"] == "Bedrijventerrein"
    assert out.loc["p2", "share"] == pytest.approx(1.0)
    assert out["value"].isna().tolist() == [False, False, False, False, True]  # p5: no plan


def test_dominant_attribute_sums_areas_of_one_class_before_choosing():
    cands = gdf([box(0, 0, 10, 10)])
    layer = gdf([box(0, 0, 3, 10), box(3, 0, 6, 10), box(6, 0, 10, 10)], cls=["A", "A", "B"])
    out = measures.dominant_attribute(cands, layer, field="cls")
    assert out.values.tolist() == [["A", 0.6]]


def test_parking_capacity_exactly_on_the_radius_counts(parcels):
    parking = toy_layers()["parking"].rename(columns={"capaciteit": "capacity"})
    out = measures.sum_within(parcels, parking, distance=400, field="capacity")
    assert out.loc["p4", "value"] == 50.0  # 400.0 m away counts, 401 m does not
    assert out.loc["p4", "unknown"] == 0
    assert measures.count_within(parcels, parking, distance=400).loc["p4", "value"] == 1


def test_sum_within_reports_features_without_a_value(parcels):
    parking = toy_layers()["parking"].rename(columns={"capaciteit": "capacity"})
    out = measures.sum_within(parcels, parking, distance=400, field="capacity")
    assert out.loc["p1"].tolist() == [0.0, 1.0]  # one car park in reach, capacity unknown


def test_attribute_and_area(parcels):
    own = measures.attribute(parcels, field="eigendom")["value"]
    assert own["p1"] == "gemeente"
    assert own.isna().tolist() == [False, False, False, True, False]
    assert measures.area(parcels)["value"].tolist() == [10_000.0] * 5
    with pytest.raises(MeasureError, match="candidates have no attribute 'height'; found: "):
        measures.attribute(parcels, field="height")


def test_compute_names_columns_after_the_spec(parcels):
    specs = [MeasureSpec(name="dist_work_m", kind="distance_to", layer="work_sites",
                         params={"fields": ["id"]}),
             MeasureSpec(name="area_m2", kind="area")]
    out = measures.compute(parcels, toy_layers(), specs)
    assert list(out.columns) == ["dist_work_m", "dist_work_m__id", "area_m2"]


@pytest.mark.parametrize(("spec", "message"), [
    (MeasureSpec(name="x", kind="nearest"), "unknown kind 'nearest'; known kinds: distance_to"),
    (MeasureSpec(name="x", kind="distance_to"), "kind 'distance_to' needs a 'layer'"),
    (MeasureSpec(name="x", kind="area", layer="cores"), "kind 'area' reads the candidate itself"),
    (MeasureSpec(name="x", kind="sum_within", layer="parking", params={"distance": 4}),
     "kind 'sum_within' needs parameter\\(s\\) field"),
    (MeasureSpec(name="x", kind="count_within", layer="parking",
                 params={"distance": 4, "radius": 5}),
     "unknown parameter\\(s\\) radius for kind 'count_within'; allowed: distance"),
])
def test_spec_problems_are_named(spec, message):
    with pytest.raises(MeasureError, match=f"measure 'x': {message}"):
        measures.compute_one(toy_layers()["parcels"], spec, None)


def test_missing_field_in_layer_names_measure_and_layer(toy_region):
    region = Region(toy_region)
    spec = MeasureSpec(name="cap", kind="sum_within", layer="parking",
                       params={"distance": 400, "field": "places"})
    with pytest.raises(MeasureError, match="measure 'cap': layer 'parking': field 'places' "
                                           "missing; found: capacity"):
        measures.compute_for_region(region, [spec], cache=False)


def test_check_specs_lists_every_problem_before_computing(toy_region):
    specs = [MeasureSpec(name="a", kind="distance_to", layer="stops"),
             MeasureSpec(name="b", kind="nope")]
    with pytest.raises(MeasureError, match=r"measure 'b': unknown kind 'nope'.*does not have: "
                                           r"'stops' \(measure 'a'\)"):
        measures.check_specs(specs, Region(toy_region))


def test_measures_are_cached_and_invalidated_when_a_layer_changes(toy_region):
    specs = [MeasureSpec(name="d", kind="distance_to", layer="work_sites"),
             MeasureSpec(name="core", kind="overlap_fraction", layer="cores")]
    seen = []
    _, first = measures.compute_for_region(Region(toy_region), specs,
                                           on_measure=lambda s, hit: seen.append((s.name, hit)))
    _, second = measures.compute_for_region(Region(toy_region), specs,
                                            on_measure=lambda s, hit: seen.append((s.name, hit)))
    assert seen == [("d", False), ("core", False), ("d", True), ("core", True)]
    assert second.equals(first)
    # a new work site next to p2: only the distance measure is recomputed
    sites = toy_layers()["work_sites"]
    sites.loc[1] = ["W2", 10, "GM0002", Point(30_300, 50)]
    sites.to_file(toy_region / "toy.gpkg", layer="work_sites", driver="GPKG")
    stat = os.stat(toy_region / "toy.gpkg")
    os.utime(toy_region / "toy.gpkg", ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    seen.clear()
    _, third = measures.compute_for_region(Region(toy_region), specs,
                                           on_measure=lambda s, hit: seen.append((s.name, hit)))
    assert seen == [("d", False), ("core", False)]  # one GeoPackage holds both layers
    assert third.loc["perceel:p2", "d"] == 100.0
    assert np.array_equal(third["core"], first["core"])


def test_missing_optional_data_is_unknown_with_a_warning(toy_region):
    specs = [MeasureSpec(name="owner", kind="dominant_attribute", layer="ownership",
                         params={"field": "class"}, if_missing="unknown"),
             MeasureSpec(name="height", kind="attribute", params={"field": "height"},
                         if_missing="unknown")]
    with pytest.warns(UserWarning, match="every value is unknown") as record:
        _, table = measures.compute_for_region(Region(toy_region), specs, cache=False)
    assert sorted(str(w.message) for w in record) == [
        "measure 'height': the region has no attribute 'height'; every value is unknown",
        "measure 'owner': the region has no layer 'ownership'; every value is unknown"]
    assert table["owner"].isna().all()
    assert table["height"].isna().all()
    strict = MeasureSpec(name="owner", kind="dominant_attribute", layer="ownership",
                         params={"field": "class"})
    with pytest.raises(MeasureError, match="need layers that region folder .* does not "
                                         r"have: 'ownership' \(measure 'owner'\)\. Either "
                                         "add .*'if_missing: unknown'"):
        measures.compute_for_region(Region(toy_region), [strict], cache=False)


def test_outside_what_a_layer_covers_its_measures_are_unknown_not_zero(tmp_path):
    from _toy import CATALOGUE, write_region

    folder = write_region(tmp_path / "toy")
    catalogue = yaml.safe_load((folder / "layers.yaml").read_text())
    specs = [MeasureSpec(name="parking", kind="sum_within", layer="parking",
                         params={"field": "capacity", "distance": 400})]
    _, before = measures.compute_for_region(Region(folder), specs, cache=False)
    # the parking file covers Aadorp only: in Beestad (p2) there is no data, not no parking
    catalogue["layers"]["parking"]["covers"] = ["Aadorp"]
    (folder / "layers.yaml").write_text(yaml.safe_dump(catalogue))
    _, after = measures.compute_for_region(Region(folder), specs, cache=True)
    assert before.loc["perceel:p2", "parking"] == 0
    assert np.isnan(after.loc["perceel:p2", "parking"])
    others = after.index != "perceel:p2"
    assert after.loc[others, "parking"].tolist() == before.loc[others, "parking"].tolist()
    assert CATALOGUE["parking"] == {"fields": {"capacity": "capaciteit"}}  # the toy is untouched
    catalogue["layers"]["parking"]["covers"] = ["Arnhem"]
    (folder / "layers.yaml").write_text(yaml.safe_dump(catalogue))
    with pytest.raises(MeasureError, match=r"layer 'parking' in layers.yaml: 'covers': .*"
                                           r"no gemeente 'Arnhem'; known: Aadorp, Beestad"):
        measures.compute_for_region(Region(folder), specs, cache=False)
