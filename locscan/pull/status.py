"""What a region folder holds: each layer's source, retrieval time, count, licence and state."""

from __future__ import annotations

import glob
import json
import os
import textwrap
import warnings
from pathlib import Path

import pandas as pd
import pyogrio

from locscan import config, nl, settings
from locscan.errors import LayerError
from locscan.nl.numbers import format_number
from locscan.pull.sources import PROVENANCE_FILE, SOURCES_FILE, load_sources, origin
from locscan.pull.staging import staging_dir

__all__ = [
    "STATUS_COLUMNS",
    "report",
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


def _files(folder: Path, source: str | None) -> list[Path]:
    """The local files of a catalogue source: the file, or those its pattern matches."""
    if not source or "://" in source or ":" in source.split("/")[0][1:]:
        return []  # none, a URL or a GDAL connection string (WFS:…, OAPIF:…)
    path = folder / source
    if path.exists() or not glob.has_magic(source):
        return [path] if path.exists() else []
    return sorted(Path(p) for p in glob.glob(str(path)) if os.path.isfile(p))


def status(folder: str | os.PathLike) -> pd.DataFrame:
    """
    What is cached in a region folder, from where, when, under which licence.

    Returns
    -------
    DataFrame
        One row per layer in ``sources.yaml`` or ``layers.yaml``: ``source``, ``own`` (only
        in ``layers.yaml``: a layer the region supplies itself), ``retrieved``,
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
        files = _files(folder, entry.get("source"))
        waiting = len(list(staging_dir(folder, name).glob("tile-*.parquet")))
        state = "aanwezig" if files else "ontbreekt"
        if state == "ontbreekt" and src is not None and src.kind == "manual":
            state = "ontbreekt (geen open bron: lever een eigen laag aan)"
        if waiting:
            state = f"onderbroken ({waiting} tegels klaar)"
        features = rec.get("features")
        if features is None and state == "aanwezig":
            counts = [feature_count(f, entry.get("layer")) for f in files]
            features = None if None in counts else sum(counts)
        rows.append({
            "layer": name,
            "source": origin(src) if src else entry.get("source", ""),
            "own": src is None,
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


def report(table: pd.DataFrame, region: str) -> list[str]:
    """
    :func:`status` as short Dutch lines: per layer its state and source, then what to do next.

    Parameters
    ----------
    table
        Output of :func:`status`.
    region
        The region folder as the user typed it, for the commands to run next.

    Examples
    --------
    >>> t = pd.DataFrame({"source": ["https://x/ogc, perceel", "eigen laag"],
    ...                   "retrieved": ["", ""], "features": [None, None],
    ...                   "license": ["CC0", ""], "attribution": ["", ""],
    ...                   "state": ["ontbreekt", "ontbreekt (geen open bron: lever een eigen "
    ...                             "laag aan)"], "description": ["BRK", "Werklocaties"]},
    ...                  index=pd.Index(["parcels", "work_sites"], name="layer"))
    >>> for line in report(t, "data/gmr"):  # every open layer is missing: no --layers
    ...     print(line)
    parcels: ontbreekt
      bron: https://x/ogc, perceel (CC0)
    work_sites: ontbreekt (geen open bron: lever een eigen laag aan)
      Werklocaties
    <BLANKLINE>
    Volgende stap:
    - ophalen: locscan data pull --region data/gmr
    - zelf aanleveren: work_sites (bestand in de regiomap, opnemen in layers.yaml; zie
      docs/gis-guide.md)
    """
    lines = []
    for name, row in table.iterrows():
        count = ("" if pd.isna(row["features"])
                 else f", {format_number(int(row['features']))} objecten")
        when = f", opgehaald {row['retrieved']}" if row["retrieved"] else ""
        own = " (eigen laag)" if row.get("own") else ""
        lines.append(f"{name}: {row['state']}{own}{count}{when}")
        manual = "geen open bron" in row["state"]
        if not manual:
            terms = ", ".join(str(v) for v in (row["license"], row["attribution"]) if v)
            licence = f" ({terms})" if terms else ""
            lines.append("  " + textwrap.shorten(f"bron: {row['source']}{licence}", 98,
                                                 placeholder=" …"))
        elif row["description"]:
            lines.append("  " + textwrap.shorten(str(row["description"]), 98, placeholder=" …"))
    to_pull = [str(n) for n, r in table.iterrows() if not r.get("own") and (
        r["state"] == "ontbreekt" or str(r["state"]).startswith("onderbroken"))]
    supply = [str(n) for n, r in table.iterrows() if "geen open bron" in r["state"]
              or (r.get("own") and r["state"] == "ontbreekt")]
    steps = []
    pullable = [n for n, r in table.iterrows()
                if not r.get("own") and "geen open bron" not in r["state"]]
    every = len(to_pull) == len(pullable)  # then no names: 'data pull' takes them all
    if to_pull:
        steps.append(f"- ophalen: locscan data pull --region {region}"
                     + ("" if every else " --layers " + ",".join(to_pull)))
    if supply:
        steps.append(f"- zelf aanleveren: {', '.join(supply)} (bestand in de regiomap, opnemen "
                     "in layers.yaml; zie docs/gis-guide.md)")
    steps = [textwrap.fill(step, 100, subsequent_indent="  ", break_on_hyphens=False)
             for step in steps]
    return [*lines, "", "Volgende stap:", *steps] if steps else [
        *lines, "", "Alle lagen zijn aanwezig: locscan scan --region " + region + " --criteria …"]
