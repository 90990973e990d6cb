"""The map of a scan in parts, joined from one piece per gemeente made while its part is computed.

A scan in parts holds no shapes, so a map of a gemeente would read its part's shapes and work
out where each site is drawn at the first visit: 0.5-1 s for 130,000 candidates, every time
the app starts. Instead, while a part is computed and its shapes are at hand (the ``after`` of
:func:`locscan.measures.compute_in_parts`), every gemeente of it gets a *piece*: the arrays of
the map's files (:func:`locscan.maps.sitearrays.sites` and
:func:`locscan.maps.sitearrays.outlines`) for its candidates, in their order,
kept in the part's cache beside its measures and keyed as they are. A map of a gemeente, a
subregio or any set of gemeenten is then joined from their pieces (:func:`write_joined`,
:func:`write_joined_outlines`) without reading a shape; a single piece gives the very files
:func:`locscan.maps.regionfiles.write_region` writes for the same candidates.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from locscan.atomic import write_bytes
from locscan.maps.regionfiles import (
    MapFiles,
    _digest,
    candidates_key,
    ids_json,
    map_files,
    write_outline_arrays,
    write_sites,
)
from locscan.maps.sitearrays import outlines, sites
from locscan.measures.parts import part_shapes
from locscan.region import Region

__all__ = ["Piece", "join", "join_outlines", "piece", "piece_path", "read_piece",
           "write_joined", "write_joined_outlines", "write_part_pieces"]

#: the pieces' file format; part of their names, so a changed format is written again
_FORMAT = "2"
_SITES = ("points", "order", "tiles", "boxes")
_OUTLINES = ("rings", "starts", "owners")


@dataclass(frozen=True, eq=False)
class Piece:
    """
    The map's arrays of one gemeente's candidates, in the scan's order of them.

    Attributes
    ----------
    code
        The gemeente's CBS code.
    key
        Digest of the candidates' ids and shapes (:func:`locscan.maps.regionfiles.candidates_key`).
    points, order, tiles, boxes
        As in :class:`locscan.maps.regionfiles.MapFiles`, for these candidates alone.
    outlines
        Their ``rings``, ``starts`` and ``owners`` (stored positions of this piece), or None
        when not read (:func:`read_piece`).
    """

    code: str
    key: str
    points: np.ndarray
    order: np.ndarray
    tiles: np.ndarray
    boxes: np.ndarray
    outlines: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    @property
    def count(self) -> int:
        """The number of candidates."""
        return len(self.order)


def piece(code: str, candidates: gpd.GeoDataFrame, *, with_outlines: bool = True) -> Piece:
    """The piece of gemeente `code`, of its candidates (with shapes, in the scan's order)."""
    geoms = candidates.geometry.to_numpy()
    arrays = sites(geoms, candidates.crs)
    return Piece(code, candidates_key(ids_json(candidates.index), geoms), *arrays,
                 outlines=outlines(geoms[arrays[1]], candidates.crs) if with_outlines
                 else None)


def piece_path(region: Region, part: str, content: str) -> Path:
    """Where the pieces of the part `part`, whose candidates have digest `content`, are kept."""
    return region.cache_dir / "parts" / part / f"kaart-{content}-v{_FORMAT}.npz"


def write_part_pieces(region: Region, part) -> None:
    """
    Write the pieces of every gemeente of `part` into its cache, unless they are there.

    `part` is a :class:`locscan.measures.parts.Part`: this is the ``after`` of
    :func:`locscan.measures.compute_in_parts`, run where the part was computed; its shapes
    are read from the part's cache only when its pieces are not there.
    One file per part, written whole or not at all.
    """
    if not part.content or not len(part.candidates):
        return
    path = piece_path(region, part.name, part.content)
    if path.exists():
        return
    cands = part_shapes(region, part)
    if cands is None:  # the part's cache changed since it was measured: nothing to draw from
        return
    codes = cands["gemeente_code"].astype(str).to_numpy()
    arrays = {}
    for code in part.codes:
        made = piece(code, cands[codes == code])
        arrays[f"{code}.key"] = np.frombuffer(made.key.encode(), dtype=np.uint8)
        arrays |= {f"{code}.{name}": data for name, data in zip(
            _SITES + _OUTLINES, (made.points, made.order, made.tiles, made.boxes,
                                 *made.outlines), strict=True)}
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes(path, buffer.getvalue())


def read_piece(path: Path, code: str, *, with_outlines: bool = False) -> Piece | None:
    """
    The piece of gemeente `code` from a part's file (:func:`piece_path`).

    Its outlines too `with_outlines` (several times the rest). None when the file or the
    piece is not there or cannot be read: it is then made again from the shapes.
    """
    try:
        with path.open("rb") as file, np.load(file) as npz:
            return Piece(code, npz[f"{code}.key"].tobytes().decode(),
                         *(npz[f"{code}.{name}"] for name in _SITES),
                         outlines=tuple(npz[f"{code}.{name}"] for name in _OUTLINES)
                         if with_outlines else None)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return None


def join(pieces: list[Piece]) -> tuple[str, tuple[np.ndarray, ...]]:
    """
    The key and the map's arrays of the candidates of `pieces`, one piece after the other.

    One piece is its own key and arrays; several keep their own tiles (a tile on a border
    between two gemeenten is two tiles: the browser draws or skips each).

    Examples
    --------
    >>> one = Piece("GM1", "a", np.zeros((2, 2), "<f4"), np.array([1, 0], "<u4"),
    ...             np.array([0, 2], "<u4"), np.zeros((1, 4), "<f4"))
    >>> two = Piece("GM2", "b", np.ones((1, 2), "<f4"), np.array([0], "<u4"),
    ...             np.array([0, 1], "<u4"), np.ones((1, 4), "<f4"))
    >>> key, (points, order, tiles, boxes) = join([one, two])
    >>> order.tolist(), tiles.tolist(), len(boxes)
    ([1, 0, 2], [0, 2, 3], 2)
    """
    if len(pieces) == 1:
        p = pieces[0]
        return p.key, (p.points, p.order, p.tiles, p.boxes)
    if not pieces:
        raise ValueError("a map needs at least one piece")
    key = _digest(*(p.key.encode() for p in pieces))
    counts = [p.count for p in pieces]
    return key, (np.concatenate([p.points for p in pieces]).astype("<f4"),
                 _shifted([p.order for p in pieces], counts),
                 _shifted([p.tiles for p in pieces], counts, starts=True),
                 np.concatenate([p.boxes for p in pieces]).astype("<f4"))


def _shifted(arrays: list[np.ndarray], sizes: list[int], *, starts: bool = False
             ) -> np.ndarray:
    """
    Positions of several pieces as one ``uint32`` array: each shifted by the `sizes` before it.

    With `starts`, each array is a list of starts ending with its total (tiles, outlines),
    and the joined one ends with the sum of `sizes`.

    Examples
    --------
    >>> _shifted([np.array([1, 0]), np.array([0])], [2, 1]).tolist()
    [1, 0, 2]
    >>> _shifted([np.array([0, 2]), np.array([0, 1])], [2, 1], starts=True).tolist()
    [0, 2, 3]
    """
    at = np.cumsum([0, *sizes])
    shifted = [a[:-1] if starts else a for a in arrays]
    joined = np.concatenate([a.astype(np.int64) + first
                             for a, first in zip(shifted, at[:-1], strict=True)]
                            + ([at[-1:]] if starts else []))
    return joined.astype("<u4")


def join_outlines(pieces: list[Piece]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """
    The outline arrays of the candidates of `pieces`, joined as :func:`join` joins the rest.

    The pieces must have been read with their outlines.

    Examples
    --------
    >>> one = Piece("GM1", "a", np.zeros((2, 2)), np.array([1, 0]), np.array([0, 2]),
    ...             np.zeros((1, 4)), outlines=(np.zeros((4, 2), "<f4"), np.array([0, 4], "<u4"),
    ...                                         np.array([1], "<u4")))
    >>> two = Piece("GM2", "b", np.zeros((1, 2)), np.array([0]), np.array([0, 1]),
    ...             np.zeros((1, 4)), outlines=(np.ones((3, 2), "<f4"), np.array([0, 3], "<u4"),
    ...                                         np.array([0], "<u4")))
    >>> rings, starts, owners = join_outlines([one, two])
    >>> len(rings), starts.tolist(), owners.tolist()
    (7, [0, 4, 7], [1, 2])
    """
    if len(pieces) == 1:
        return pieces[0].outlines
    return (np.concatenate([p.outlines[0] for p in pieces]).astype("<f4"),
            _shifted([p.outlines[1] for p in pieces], [len(p.outlines[0]) for p in pieces],
                     starts=True),
            _shifted([p.outlines[2] for p in pieces], [p.count for p in pieces]))


def write_joined_outlines(pieces: list[Piece], files: MapFiles, folder: str | Path) -> None:
    """Write the outlines of the map files `files` of `pieces` (:func:`write_joined`)."""
    write_outline_arrays(files, join_outlines(pieces), folder)


def write_joined(pieces: list[Piece], ids: pd.Index, context: str,
                 folder: str | Path) -> MapFiles:
    """
    Write the map files of the candidates of `pieces` into `folder`, unless they are there.

    Parameters
    ----------
    pieces
        One per gemeente, in the order their candidates are in `ids`.
    ids
        The candidates' ids, piece after piece.
    context
        The name of the context layers' file (written once per region, see
        :func:`locscan.maps.regionfiles.write_context`).
    folder
        Where the app serves the files from.

    Returns
    -------
    MapFiles
        Their names; the outlines are not written (:func:`locscan.maps.regionfiles.write_outlines`).
    """
    key, arrays = join(pieces)
    if len(arrays[1]) != len(ids):
        raise ValueError(f"{len(ids)} ids for {len(arrays[1])} candidates")
    folder = Path(folder)
    files = map_files(key, len(ids), context)
    if all((folder / name).exists() for name in (files.points, files.order, files.tiles,
                                                 files.boxes, files.ids)):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    write_sites(files, arrays, folder)
    write_bytes(folder / files.ids, ids_json(ids))
    return files
