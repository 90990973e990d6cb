"""The candidates' shapes of a scan in parts, read per part, equal those of the whole scan."""

from __future__ import annotations

import pyogrio
import pytest
import shapely
from _parts import GMR, demo_with_own_parcels_file, quiet

from locscan import criteria
from locscan.errors import RegionError
from locscan.measures import compute_in_parts
from locscan.measures import shapes as shapes_module
from locscan.measures.parts import cached_part_candidates
from locscan.measures.shapes import Shapes
from locscan.region import Region


@pytest.fixture(scope="module")
def without_shapes(small_demo):
    """The small demo's candidates scanned in parts, without their shapes."""
    specs = criteria.load(GMR).used_measures()[:1]
    cands, _ = quiet(compute_in_parts, Region(small_demo), specs, cache=False, geometry=False)
    return cands


def test_shapes_read_per_part_equal_the_whole_scans(small_demo, demo_measures, without_shapes):
    _, whole, _ = demo_measures
    assert "geometry" not in without_shapes.columns
    shapes = Shapes(without_shapes, Region(small_demo), cache=False)
    assert not shapes.held
    # ids from several parts, out of order, one twice
    ids = [whole.index[-1], whole.index[0], whole.index[len(whole) // 2], whole.index[0]]
    got = shapes.of(ids)
    assert list(got.index) == ids
    assert got.crs.to_epsg() == 28992
    assert shapely.equals_exact(got.to_numpy(), whole.geometry.loc[ids].to_numpy(), 0).all()
    every = shapes.of(whole.index)
    assert shapely.equals_exact(every.to_numpy(), whole.geometry.to_numpy(), 0).all()


def test_held_shapes_are_the_tables_own(demo_measures):
    _, whole, _ = demo_measures
    shapes = Shapes(whole)
    assert shapes.held
    got = shapes.of(whole.index[[3, 1]])
    assert got.iloc[0] is whole.geometry.iloc[3]


def test_within_a_box_reads_only_the_parts_near_it_and_equals_the_held_answer(
        small_demo, demo_measures, without_shapes, monkeypatch):
    _, whole, _ = demo_measures
    x, y = shapely.get_coordinates(shapely.point_on_surface(whole.geometry.iloc[100]))[0]
    bbox = (x - 750, y - 750, x + 750, y + 750)
    held = Shapes(whole).within(bbox)
    read_parts = []

    def counted(region, name, codes, **kwargs):
        read_parts.append(name)
        return cached_part_candidates(region, name, codes, **kwargs)

    monkeypatch.setattr(shapes_module, "cached_part_candidates", counted)
    shapes = Shapes(without_shapes, Region(small_demo), cache=False, tile_m=None)
    read = shapes.within(bbox)
    assert 0 < len(held) < len(whole)
    assert sorted(read.index) == sorted(held.index)
    # one part per gemeente: only the one or few gemeenten the 1.5 km box meets are read
    assert 1 <= len(read_parts) <= 3 < len(Region(small_demo).meta.municipalities)


def test_an_unknown_id_is_named(small_demo, without_shapes):
    with pytest.raises(RegionError, match="geen locatie 'perceel:nergens'"):
        Shapes(without_shapes, Region(small_demo), cache=False).of(["perceel:nergens"])


def test_each_gemeente_is_in_the_part_the_scan_computed_it_in(small_demo, without_shapes):
    from locscan.measures.parts import part_groups

    region = Region(small_demo)
    shapes = Shapes(without_shapes, region, cache=False)
    for name, codes in part_groups(region).items():
        assert {shapes.part_of(code) for code in codes} == {name}
    with pytest.raises(RegionError, match="geen gemeente 'GM9999'"):
        shapes.part_of("GM9999")


def test_parcels_changed_since_the_scan_was_opened_say_to_open_it_again(small_demo, tmp_path):
    folder = demo_with_own_parcels_file(small_demo, tmp_path / "demo")
    specs = criteria.load(GMR).used_measures()[:1]
    cands, _ = quiet(compute_in_parts, Region(folder), specs, cache=True, geometry=False)
    gone = cands.index[cands.index.str.startswith("perceel:")][0]
    parcels = pyogrio.read_dataframe(folder / "percelen.gpkg")
    parcels = parcels[parcels["id"] != gone.split(":", 1)[1]]
    pyogrio.write_dataframe(parcels, folder / "percelen.gpkg", driver="GPKG")
    with pytest.raises(RegionError, match="veranderd sinds de scan werd geopend"):
        Shapes(cands, Region(folder), cache=True).of([gone])


def test_with_their_gemeenten_the_ids_are_not_looked_up_among_all_candidates(
        small_demo, demo_measures, without_shapes):
    _, whole, _ = demo_measures
    shapes = Shapes(without_shapes, Region(small_demo), cache=False)
    rows = without_shapes.iloc[[5, 700, 1500]]
    got = shapes.of(rows.index, rows["gemeente_code"])
    assert shapely.equals_exact(got.to_numpy(), whole.geometry.loc[rows.index].to_numpy(),
                                0).all()
    with pytest.raises(RegionError, match="geen gemeente 'GM9999'"):
        shapes.of(rows.index[:1], ["GM9999"])
