"""What a region folder holds: each layer's source, retrieval time, count, licence and state."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import pandas as pd
import pyogrio

from locscan import config, nl, settings
from locscan.errors import LayerError
from locscan.pull.sources import PROVENANCE_FILE, SOURCES_FILE, load_sources, origin
from locscan.pull.staging import staging_dir

__all__ = [
    "STATUS_COLUMNS",
    "status",
    "status_table",
]


def feature_count(path: Path, layer: str | None) -> int | None:
    """Feature count of a layer file that has no provenance record (e.g. a region's own)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            count = int(pyogrio.read_info(path, layer=layer)["features"])
    except Exception:  # a file GDAL cannot read: loading it will say why
        return None
    return count if count >= 0 else None  # -1: the format does not know without reading all


def status(folder: str | os.PathLike) -> pd.DataFrame:
    """
    What is cached in a region folder, from where, when, under which licence.

    Returns
    -------
    DataFrame
        One row per layer in ``sources.yaml`` or ``layers.yaml``: ``source``, ``retrieved``,
        ``features``, ``license``, ``attribution``, ``file`` and ``state`` (``aanwezig``,
        ``ontbreekt`` or ``onderbroken``: tiles of an interrupted pull are waiting) and
        ``description``.
    """
    folder = Path(folder)
    sources = load_sources(folder) if (folder / SOURCES_FILE).is_file() else None
    catalogue = config.read(folder / settings.catalogue_file, what="layer catalogue",
                            error=LayerError)[0] if (
        folder / settings.catalogue_file).is_file() else {"layers": {}}
    provenance = json.loads((folder / PROVENANCE_FILE).read_text()) if (
        folder / PROVENANCE_FILE).is_file() else {}
    names = list(dict.fromkeys([*(sources.sources if sources else {}),
                                *(catalogue or {}).get("layers", {})]))
    rows = []
    for name in names:
        entry = (catalogue or {}).get("layers", {}).get(name, {})
        src = sources.sources.get(name) if sources else None
        rec = provenance.get(name, {})
        file = folder / entry["source"] if entry.get("source") else None
        waiting = len(list(staging_dir(folder, name).glob("tile-*.parquet")))
        state = "aanwezig" if file is not None and file.exists() else "ontbreekt"
        if state == "ontbreekt" and src is not None and src.kind == "manual":
            state = "ontbreekt (geen open bron: lever een eigen laag aan)"
        if waiting:
            state = f"onderbroken ({waiting} tegels klaar)"
        features = rec.get("features")
        if features is None and state == "aanwezig":
            features = feature_count(file, entry.get("layer"))
        rows.append({
            "layer": name,
            "source": origin(src) if src else entry.get("source", ""),
            "retrieved": rec.get("retrieved", ""),
            "features": features,
            "license": rec.get("license") or (src.license if src else entry.get("license", "")),
            "attribution": rec.get("attribution") or (src.attribution if src else
                                                      entry.get("attribution", "")),
            "state": state,
            "description": (src.description if src else "") or entry.get("description", ""),
        })
    return pd.DataFrame(rows).set_index("layer") if rows else pd.DataFrame()


#: Dutch column names of :func:`status_table`.
STATUS_COLUMNS = nl.STATUS_COLUMNS


def status_table(folder: str | os.PathLike) -> pd.DataFrame:
    """
    :func:`status` for people: Dutch column names, the layer as a column, empty cells blank.

    Examples
    --------
    >>> import tempfile
    >>> status_table(tempfile.mkdtemp()).empty
    True
    """
    table = status(folder)
    if table.empty:
        return table
    out = table.reset_index().rename(columns=STATUS_COLUMNS)
    out["objecten"] = out["objecten"].astype("Int64")
    return out.fillna({c: "" for c in out.columns if c != "objecten"})
