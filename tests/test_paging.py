"""Paging the longlist in the app: filter, sort, cut; every row reachable."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ui.paging import page


def _table(n: int = 5) -> pd.DataFrame:
    return pd.DataFrame({"gemeente": ["Duiven", "Zevenaar", "Duiven", "Westervoort", "Duiven"][:n],
                         "score": [50.0, np.nan, 70.0, 10.0, 70.0][:n]},
                        index=[f"perceel:{i}" for i in range(n)])


def test_every_row_is_on_exactly_one_page():
    table = _table()
    seen = []
    first = page(table, size=2)
    for number in range(1, first.pages + 1):
        seen.extend(page(table, size=2, number=number).rows.index)
    assert first.pages == 3
    assert seen == list(table.index)


def test_sort_is_stable_with_missing_values_last_either_way():
    table = _table()
    up = page(table, sort="score").rows.index.tolist()
    down = page(table, sort="score", descending=True).rows.index.tolist()
    assert up == ["perceel:3", "perceel:0", "perceel:2", "perceel:4", "perceel:1"]
    assert down == ["perceel:2", "perceel:4", "perceel:0", "perceel:3", "perceel:1"]


def test_filter_on_index_or_columns_and_the_counts():
    table = _table()
    hit = page(table, query="  DUIVEN ", search=("gemeente",), size=2, number=2)
    assert hit.total == 3
    assert (hit.first, hit.last, hit.pages) == (3, 3, 2)
    assert page(table, query="perceel:3").rows.index.tolist() == ["perceel:3"]
    assert page(table, query="duiven").total == 0  # not searched without the column
    assert page(table, query="x", search=("no such column",)).total == 0


def test_page_number_is_clipped():
    table = _table()
    assert page(table, size=2, number=99).rows.index.tolist() == ["perceel:4"]
    assert page(table, size=2, number=-3).first == 1
    empty = page(table.iloc[:0])
    assert (empty.total, empty.first, empty.last, empty.pages) == (0, 0, 0, 1)
