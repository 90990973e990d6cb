"""Chunks of rows side by side: results in order, tuples concatenated per element."""

from __future__ import annotations

import numpy as np

from locscan import settings
from locscan.chunks import in_chunks


def test_chunks_keep_the_order_of_rows_and_split_tuples(monkeypatch):
    monkeypatch.setattr(settings, "workers", 3)
    values = np.arange(10)
    seen = []

    def func(part):
        seen.append((part.start, part.stop))
        return values[part], values[part] * 10

    a, b = in_chunks(func, len(values), min_rows=2)
    assert a.tolist() == list(range(10))
    assert b.tolist() == [v * 10 for v in range(10)]
    assert sorted(seen) == [(0, 3), (3, 6), (6, 10)]


def test_few_rows_take_one_call():
    calls = []
    in_chunks(lambda part: calls.append(part) or np.zeros(0), 10)
    assert calls == [slice(0, 10)]
