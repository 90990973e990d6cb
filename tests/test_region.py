"""A region folder: its layers, loaded once, and the cache key of its candidates."""

from __future__ import annotations

import pytest
import yaml
from _toy import REGION, write_region

from locscan.errors import LayerError, RegionError
from locscan.region import Region, open_region


def test_region_loads_layers_once_and_names_unknown_layers(toy_region):
    region = Region(toy_region)
    first = region.layer("parcels")
    assert region.layer("parcels") is first
    assert region.reports["parcels"].features == 5
    assert region.layers_with_role("zoning") == ["zoning"]
    with pytest.raises(LayerError, match="layer 'stops' is not in the catalogue"):
        region.layer("stops")


def test_open_region_says_how_to_build_the_demo(tmp_path):
    with pytest.raises(RegionError, match="locscan demo build"):
        open_region(tmp_path / "demo")


def test_sources_outside_the_region_folder_are_refused_unless_allowed(toy_region, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (toy_region / "toy.gpkg").rename(other / "toy.gpkg")
    cat = yaml.safe_load((toy_region / "layers.yaml").read_text())
    for entry in cat["layers"].values():
        entry["source"] = "../other/toy.gpkg"
    (toy_region / "layers.yaml").write_text(yaml.safe_dump(cat))
    with pytest.raises(LayerError, match=r"sources outside the region folder: cores "
                                         r"\(\.\./other/toy\.gpkg\)"):
        Region(toy_region)
    cat["allow_outside"] = True
    (toy_region / "layers.yaml").write_text(yaml.safe_dump(cat))
    assert len(Region(toy_region).layer("parcels")) > 0


def test_a_layer_far_from_the_region_is_an_error_that_suggests_its_crs(toy_region):
    import geopandas as gpd

    parking = gpd.read_file(toy_region / "toy.gpkg", layer="parking")
    parking = parking.set_geometry(parking.translate(150_000, 450_000))  # RD-like, wrong place
    parking.to_file(toy_region / "toy.gpkg", layer="parking", driver="GPKG")
    with pytest.raises(LayerError, match=r"layer 'parking' .*none of its 3 features lies in or "
                                         r"near the region .*Is its CRS right\?"):
        Region(toy_region).layer("parking")


def test_the_candidates_cache_key_follows_the_gemeenten_not_every_edit(tmp_path):
    folder = write_region(tmp_path / "toy")
    first = Region(folder).meta_fingerprint
    path = folder / "region.yaml"
    meta = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text("# a comment\n" + yaml.safe_dump(meta | {"in_parts": True}),
                    encoding="utf-8")
    assert Region(folder).meta_fingerprint == first  # the candidates do not change
    meta["municipalities"][0]["subregio"] = REGION["municipalities"][1]["subregio"]
    path.write_text(yaml.safe_dump(meta), encoding="utf-8")
    assert Region(folder).meta_fingerprint != first  # a gemeente in another subregio
