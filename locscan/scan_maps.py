"""The WebGL map's files of a :class:`locscan.scan.Scan`: its candidates, where each is drawn.

A part of the Scan (a base class of it), kept apart because the scan grew past what one file
should hold. A scan that holds its shapes writes the map of the whole region once (another
selection only zooms). A scan in parts writes the map of the gemeenten chosen, joined from the
pieces its parts left in the cache when they were computed (:mod:`locscan.maps.pieces`):
choosing a gemeente then reads no shape. The outlines, drawn from street zoom on, come after
(:meth:`ScanMaps.write_map_outlines`).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from locscan.maps import pieces, regionfiles
from locscan.measures.parts import Part

__all__ = ["ScanMaps"]


class ScanMaps:
    """The map files of a scan; see :class:`locscan.scan.Scan`, which is one."""

    def _start_maps(self) -> None:
        """Set up the map's state; called first thing by the Scan."""
        self._map_lock = threading.Lock()
        self._contents: dict[str, str] = {}  # part name -> digest of its candidates
        self._rows: dict[str, np.ndarray] | None = None
        self._context_names: dict[Path, str] = {}

    def _part_done(self, part: Part) -> None:
        """Remember the digest of a part's candidates: its pieces in the cache are keyed so."""
        self._contents[part.name] = part.content

    def map_rows(self, codes: Iterable[str] | None = None) -> np.ndarray:
        """
        The positions in ``candidates`` of the candidates of the gemeenten `codes`.

        All gemeenten when `codes` is None; gemeente after gemeente in the order of `codes`,
        each gemeente's candidates in the scan's order.
        """
        if self._rows is None:
            with self._map_lock:
                if self._rows is None:  # once: one pass over millions of rows
                    column = self.candidates["gemeente_code"].astype("category")
                    found = column.groupby(column, observed=True, sort=False).indices
                    self._rows = {str(code): np.asarray(at, dtype=np.int64)
                                  for code, at in found.items()}
        codes = list(self.meta.codes()) if codes is None else list(codes)
        empty = np.empty(0, dtype=np.int64)
        return np.concatenate([empty, *(self._rows.get(str(c), empty) for c in codes)])

    def write_map_context(self, folder: str | Path) -> str:
        """The map's context layers' file in `folder`, written once per folder; its name."""
        folder = Path(folder)
        if folder not in self._context_names:
            self._context_names[folder] = regionfiles.write_context(self.context(), self.meta,
                                                                    folder)
        return self._context_names[folder]

    def write_map(self, folder: str | Path, codes: Iterable[str] | None = None, *,
                  limit: int | None = None) -> tuple[regionfiles.MapFiles, np.ndarray] | None:
        """
        Write the map files of the gemeenten `codes` into `folder`, but the outlines.

        A scan that holds its shapes writes the whole region (whatever `codes`); a scan in
        parts writes the candidates of `codes` (all when None), or nothing when there are more
        than `limit`.

        Returns
        -------
        (MapFiles, ndarray) or None
            The files' names and, for each candidate in the files, its position in
            ``candidates``; None when the selection holds more than `limit` candidates.
        """
        folder = Path(folder)
        if self.shapes.held:
            files = regionfiles.write_region(self.candidates, self.context(), self.meta,
                                             folder, outlines=False)
            return files, np.arange(len(self.candidates))
        codes = list(self.meta.codes()) if codes is None else list(codes)
        rows = self.map_rows(codes)
        if limit is not None and len(rows) > limit:
            return None
        parts = [self._piece(code) for code in codes]
        files = pieces.write_joined(parts, self.candidates.index[rows],
                                    self.write_map_context(folder), folder)
        return files, rows

    def _piece(self, code: str, *, with_outlines: bool = False) -> pieces.Piece:
        """The map's piece of gemeente `code`: from its part's cache, else from the shapes."""
        rows = self.map_rows([code])
        part = self.shapes.part_of(code)
        content = self._contents.get(part, "")
        found = (pieces.read_piece(pieces.piece_path(self.region, part, content), code,
                                   with_outlines=with_outlines) if content else None)
        if found is not None and found.count == len(rows):
            return found
        return pieces.piece(code, self.with_shapes(self.candidates.iloc[rows]),
                            with_outlines=with_outlines)

    def write_map_outlines(self, files: regionfiles.MapFiles, rows: np.ndarray,
                           folder: str | Path, codes: Iterable[str] | None = None) -> None:
        """
        Write the outlines of the map files `files` (from :meth:`write_map`), unless there.

        A scan in parts joins them from the pieces of the gemeenten `codes` the files were
        written for (all when None); the shapes are read only where a piece is missing.
        """
        if not regionfiles.missing(files, folder, only_outlines=True):
            return
        if self.shapes.held:
            regionfiles.write_outlines(self.candidates, files, folder)
            return
        codes = list(self.meta.codes()) if codes is None else list(codes)
        made = [self._piece(code, with_outlines=True) for code in codes]
        if sum(p.count for p in made) != len(rows):
            raise ValueError(f"{len(rows)} rows for the {sum(p.count for p in made)} "
                             "candidates of the gemeenten")
        pieces.write_joined_outlines(made, files, folder)
