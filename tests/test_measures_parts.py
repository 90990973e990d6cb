"""One part of a scan: the candidates of a few gemeenten, and their measures."""

from __future__ import annotations

import shutil

import geopandas as gpd
import pandas as pd
import pytest
from _parts import GMR, quiet

from locscan import criteria
from locscan.measures import parts
from locscan.measures.parts import measure_part, part_candidates, part_groups
from locscan.region import Region


def test_a_part_holds_the_candidates_whose_point_lies_in_its_gemeente(small_demo,
                                                                      demo_measures):
    _, cands, _ = demo_measures
    region = Region(small_demo)
    code = region.meta.municipalities[0].code
    part = part_candidates(region, [code])
    assert sorted(part.index) == sorted(cands.index[cands["gemeente_code"] == code])
    # a parcel across the border is read by both parts' boxes, and kept by one
    assert len(part) > 0


def test_a_part_without_candidates_is_empty_not_an_error(small_demo):
    region = Region(small_demo)
    specs = criteria.load(GMR).used_measures()
    code = region.meta.municipalities[0].code
    region.meta.municipalities[0] = region.meta.municipalities[0].model_copy(
        update={"code": "GM9999"})  # a gemeente of the metadata that no parcel lies in
    part = quiet(measure_part, region, specs, "GM9999", ["GM9999"], cache=False)
    assert len(part.candidates) == 0
    assert len(part.measures) == 0
    assert code != "GM9999"


def test_tiles_group_every_gemeente_once(small_demo):
    region = Region(small_demo)
    codes = [m.code for m in region.meta.municipalities]
    assert part_groups(region, None) == {c: [c] for c in codes}
    tiles = part_groups(region, 20_000)
    assert sorted(c for group in tiles.values() for c in group) == sorted(codes)
    assert all(name.startswith("tegel-") for name in tiles)
    assert len(part_groups(region, 1_000_000)) == 1  # one tile holds the whole region


@pytest.fixture
def measured_once(small_demo, tmp_path):
    """A copy of the demo whose first gemeente was measured once, with the cache: its
    folder, the measures, the gemeente's code and the part."""
    folder = tmp_path / "demo"
    shutil.copytree(small_demo, folder, ignore=shutil.ignore_patterns(".locscan-cache"))
    specs = criteria.load(GMR).used_measures()
    code = Region(folder).meta.municipalities[0].code
    return folder, specs, code, quiet(measure_part, Region(folder), specs, code, [code],
                                      cache=True)


def test_a_cached_part_reads_its_content_key_and_does_not_hash_it_again(measured_once,
                                                                       monkeypatch):
    folder, specs, code, first = measured_once
    [kept] = (Region(folder).cache_dir / "parts" / code).glob("candidates-*.content")
    assert kept.read_text() == first.content == parts._content_key(first.candidates)

    def no_hashing(cands):
        raise AssertionError("the content key was hashed again")

    monkeypatch.setattr(parts, "_content_key", no_hashing)
    again = quiet(measure_part, Region(folder), specs, code, [code], cache=True)
    assert again.content == first.content
    assert again.from_cache == [s.name for s in specs]


@pytest.mark.parametrize("kept", ["", "not a key\n", "\xff\xfe"])
def test_a_missing_or_damaged_content_key_is_hashed_again_and_kept(measured_once, kept):
    folder, specs, code, first = measured_once
    [path] = (Region(folder).cache_dir / "parts" / code).glob("candidates-*.content")
    if kept:
        path.write_bytes(kept.encode("latin-1"))
    else:
        path.unlink()  # a cache written before the keys were kept
    again = quiet(measure_part, Region(folder), specs, code, [code], cache=True)
    assert again.content == first.content
    assert again.from_cache == [s.name for s in specs]
    assert path.read_text() == first.content


def test_a_cached_part_without_shapes_holds_the_same_and_reads_its_shapes_when_asked(
        measured_once):
    folder, specs, code, whole = measured_once
    region = Region(folder)
    light = quiet(measure_part, region, specs, code, [code], cache=True, shapes=False)
    assert not isinstance(light.candidates, gpd.GeoDataFrame)
    assert light.from_cache == [s.name for s in specs]
    pd.testing.assert_frame_equal(light.measures, whole.measures)
    pd.testing.assert_frame_equal(light.candidates,
                                  pd.DataFrame(whole.candidates).drop(columns="geometry"))
    shapes = parts.part_shapes(region, light)
    assert shapes.geometry.geom_equals_exact(whole.candidates.geometry, 0).all()
    assert parts.part_shapes(region, whole) is whole.candidates
    light.content = "0" * 20  # the cache holds other candidates than the part was made of
    assert parts.part_shapes(region, light) is None


def test_a_part_with_a_measure_to_compute_reads_its_shapes_even_when_not_asked(measured_once):
    folder, specs, code, whole = measured_once
    region = Region(folder)
    [gone] = (region.cache_dir / "parts" / code).glob(f"measure-{specs[0].name}-*.parquet")
    gone.unlink()
    again = quiet(measure_part, region, specs, code, [code], cache=True, shapes=False)
    assert isinstance(again.candidates, gpd.GeoDataFrame)
    assert again.from_cache == [s.name for s in specs[1:]]
    pd.testing.assert_frame_equal(again.measures, whole.measures)
