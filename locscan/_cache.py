"""On-disk cache of computed tables (candidates, measures) as (Geo)Parquet, keyed by content."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import pyarrow as pa
from pyarrow import feather

from locscan import atomic


def key(*parts: Any) -> str:
    """
    Return a short stable hash of JSON-serialisable `parts`.

    Examples
    --------
    >>> key("a", 1) == key("a", 1) != key("a", 2)
    True
    """
    payload = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:20]


def read(path: Path, *, shapes: bool = True) -> pd.DataFrame | None:
    """
    Return the cached frame at `path`, or ``None`` when it is absent or unreadable.

    ``.geo.arrow`` files are GeoDataFrames in uncompressed Arrow IPC (read without
    decompressing); without `shapes`, a plain frame of their other columns, the shapes not
    decoded. ``.parquet`` files are plain frames.
    """
    if not path.is_file():
        return None
    try:
        if path.name.endswith(".geo.arrow"):
            return gpd.read_feather(path) if shapes else _without_shapes(path)
        return pd.read_parquet(path)
    except (OSError, ValueError, KeyError):  # a truncated or foreign file is recomputed
        return None


def _without_shapes(path: Path) -> pd.DataFrame:
    """The columns of a GeoDataFrame's Arrow file but its geometries, as geopandas reads them."""
    with pa.OSFile(str(path)) as source:
        schema = pa.ipc.open_file(source).schema
    geometries = json.loads(schema.metadata[b"geo"])["columns"]
    columns = [name for name in schema.names if name not in geometries]
    return feather.read_table(path, columns=columns).to_pandas()


def write(path: Path, frame: pd.DataFrame) -> None:
    """Write `frame` to `path` atomically (a reader never sees a half-written file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic.replacing(path) as tmp:
        if path.name.endswith(".geo.arrow"):
            frame.to_feather(tmp, compression="uncompressed")
        else:
            frame.to_parquet(tmp)
