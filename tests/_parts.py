"""Shared by the tests of a scan in parts: quiet calls and measures tables compared."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import yaml
from _toy import ROOT

GMR = ROOT / "criteria" / "gmr-tijdelijke-werknemers.yaml"


def quiet(func, *args, **kwargs):
    """`func` called without the demo's warnings (its optional layers warn)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return func(*args, **kwargs)


def assert_same_measures(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Every column bit-equal, unknowns in the same places."""
    assert list(a.columns) == list(b.columns)
    b = b.loc[a.index]
    for col in a.columns:
        x, y = a[col], b[col]
        assert (x.isna() == y.isna()).all(), col
        if pd.api.types.is_numeric_dtype(x):
            np.testing.assert_array_equal(x[x.notna()], y[y.notna()], err_msg=col)
        else:
            assert (x.astype(object)[x.notna()] == y.astype(object)[y.notna()]).all(), col


def demo_with_own_parcels_file(demo: Path, folder: Path) -> Path:
    """A copy of the demo in `folder` (without its cache) whose parcels are a file of their
    own, ``percelen.gpkg``: a change to them leaves the other layers' files be."""
    shutil.copytree(demo, folder, ignore=shutil.ignore_patterns(".locscan-cache"))
    pyogrio.write_dataframe(pyogrio.read_dataframe(folder / "demo.gpkg", layer="parcels"),
                            folder / "percelen.gpkg", driver="GPKG")
    catalogue = yaml.safe_load((folder / "layers.yaml").read_text(encoding="utf-8"))
    catalogue["layers"]["parcels"] |= {"source": "percelen.gpkg", "layer": None}
    (folder / "layers.yaml").write_text(yaml.safe_dump(catalogue), encoding="utf-8")
    return folder
