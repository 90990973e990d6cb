"""The WebGL map's classes: what changes with the criteria, one file named by its content.

One byte per candidate for its class and one for its score, in the order of the map's
candidates (:mod:`locscan.maps.regionfiles` writes the geometry, once per region). Files no
one asked for during :data:`CLASSES_KEEP_S` are removed when a new one is written.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np

from locscan.atomic import write_bytes
from locscan.maps.regionfiles import _digest

__all__ = ["CLASSES_KEEP_S", "write_classes"]

#: how long a file of classes stays after it was last written or asked for, in seconds
CLASSES_KEEP_S = 3600.0
_CLASSES = ".classes.bin"


def write_classes(codes: np.ndarray, scores: np.ndarray, folder: str | Path,
                  *, now: float | None = None) -> str:
    """
    Write a map's classes and scores into `folder` as one file named by its content.

    The browser fetches the file only when the name changes (a threshold that changes
    classes), so a rerun that changes none of them (a click, another tab) sends a name, not
    two bytes per candidate. Files not written or asked for during :data:`CLASSES_KEEP_S`
    are removed when a new one is written.

    Parameters
    ----------
    codes, scores
        One byte per candidate each (:func:`locscan.maps.deck.status_codes`,
        :func:`locscan.maps.deck.scores`), in the order of the map's candidates.
    folder
        Where the app serves the map files from.
    now
        The time to keep files by (seconds since the epoch; default: now).

    Returns
    -------
    str
        The file's name: the codes, then the scores.
    """
    codes = np.ascontiguousarray(codes, dtype=np.uint8)
    scores = np.ascontiguousarray(scores, dtype=np.uint8)
    if len(codes) != len(scores):
        raise ValueError(f"{len(codes)} classes but {len(scores)} scores")
    data = codes.tobytes() + scores.tobytes()
    name = f"{_digest(data)}{_CLASSES}"
    folder = Path(folder)
    now = time.time() if now is None else now
    try:
        os.utime(folder / name, (now, now))   # asked for again: kept longer
    except FileNotFoundError:
        folder.mkdir(parents=True, exist_ok=True)
        write_bytes(folder / name, data)
        os.utime(folder / name, (now, now))
        _prune_classes(folder, keep=name, before=now - CLASSES_KEEP_S)
    return name


def _prune_classes(folder: Path, keep: str, before: float) -> None:
    """Remove the files of classes in `folder` last used before `before`, except `keep`."""
    for path in folder.glob(f"*{_CLASSES}"):
        try:
            if path.name != keep and path.stat().st_mtime < before:
                path.unlink()
        except FileNotFoundError:   # another app process removed it first
            pass
