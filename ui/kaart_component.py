"""The app's WebGL map as a Streamlit component: geometry once per region, classes per change.

The component (``ui/kaart/``: plain HTML and JavaScript on deck.gl from ``static/vendor``, no
CDN) reads the region's binary map files from Streamlit's static file serving, and the classes
and scores (one byte each per candidate) from a file named by its content, which it fetches
only when the name changes (:mod:`locscan.maps.deck`). A click returns the candidate's
position in ``Scan.candidates``.
"""

from __future__ import annotations

import logging
import threading
import weakref
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import streamlit.components.v1 as components

from locscan.errors import LocscanError
from locscan.maps import deck
from locscan.scan import Scan

#: where Streamlit serves the app's static folder, and the map files below it
STATIC = Path(__file__).resolve().parent.parent / "static"
FILES_DIR = STATIC / "kaart"
FILES_URL = "/app/static/kaart/"

_LOG = logging.getLogger(__name__)

_component = components.declare_component(
    "locscan_kaart", path=str(Path(__file__).resolve().parent / "kaart"))


#: the most candidates the map of a scan in parts draws at once (a larger selection: narrow it)
MAP_LIMIT = 400_000
#: seconds after the map's other files that its outlines are written: Streamlit serves the
#: files from this process, and a thread writing outlines meanwhile (1-2 s for a large
#: gemeente) slowed their download several-fold (1.5 s for 0.7 MB)
OUTLINE_DELAY_S = 2.0
#: how many selections' map files of a scan in parts are remembered
_KEEP = 8

_FILES: weakref.WeakKeyDictionary[Scan, dict[tuple, Drawn]] = weakref.WeakKeyDictionary()
_FILES_LOCK = threading.Lock()


@dataclass(frozen=True)
class Drawn:
    """
    The map files of a selection and its candidates.

    Attributes
    ----------
    files
        The files' names (:class:`locscan.maps.deck.MapFiles`).
    rows
        Each candidate's position in ``Scan.candidates``, in the files' order.
    ids
        Their ids, in the same order.
    """

    files: deck.MapFiles
    rows: np.ndarray
    ids: pd.Index


def region_files(scan: Scan, focus: list[str]) -> Drawn | None:
    """
    The map files of the candidates the map draws (:meth:`locscan.scan.Scan.write_map`).

    A scan that holds its shapes writes the whole region once (another selection only zooms);
    a scan in parts writes the gemeenten `focus`, or returns None when they hold more than
    :data:`MAP_LIMIT` candidates. Remembered per Scan object (not per folder), so a region
    opened again after its layers changed gets files of its new candidates. The outlines are
    written :data:`OUTLINE_DELAY_S` later, on the other core: the map does not wait for them
    (it asks again until they are there).
    """
    key = () if scan.shapes.held else tuple(focus)
    with _FILES_LOCK:
        known = _FILES.setdefault(scan, {})
        if key not in known:
            written = scan.write_map(FILES_DIR, focus, limit=MAP_LIMIT)
            if written is None:
                return None
            files, rows = written
            later = threading.Timer(OUTLINE_DELAY_S, _write_outlines,
                                    args=(scan, files, rows, focus))
            later.name, later.daemon = f"omtrekken-{files.key}", True
            later.start()
            known[key] = Drawn(files, rows, scan.candidates.index[rows])
            while len(known) > _KEEP:
                known.pop(next(iter(known)))
        return known[key]


def _write_outlines(scan: Scan, files: deck.MapFiles, rows: np.ndarray,
                    focus: list[str]) -> None:
    """
    Write the outlines of a map (in a thread of its own).

    When they cannot be written (the region's files changed or went away since the scan was
    opened) that is logged; the map, which asks for them for a minute, then says so.
    """
    try:
        scan.write_map_outlines(files, rows, FILES_DIR, focus)
    except (LocscanError, OSError) as exc:
        _LOG.warning("de vlakken van kaart %s zijn niet geschreven: %s", files.key, exc)


def prepare(scan: Scan) -> None:
    """
    Write the region's context file for the map now.

    For a scan in parts, whose map files are written per gemeente, the first gemeente chosen
    then does not wait for it.
    """
    if not scan.shapes.held:
        scan.write_map_context(FILES_DIR)


def kaart(
    files: deck.MapFiles,
    codes: np.ndarray,
    scores: np.ndarray,
    *,
    shortlist: list[int],
    selected: int | None,
    bounds: list[float] | None,
    view_key: str,
    tiles: bool,
    legend: list[tuple[str, str, str]],
    note: str = "",
    reach: dict | None = None,
    key: str = "kaart",
) -> dict | None:
    """
    Draw the map; returns the last click (``{"index": position, ...}``) or None.

    Parameters
    ----------
    files
        From :func:`region_files`.
    codes, scores
        :func:`locscan.maps.deck.status_codes` and :func:`locscan.maps.deck.scores`.
    shortlist
        Positions of the shortlisted candidates.
    selected
        Position of the chosen candidate, drawn with a black ring.
    bounds, view_key
        Where to zoom to; the map zooms again only when `view_key` changes, so a change of a
        threshold keeps the user's view.
    tiles
        Draw OpenStreetMap tiles (online); the map says so when they cannot be reached.
    legend
        :func:`locscan.maps.deck.legend`.
    note
        A line under the legend.
    reach
        GeoJSON of the zone around the work sites (:func:`locscan.maps.deck.reach_geojson`).
    """
    palette = [[0, 0, 0, 0]] * (max(deck.CLASSES) + 1)
    labels = [""] * (max(deck.CLASSES) + 1)
    for code, (rgba, label) in deck.CLASSES.items():
        palette[code], labels[code] = list(rgba), label
    return _component(
        base=FILES_URL, files=asdict(files),
        classes=deck.write_classes(codes, scores, FILES_DIR),
        palette=palette, labels=labels, context_style=deck.context_draw(),
        shortlist=[int(i) for i in shortlist],
        selected=None if selected is None else int(selected), bounds=bounds,
        view_key=view_key, tiles=bool(tiles), legend=[list(row) for row in legend], note=note,
        reach=reach,
        key=key, default=None,
    )


def positions(index: pd.Index, ids: object) -> list[int]:
    """
    Positions in `index` of the given candidate ids (unknown ids are left out).

    Examples
    --------
    >>> positions(pd.Index(["a", "b", "c"]), ["c", "x", "a"])
    [2, 0]
    """
    found = index.get_indexer(pd.Index(list(ids)))
    return [int(i) for i in found if i >= 0]
