"""Run a vectorised function over chunks of its rows side by side, on every core.

shapely's predicates and measurements and locscan's compiled loops release Python's GIL, so
threads over chunks of the rows use both cores without copying data to other processes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import numpy as np

from locscan import settings

__all__ = ["in_chunks"]


def in_chunks(func: Callable[[slice], Any], n: int, *, min_rows: int = 50_000) -> Any:
    """
    ``func`` over ``slice``s of ``range(n)`` in threads, the results concatenated in order.

    Parameters
    ----------
    func
        Takes a slice of the rows; returns an array, or a tuple of arrays (each concatenated).
    n
        Number of rows.
    min_rows
        Fewer rows per thread than this are not worth a thread.

    Examples
    --------
    >>> values = np.arange(10.0)
    >>> in_chunks(lambda part: values[part] * 2, len(values), min_rows=3).tolist()
    [0.0, 2.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0]
    """
    workers = max(1, min(settings.workers, n // max(1, min_rows)))
    if workers == 1:
        return func(slice(0, n))
    edges = np.linspace(0, n, workers + 1).astype(int)
    with ThreadPoolExecutor(workers) as pool:
        parts = list(pool.map(func, [slice(a, b) for a, b in itertools.pairwise(edges)]))
    if isinstance(parts[0], tuple):
        return tuple(np.concatenate(p) for p in zip(*parts, strict=True))
    return np.concatenate(parts)
