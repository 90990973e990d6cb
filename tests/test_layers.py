from __future__ import annotations

import json
import warnings

import geopandas as gpd
import numpy as np
import pytest
import yaml
from _toy import ROOT, gdf
from shapely import Point, Polygon, box

from locscan.errors import LayerError
from locscan.layers import LayerEntry, fingerprint, load_catalogue, load_layer

FORMATS = {"gpkg": "GPKG", "geojson": "GeoJSON", "shp": "ESRI Shapefile", "fgb": "FlatGeobuf",
           "parquet": None}


def _write(frame: gpd.GeoDataFrame, path) -> None:
    if path.suffix == ".parquet":
        frame.to_parquet(path)
    else:
        frame.to_file(path, driver=FORMATS[path.suffix[1:]])


@pytest.mark.parametrize("ext", list(FORMATS))
def test_load_every_format_maps_fields_and_keeps_values(tmp_path, ext):
    path = tmp_path / f"parking.{ext}"
    _write(gdf([Point(1, 2), Point(3, 4)], plaatsen=[10, 20], naam=["a", "b"]), path)
    entry = LayerEntry(source=path.name, fields={"capacity": "plaatsen"})
    layer, report = load_layer("parking", entry, tmp_path)
    assert list(layer.columns) == ["capacity", "naam", "geometry"]  # unmapped fields kept
    assert sorted(layer["capacity"]) == [10.0, 20.0]  # FlatGeobuf's index may reorder
    assert layer.crs.to_epsg() == 28992
    assert report.features == 2
    assert report.repaired == []


def test_reprojects_to_rd_new(tmp_path):
    # Amersfoort reference point: RD (155000, 463000) is about 52.1552 N, 5.3872 E
    path = tmp_path / "stops.gpkg"
    gdf([Point(5.387204, 52.155173)], crs=4326).to_file(path)
    layer, report = load_layer("stops", LayerEntry(source="stops.gpkg"), tmp_path)
    assert report.reprojected_from == "EPSG:4326"
    assert layer.geometry.x[0] == pytest.approx(155000, abs=2)
    assert layer.geometry.y[0] == pytest.approx(463000, abs=2)


def test_missing_field_names_layer_file_field_and_found(tmp_path):
    path = tmp_path / "parkeren.gpkg"
    gdf([Point(0, 0)], id=[1], naam=["x"], plaatsen=[3]).to_file(path)
    with pytest.raises(LayerError, match=r"parking.*parkeren\.gpkg.*field 'capacity' missing; "
                                         r"found: id, naam, plaatsen"):
        load_layer("parking", LayerEntry(source="parkeren.gpkg"), tmp_path)


def test_missing_mapped_field_says_where_it_was_mapped_from(tmp_path):
    gdf([Point(0, 0)], naam=["x"]).to_file(tmp_path / "p.gpkg")
    entry = LayerEntry(source="p.gpkg", fields={"capacity": "plaatsen"})
    with pytest.raises(LayerError, match="'capacity' \\(mapped from 'plaatsen'\\) missing"):
        load_layer("parking", entry, tmp_path)


def test_no_crs_is_an_error_unless_the_catalogue_states_one(tmp_path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # geopandas warns on writing without CRS
        gdf([box(0, 0, 1, 1)], crs=None).to_file(tmp_path / "kernen.shp")
    with pytest.raises(LayerError, match=r"cores.*kernen\.shp.*no CRS.*crs: EPSG:28992"):
        load_layer("cores", LayerEntry(source="kernen.shp"), tmp_path)
    layer, _ = load_layer("cores", LayerEntry(source="kernen.shp", crs="EPSG:28992"), tmp_path)
    assert layer.crs.to_epsg() == 28992


def test_catalogue_crs_conflicting_with_source_is_an_error(tmp_path):
    gdf([box(0, 0, 1, 1)], crs=4326).to_file(tmp_path / "k.gpkg")
    with pytest.raises(LayerError, match="catalogue says crs EPSG:28992 but the source says"):
        load_layer("cores", LayerEntry(source="k.gpkg", crs="EPSG:28992"), tmp_path)


def test_invalid_geometries_are_repaired_counted_and_warned(tmp_path):
    bowtie = Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    gdf([bowtie, box(20, 0, 30, 10)], id=["bad", "good"]).to_file(tmp_path / "p.gpkg")
    with pytest.warns(UserWarning, match=r"parcels.*repaired 1 invalid geometries.*\(bad\)"):
        layer, report = load_layer("parcels", LayerEntry(source="p.gpkg"), tmp_path)
    assert report.repaired == ["bad"]
    assert layer.is_valid.all()
    assert layer.area.tolist() == pytest.approx([50.0, 100.0])


def test_empty_geometries_are_dropped_with_a_warning(tmp_path):
    frame = gdf([box(0, 0, 1, 1), None], id=["a", "b"])
    frame.to_file(tmp_path / "p.gpkg")
    with pytest.warns(UserWarning, match="dropped 1 features with an empty or missing geometry"):
        layer, report = load_layer("parcels", LayerEntry(source="p.gpkg"), tmp_path)
    assert layer["id"].tolist() == ["a"]
    assert report.dropped_empty == 1


def test_wrong_geometry_type_is_an_error(tmp_path):
    gdf([Point(0, 0)], id=["a"]).to_file(tmp_path / "p.gpkg")
    with pytest.raises(LayerError, match="1 features have geometry type Point; this role needs "
                                         "polygon"):
        load_layer("parcels", LayerEntry(source="p.gpkg"), tmp_path)


def test_duplicate_and_missing_ids_are_reported_together(tmp_path):
    gdf([box(0, 0, 1, 1)] * 3, id=["a", "a", None]).to_file(tmp_path / "p.gpkg")
    with pytest.raises(LayerError, match="1 features have no 'id'; 1 duplicate values of 'id' "
                                         r"\(a\)"):
        load_layer("parcels", LayerEntry(source="p.gpkg"), tmp_path)


def test_non_numeric_capacity_becomes_unknown_with_a_warning(tmp_path):
    gdf([Point(0, 0)] * 3, plaatsen=["12", "veel", None]).to_file(tmp_path / "p.gpkg")
    entry = LayerEntry(source="p.gpkg", fields={"capacity": "plaatsen"})
    with pytest.warns(UserWarning, match="'capacity' has 1 values that are not numbers \\('veel'"):
        layer, report = load_layer("parking", entry, tmp_path)
    assert layer["capacity"].tolist()[0] == 12.0
    assert np.isnan(layer["capacity"].tolist()[1:]).all()
    assert report.non_numeric == {"capacity": 1}


def test_source_with_several_layers_needs_a_layer_name(tmp_path):
    path = tmp_path / "multi.gpkg"
    gdf([box(0, 0, 1, 1)]).to_file(path, layer="a")
    gdf([box(0, 0, 1, 1)]).to_file(path, layer="b")
    with pytest.raises(LayerError, match="holds 2 layers \\(a, b\\); name one with 'layer:'"):
        load_layer("cores", LayerEntry(source="multi.gpkg"), tmp_path)
    with pytest.raises(LayerError, match="no layer 'c' in the source; found: a, b"):
        load_layer("cores", LayerEntry(source="multi.gpkg", layer="c"), tmp_path)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(LayerError, match=r"layer 'cores' .*nope\.gpkg\): file not found"):
        load_layer("cores", LayerEntry(source="nope.gpkg"), tmp_path)
    (tmp_path / "junk.gpkg").write_text("not a geopackage")
    with pytest.raises(LayerError, match=r"junk\.gpkg\): GDAL cannot open it"):
        load_layer("cores", LayerEntry(source="junk.gpkg"), tmp_path)


def test_catalogue_validation_names_layer_and_key(tmp_path):
    path = tmp_path / "layers.yaml"
    path.write_text(yaml.safe_dump({"layers": {"x": {"source": "a.gpkg", "role": "banana"},
                                               "y": {"source": "b.gpkg", "colour": "red"}}}))
    with pytest.raises(LayerError) as err:
        load_catalogue(path)
    assert "layers.x.role" in str(err.value)
    assert "unknown role 'banana'" in str(err.value)
    assert "layers.y.colour" in str(err.value)


def test_catalogue_roles_default_to_layer_name(tmp_path):
    path = tmp_path / "layers.yaml"
    path.write_text(yaml.safe_dump({"layers": {"cores": {"source": "a.gpkg"},
                                               "natura2000": {"source": "b.gpkg",
                                                              "role": "exclusions"},
                                               "extra": {"source": "c.gpkg"}}},
                                   sort_keys=False))
    cat = load_catalogue(path)
    assert [cat.role_of(n) for n in cat.layers] == ["cores", "exclusions", "other"]


def test_fingerprint_changes_when_the_file_changes(tmp_path):
    path = tmp_path / "c.gpkg"
    gdf([box(0, 0, 1, 1)]).to_file(path)
    entry = LayerEntry(source="c.gpkg")
    before = fingerprint("cores", entry, tmp_path)
    assert fingerprint("cores", entry, tmp_path) == before
    gdf([box(0, 0, 2, 2)]).to_file(path)
    assert fingerprint("cores", entry, tmp_path) != before
    assert fingerprint("cores", LayerEntry(source="c.gpkg", where="1=1"), tmp_path) != before


def test_a_pattern_joins_every_file_it_matches(tmp_path):
    plans = tmp_path / "imro"
    plans.mkdir()
    gdf([box(0, 0, 1, 1)], bestemming=["Wonen"]).to_file(plans / "plan-1.gpkg")
    gdf([box(5, 5, 6, 6), box(7, 7, 8, 8)], bestemming=["Groen", "Wonen"]).to_file(
        plans / "plan-2.gpkg")
    entry = LayerEntry(source="imro/plan-*.gpkg", fields={"class": "bestemming"})
    layer, report = load_layer("zoning", entry, tmp_path)
    assert layer["class"].tolist() == ["Wonen", "Groen", "Wonen"]  # in the files' order
    assert report.features == 3
    assert report.source.endswith("imro/plan-*.gpkg")
    before = fingerprint("zoning", entry, tmp_path)
    gdf([box(9, 9, 10, 10)], bestemming=["Water"]).to_file(plans / "plan-3.gpkg")
    assert fingerprint("zoning", entry, tmp_path) != before  # a plan added: measured again
    assert len(load_layer("zoning", entry, tmp_path)[0]) == 4


def test_a_pattern_that_matches_nothing_or_repeats_an_id_is_an_error(tmp_path):
    with pytest.raises(LayerError, match=r"nope/\*\.gpkg\): no file matches this pattern"):
        load_layer("zoning", LayerEntry(source="nope/*.gpkg"), tmp_path)
    gdf([box(0, 0, 1, 1)], id=["a"]).to_file(tmp_path / "p1.gpkg")
    gdf([box(2, 0, 3, 1)], id=["a"]).to_file(tmp_path / "p2.gpkg")
    with pytest.raises(LayerError, match=r"p\*\.gpkg\): 1 duplicate values of 'id' \(a\)"):
        load_layer("parcels", LayerEntry(source="p*.gpkg"), tmp_path)


@pytest.mark.realdata
def test_real_cbs_municipalities_cover_the_known_area(realdata):
    entry = LayerEntry(source="cbs/gmr_gemeenten_2025_rd.geojson",
                       fields={"code": "statcode", "name": "statnaam"})
    layer, _ = load_layer("municipalities", entry, realdata)
    assert len(layer) == 18
    assert layer.area.sum() / 1e6 == pytest.approx(1087.88, abs=0.01)
    areas = layer.set_index("name").area / 1e6
    assert areas.idxmax() == "Overbetuwe"
    assert areas["Westervoort"] == pytest.approx(6.33, abs=0.01)


@pytest.mark.realdata
def test_real_brk_parcels_have_their_registered_area(realdata):
    entry = LayerEntry(source="brk-otterlo/brk_v5_perceel_otterlo_rd.geojson",
                       fields={"id": "identificatie", "registered_m2": "kadastraleGrootte_m2"})
    layer, _ = load_layer("parcels", entry, realdata)
    assert len(layer) == 11
    assert np.abs(layer.area - layer["registered_m2"]).max() <= 3.5


@pytest.mark.realdata
@pytest.mark.parametrize(("plan", "classes"), [
    ("NL.IMRO.0202.957-0301.gml", {"Wonen", "Verkeer"}),
    ("NL.IMRO.0202.974-0301.gml", {"Wonen", "Groen", "Verkeer", "Water"}),
])
def test_real_imro_zoning_with_curved_segments_loads_as_polygons(realdata, plan, classes):
    entry = LayerEntry(source=f"imro-arnhem/{plan}", layer="Enkelbestemming",
                       fields={"class": "naam"}, crs="EPSG:28992")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # repairs are allowed in these real plans
        layer, _ = load_layer("zoning", entry, realdata)
    assert set(layer.geom_type) <= {"Polygon", "MultiPolygon"}
    assert layer.is_valid.all()
    assert set(layer["class"].str.split(" - ").str[0]) == classes


@pytest.mark.realdata
def test_real_parking_polygons_load_without_capacity_field_error(realdata):
    entry = LayerEntry(source="parking-arnhem/arnhem_e6a_parking_rd.geojson")
    with pytest.raises(LayerError, match="field 'capacity' missing; found: OBJECTID, ID"):
        load_layer("parking", entry, realdata)


def test_classes_map_source_values_to_criteria_classes(tmp_path):
    frame = gdf([box(0, 0, 1, 1)] * 4, bestemming=["Wonen - 1", "Bedrijf - 2", "WONEN", "Water"])
    frame.to_file(tmp_path / "z.gpkg")
    entry = LayerEntry(source="z.gpkg", fields={"class": "bestemming"},
                       classes={"class": {"wonen*": "Wonen", "bedrijf*": "Bedrijventerrein"}})
    with pytest.warns(UserWarning, match="match no class pattern are kept as they are: 'Water'"):
        layer, report = load_layer("zoning", entry, tmp_path)
    assert layer["class"].tolist() == ["Wonen", "Bedrijventerrein", "Wonen", "Water"]
    assert report.unclassified == {"class": ["Water"]}
    bad = LayerEntry(source="z.gpkg", fields={"class": "bestemming"},
                     classes={"kind": {"*": "x"}})
    with pytest.raises(LayerError, match="'classes' names attribute 'kind'"):
        load_layer("zoning", bad, tmp_path)


@pytest.mark.realdata
def test_real_imro_plan_classes(realdata):
    entry = LayerEntry(source="imro-arnhem/NL.IMRO.0202.974-0301.gml", layer="Enkelbestemming",
                       fields={"class": "naam"}, crs="EPSG:28992",
                       classes={"class": {"Wonen*": "Wonen", "Groen*": "Groen",
                                          "Verkeer*": "Verkeer", "Water*": "Water"}})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        layer, report = load_layer("zoning", entry, realdata)
    assert set(layer["class"]) == {"Wonen", "Groen", "Verkeer", "Water"}
    assert report.unclassified == {"class": []}


# --- files made by others: every case one clear error or a documented, reported rule ------------

RD = [Point(190_000, 440_000), Point(191_000, 441_000)]  # near Arnhem, RD New metres


def _geojson_without_crs(path, points) -> None:
    features = [{"type": "Feature", "properties": {"plaatsen": 5},
                 "geometry": {"type": "Point", "coordinates": [p.x, p.y]}} for p in points]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))


def test_rd_metres_in_a_geojson_without_crs_say_what_they_look_like(tmp_path):
    _geojson_without_crs(tmp_path / "p.geojson", RD)
    entry = LayerEntry(source="p.geojson", fields={"capacity": "plaatsen"})
    with pytest.raises(LayerError, match=r"p\.geojson\): coordinates run x 190,000 to 191,000, "
                                         r"y 440,000 to 441,000, which look like RD New metres"):
        load_layer("parking", entry, tmp_path)


def test_a_mislabelled_source_is_read_in_the_catalogues_crs_with_a_warning(tmp_path):
    _geojson_without_crs(tmp_path / "p.geojson", RD)
    entry = LayerEntry(source="p.geojson", fields={"capacity": "plaatsen"}, crs="EPSG:28992")
    with pytest.warns(UserWarning, match="its coordinates fit the catalogue's crs EPSG:28992"):
        layer, _ = load_layer("parking", entry, tmp_path)
    assert layer.geometry.x.tolist() == [190_000, 191_000]


def test_degrees_labelled_as_rd_say_what_they_look_like(tmp_path):
    gdf([Point(5.9, 51.98)], plaatsen=[3]).to_file(tmp_path / "p.gpkg")  # labelled 28992
    with pytest.raises(LayerError, match="which look like degrees longitude/latitude"):
        load_layer("parking", LayerEntry(source="p.gpkg", fields={"capacity": "plaatsen"}),
                   tmp_path)


def test_z_and_m_are_dropped_with_a_note(tmp_path):
    square = Polygon([(0, 0, 5), (10, 0, 5), (10, 10, 6), (0, 10, 5)])
    gdf([square], id=["a"]).to_file(tmp_path / "p.gpkg")
    with pytest.warns(UserWarning, match="dropped Z/M values of 1 geometries"):
        layer, _ = load_layer("parcels", LayerEntry(source="p.gpkg"), tmp_path)
    assert not layer.geometry.has_z.any()


def test_negative_counts_become_unknown_and_are_reported(tmp_path):
    gdf([Point(0, 0), Point(1, 1)], plaatsen=[-4, 12]).to_file(tmp_path / "p.gpkg")
    with pytest.warns(UserWarning, match="1 negative values; a count cannot be negative"):
        layer, report = load_layer("parking", LayerEntry(
            source="p.gpkg", fields={"capacity": "plaatsen"}), tmp_path)
    assert np.isnan(layer["capacity"][0])
    assert layer["capacity"][1] == 12
    assert report.negative == {"capacity": 1}


@pytest.mark.parametrize("role", ["parcels", "business_parks", "work_sites"])
def test_an_empty_layer_of_a_role_the_scan_needs_is_an_error(tmp_path, role):
    empty = gpd.GeoDataFrame({"id": []}, geometry=[], crs=28992)
    empty.to_file(tmp_path / "empty.gpkg")
    with pytest.raises(LayerError, match=r"empty\.gpkg\): no features; a region needs its"):
        load_layer(role, LayerEntry(source="empty.gpkg"), tmp_path)


def test_a_layer_named_nearly_like_a_role_is_refused(tmp_path):
    path = tmp_path / "layers.yaml"
    path.write_text("layers:\n  percels: {source: p.gpkg}\n  natuur: {source: n.gpkg}\n")
    with pytest.raises(LayerError, match="layer 'percels' is not a role; did you mean "
                                         "'parcels'"):
        load_catalogue(path)


def test_an_upper_case_file_name_is_a_file(tmp_path):
    gdf([Point(0, 0)], plaatsen=[3]).to_file(tmp_path / "PARKEREN.GPKG", driver="GPKG")
    layer, _ = load_layer("parking", LayerEntry(source="PARKEREN.GPKG",
                                                fields={"capacity": "plaatsen"}), tmp_path)
    assert len(layer) == 1


# --- a catalogue that fits real files ----------------------------------------------------------

def test_work_sites_from_a_csv_with_x_and_y(tmp_path):
    (tmp_path / "werk.csv").write_text("id;naam;x;y;werknemers\nW1;Kas;190000;440000;120\n"
                                       "W2;Loods;191000,5;441000;80\n", encoding="utf-8")
    entry = LayerEntry(source="werk.csv", x_field="x", y_field="y", crs="EPSG:28992",
                       fields={"workers": "werknemers"})
    layer, _ = load_layer("work_sites", entry, tmp_path)
    assert layer.geometry.x.tolist() == [190_000.0, 191_000.5]  # a decimal comma is read
    assert layer["workers"].tolist() == [120.0, 80.0]
    assert layer["naam"].tolist() == ["Kas", "Loods"]


def test_a_table_row_without_coordinates_is_named(tmp_path):
    (tmp_path / "werk.csv").write_text("id,x,y\nW1,190000,440000\nW2,,441000\n")
    entry = LayerEntry(source="werk.csv", x_field="x", y_field="y", crs="EPSG:28992")
    with pytest.raises(LayerError, match=r"werk\.csv\): 1 rows without readable coordinates "
                                         r"\(rows 3\)"):
        load_layer("work_sites", entry, tmp_path)


def test_a_table_needs_a_crs():
    with pytest.raises(ValueError, match="a table with coordinates needs 'crs'"):
        LayerEntry(source="werk.csv", x_field="x", y_field="y")


def test_parking_without_a_capacity_field_counts_one_place_per_feature(tmp_path):
    gdf([Point(0, 0), Point(1, 1)], soort=["a", "b"]).to_file(tmp_path / "p.gpkg")
    layer, _ = load_layer("parking", LayerEntry(source="p.gpkg", values={"capacity": 1}),
                          tmp_path)
    assert layer["capacity"].tolist() == [1.0, 1.0]


def test_imro_main_groups_map_to_zoning_classes_out_of_the_box(tmp_path):
    squares = [box(i, 0, i + 1, 1) for i in range(4)]
    gdf(squares, bestemmingshoofdgroep=["wonen", "bedrijventerrein", "agrarisch met waarden",
                                        "Centrum"]).to_file(tmp_path / "z.gpkg")
    entry = LayerEntry(source="z.gpkg", fields={"class": "bestemmingshoofdgroep"},
                       classes={"class": "imro"})
    layer, report = load_layer("zoning", entry, tmp_path)
    assert layer["class"].tolist() == ["Wonen", "Bedrijventerrein", "Agrarisch", "Gemengd"]
    assert report.unclassified["class"] == []


def test_a_source_field_that_clashes_with_a_locscan_name_is_kept_as_bron(tmp_path):
    gdf([box(0, 0, 1, 1)], id=["a"], status=["Pand in gebruik"], naam=["x"]).to_file(
        tmp_path / "p.gpkg")
    layer, _ = load_layer("parcels", LayerEntry(source="p.gpkg"), tmp_path)
    assert layer["bron_status"].tolist() == ["Pand in gebruik"]
    assert "status" not in layer


def _example_entries() -> dict[str, LayerEntry]:
    catalogue = load_catalogue(ROOT / "data/gmr/layers.example.yaml")
    return catalogue.layers


def test_the_documented_real_data_example_is_a_valid_catalogue():
    entries = _example_entries()
    assert {"municipalities", "parcels", "zoning", "work_sites", "parking"} <= set(entries)
    assert entries["zoning"].classes == {"class": "imro"}
    assert entries["parking"].values == {"capacity": 1}
    assert entries["parking"].covers == ["Arnhem"]
    assert entries["work_sites"].x_field == "x"


@pytest.mark.realdata
@pytest.mark.parametrize(("role", "source", "count"), [
    ("municipalities", "cbs/gmr_gemeenten_2025_rd.geojson", 18),
    ("parcels", "brk-otterlo/brk_v5_perceel_otterlo_rd.geojson", 11),
    ("zoning", "imro-arnhem/NL.IMRO.*.gml", 5 + 16),  # both plans
    ("cores", "bag-doesburg/bag_woonplaats_doesburg_0221_20200915_rd.geojson", 1),
    ("dwellings", "bag-doesburg/bag_pand_doesburg_0221_20200915_rd.geojson", 7204 + 3 + 14),
    ("parking", "parking-arnhem/arnhem_e6a_parking_rd.geojson", 10),
])
def test_the_example_entries_load_the_real_files(realdata, role, source, count):
    entry = _example_entries()[role].model_copy(update={"source": source})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # repairs are allowed in real plans
        layer, _ = load_layer(role, entry, realdata)
    assert len(layer) == count
    if role == "zoning":
        assert set(layer["class"]) <= {"Wonen", "Recreatie", "Verkeer", "Water"}
    if role == "parking":
        assert (layer["capacity"] == 1).all()


def test_a_layer_with_history_says_so_and_how_to_filter(tmp_path):
    path = tmp_path / "panden.gpkg"
    gdf([box(0, 0, 10, 10), box(0, 0, 10, 10), box(20, 0, 30, 10)],
        identificatie=["0221100000000001", "0221100000000001", "0221100000000002"],
        eindGeldigheid=["2019-05-01", None, None],
        status=["Pand in gebruik", "Pand gesloopt", "Pand in gebruik"]).to_file(path)
    with pytest.warns(UserWarning, match=r"3 rows for 2 distinct identificatie.*1 with an "
                      r"eindGeldigheid.*'Pand gesloopt'.*where:"):
        load_layer("dwellings", LayerEntry(source="panden.gpkg"), tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer, _ = load_layer("dwellings", LayerEntry(
            source="panden.gpkg", where="eindGeldigheid IS NULL AND status = 'Pand in gebruik'"),
            tmp_path)
    assert len(layer) == 1


@pytest.mark.realdata
def test_real_bag_with_demolished_buildings_warns(realdata):
    entry = LayerEntry(source="bag-doesburg/bag_pand_doesburg_0221_20200915_rd.geojson")
    gone = "402 with status 'Pand gesloopt', 'Niet gerealiseerd pand'"
    with pytest.warns(UserWarning, match=gone):
        load_layer("dwellings", entry, realdata)


@pytest.mark.realdata
def test_real_brk_gml_gives_its_parcel_polygons_not_the_label_points(realdata, tmp_path):
    # GDAL shows the BRK perceel GML's first geometry, the label point (plaatscoordinaten)
    entry = LayerEntry(source=str(realdata / "brk-otterlo/kadastralekaart_perceel.gml"),
                       layer="Perceel", fields={"id": "identificatie"})
    with pytest.warns(UserWarning, match="first geometry, a point"):
        layer, _ = load_layer("parcels", entry, tmp_path)
    assert len(layer) == 11
    assert set(layer.geom_type) == {"Polygon"}
    reference = gpd.read_file(realdata / "brk-otterlo/brk_v5_perceel_otterlo_rd.geojson")
    assert sorted(layer.area.round(1)) == sorted(reference.area.round(1))
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written beside the test


def test_polygons_of_a_gml_with_label_points_first(tmp_path):
    from shapely import GeometryCollection, MultiPolygon

    from locscan.layers.read import polygonal_parts

    geoms = np.array([GeometryCollection([Point(5, 5), box(0, 0, 10, 10)]),
                      GeometryCollection([Point(0, 0), MultiPolygon([box(0, 0, 1, 1),
                                                                     box(2, 2, 3, 3)])]),
                      Point(1, 1)], dtype=object)
    out = polygonal_parts(geoms)
    assert out[0].equals(box(0, 0, 10, 10))
    assert out[1].geom_type == "MultiPolygon"
    assert out[1].area == 2
    assert out[2] is None


def test_fingerprint_is_the_same_through_a_link_to_the_folder(tmp_path):
    folder = tmp_path / "regio"
    folder.mkdir()
    gdf([box(0, 0, 1, 1)]).to_file(folder / "c.gpkg")
    (tmp_path / "link").symlink_to(folder)
    entry = LayerEntry(source="c.gpkg")
    assert fingerprint("cores", entry, tmp_path / "link") == fingerprint("cores", entry, folder)


@pytest.mark.parametrize("ext", [".gpkg", ".geojson", ".parquet", "covered.parquet", ".csv"])
def test_a_box_reads_the_features_that_meet_it_in_the_layers_order(tmp_path, ext):
    points = [Point(100 * i, 0) for i in (5, 1, 9, 3, 7)]  # not in x order: order is the file's
    layer = gdf(points, id=["e", "a", "i", "c", "g"])
    path = tmp_path / f"p{ext}"
    entry = LayerEntry(source=path.name)
    if ext == ".csv":
        path.write_text("id;x;y\n" + "".join(f"{i};{p.x};{p.y}\n" for i, p in zip(
            layer["id"], points, strict=True)))
        entry = LayerEntry(source=path.name, x_field="x", y_field="y", crs="EPSG:28992")
    elif ext.endswith("parquet"):
        layer.to_parquet(path, write_covering_bbox=ext.startswith("covered"))
    elif ext == ".geojson":
        layer.to_crs(4326).to_file(path)  # another CRS: the box is turned into it
    else:
        layer.to_file(path)
    got, report = load_layer("stops", entry, tmp_path, bbox=(250, -10, 750, 10))
    assert got["id"].tolist() == ["e", "c", "g"]
    assert report.features == 3
    every, _ = load_layer("stops", entry, tmp_path)
    assert len(every) == 5
