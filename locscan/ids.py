"""Candidate ids looked up in tables of millions of rows.

pandas looks an id up through a hash table that each index builds on its first lookup (5 s and
0.9 GiB for the 8.4 million ids of the national demo) and then keeps; ``Index.isin`` on Arrow
strings walks every value in Python instead (seconds per call at a million rows). The helpers
here use the index's own hash table, and a scan of a country builds it once, when it opens
(:func:`prepare_lookup`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = ["member", "prepare_lookup", "same_index"]


def member(index: pd.Index, ids: Iterable[str]) -> np.ndarray:
    """
    Boolean per row of `index`: its id is one of `ids` (unknown ids are ignored).

    Examples
    --------
    >>> member(pd.Index(["a", "b", "c"]), ["c", "x", "a"]).tolist()
    [True, False, True]
    >>> member(pd.Index(["a"]), []).tolist()
    [False]
    """
    wanted = pd.Index(list(ids))
    out = np.zeros(len(index), dtype=bool)
    if len(wanted):
        at = index.get_indexer(wanted.unique())
        out[at[at >= 0]] = True
    return out


def prepare_lookup(index: pd.Index) -> None:
    """
    Build the hash table of `index` now, so that no later lookup by id waits for it.

    Not in a thread beside other lookups: pandas fills the table after it is in place, so a
    lookup at the same moment could see part of it.
    """
    index.get_indexer(index[:1])


def same_index(table: pd.DataFrame, index: pd.Index) -> pd.DataFrame:
    """
    `table` with `index` itself as its index, when they hold the same ids in the same order.

    Rows are then taken by position without comparing millions of ids again.
    """
    if table.index is index or not table.index.equals(index):
        return table
    return table.set_axis(index)
