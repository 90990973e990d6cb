"""The map of a scan in parts from one piece per gemeente: hand-checkable cases."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from locscan.maps import pieces, regionfiles
from locscan.measures import Part

CRS = "EPSG:28992"


def _cands(codes: list[str], xs: list[float]) -> gpd.GeoDataFrame:
    """Squares of 10 m at x = `xs` (RD New, near Utrecht), in the gemeenten `codes`."""
    return gpd.GeoDataFrame(
        {"gemeente_code": codes},
        geometry=[box(x, 455_000, x + 10, 455_010) for x in xs], crs=CRS,
        index=pd.Index([f"p{i}" for i in range(len(xs))], name="candidate_id"))


class _Region:
    """Only what the pieces ask of a region: where its cache is."""

    def __init__(self, folder):
        self.cache_dir = folder


def test_a_part_leaves_a_piece_per_gemeente_that_reads_back(tmp_path):
    # GM2's candidates lie in two tiles of 2 km, west to east: drawn tile by tile
    cands = _cands(["GM1", "GM2", "GM2", "GM1"], [140_000, 144_500, 140_500, 141_000])
    part = Part("tegel-4-15", ["GM1", "GM2", "GM3"], cands, pd.DataFrame(index=cands.index),
                content="abc")
    region = _Region(tmp_path)
    pieces.write_part_pieces(region, part)
    path = pieces.piece_path(region, "tegel-4-15", "abc")
    assert path.is_file()
    two = pieces.read_piece(path, "GM2")
    assert two.count == 2
    assert two.order.tolist() == [1, 0]  # p2 (x 140,500) in the first tile, p1 after
    assert two.tiles.tolist() == [0, 1, 2]
    fresh = pieces.piece("GM2", cands.iloc[[1, 2]])
    assert two.key == fresh.key
    for name in ("points", "order", "tiles", "boxes"):
        np.testing.assert_array_equal(getattr(two, name), getattr(fresh, name))
    # a gemeente of the part without candidates has an empty piece; one not in it, none
    assert pieces.read_piece(path, "GM3").count == 0
    assert pieces.read_piece(path, "GM9") is None
    # written once: a second part with the same digest leaves the file alone
    stamp = path.stat().st_mtime_ns
    pieces.write_part_pieces(region, part)
    assert path.stat().st_mtime_ns == stamp


def test_a_damaged_or_missing_piece_file_reads_as_none(tmp_path):
    assert pieces.read_piece(tmp_path / "er-niet.npz", "GM1") is None
    (tmp_path / "kapot.npz").write_bytes(b"PK\x03\x04 half")
    assert pieces.read_piece(tmp_path / "kapot.npz", "GM1") is None


def test_one_piece_gives_the_files_of_its_candidates_with_their_shapes(tmp_path):
    cands = _cands(["GM1"] * 3, [150_000, 140_000, 140_020])
    made = pieces.piece("GM1", cands)
    files = pieces.write_joined([made], cands.index, "c.context.json", tmp_path / "stukken")
    same = regionfiles.write_region(cands, {}, _meta(), tmp_path / "vormen", outlines=False)
    assert files.key == same.key
    for name in ("points", "order", "tiles", "boxes", "ids"):
        assert ((tmp_path / "stukken" / getattr(files, name)).read_bytes()
                == (tmp_path / "vormen" / getattr(same, name)).read_bytes())


def test_joined_pieces_keep_each_candidate_at_its_point(tmp_path):
    a = _cands(["GM1", "GM1"], [140_000, 150_000])
    b = _cands(["GM2"], [140_100]).rename(index={"p0": "q0"})
    files = pieces.write_joined([pieces.piece("GM1", a), pieces.piece("GM2", b)],
                                a.index.append(b.index), "c.context.json", tmp_path)
    order = np.fromfile(tmp_path / files.order, dtype="<u4")
    tiles = np.fromfile(tmp_path / files.tiles, dtype="<u4")
    assert order.tolist() == [0, 1, 2]  # GM1 west to east, then GM2's one
    assert tiles.tolist() == [0, 1, 2, 3]  # q0 shares p0's tile, but in its own piece
    assert files.count == 3


def test_ids_must_match_the_pieces(tmp_path):
    a = _cands(["GM1", "GM1"], [140_000, 150_000])
    with pytest.raises(ValueError, match="1 ids for 2 candidates"):
        pieces.write_joined([pieces.piece("GM1", a)], a.index[:1], "c", tmp_path)
    with pytest.raises(ValueError, match="at least one piece"):
        pieces.join([])


def _meta():
    from locscan.region import RegionMeta

    return RegionMeta(name="t", label="T", subregios={}, municipalities=[])

