"""One page of a long table, filtered and sorted: the app's longlist without a silent cut-off."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

#: rows per page; a page this size draws at once in the browser
PAGE_SIZE = 200


@dataclass(frozen=True)
class Page:
    """
    One page of a table.

    Attributes
    ----------
    rows
        The rows of this page, in order.
    total
        How many rows match the filter (all pages together).
    first, last
        The 1-based numbers of the first and last row shown (0, 0 when nothing matches).
    pages
        How many pages there are (at least 1).
    """

    rows: pd.DataFrame
    total: int
    first: int
    last: int
    pages: int


def page(
    table: pd.DataFrame,
    *,
    sort: str | None = None,
    descending: bool = False,
    query: str = "",
    search: tuple[str, ...] = (),
    number: int = 1,
    size: int = PAGE_SIZE,
) -> Page:
    """
    Filter `table` on `query`, sort it and return page `number`.

    Parameters
    ----------
    table
        The whole table (its index is kept).
    sort
        Column to sort on (stable, missing values last); None keeps the table's order.
    descending
        Sort from high to low.
    query
        Keep rows where the index or one of the `search` columns contains this text
        (case-insensitive); empty keeps every row.
    search
        Columns to search besides the index.
    number
        1-based page number; clipped to the pages there are.
    size
        Rows per page.

    Examples
    --------
    >>> t = pd.DataFrame({"gemeente": ["Duiven", "Zevenaar", "Duiven"], "score": [50, 90, 70]},
    ...                  index=["a", "b", "c"])
    >>> p = page(t, sort="score", descending=True, query="duiv", search=("gemeente",), size=1)
    >>> list(p.rows.index), p.total, p.first, p.last, p.pages
    (['c'], 2, 1, 1, 2)
    >>> page(t, query="xyz").total, page(t, query="xyz").first
    (0, 0)
    """
    rows = matching(table, sort=sort, descending=descending, query=query, search=search)
    total = len(rows)
    pages = max(1, -(-total // size))
    number = min(max(1, int(number)), pages)
    start = (number - 1) * size
    shown = rows.iloc[start:start + size]
    return Page(shown, total, start + 1 if total else 0, start + len(shown), pages)


def matching(
    table: pd.DataFrame,
    *,
    sort: str | None = None,
    descending: bool = False,
    query: str = "",
    search: tuple[str, ...] = (),
) -> pd.DataFrame:
    """
    The rows of `table` that match `query`, sorted: :func:`page` without the cut.

    Parameters are those of :func:`page`.

    Examples
    --------
    >>> t = pd.DataFrame({"score": [50, 90]}, index=["a", "b"])
    >>> list(matching(t, sort="score", descending=True).index)
    ['b', 'a']
    """
    rows = table
    needle = query.strip().casefold()
    if needle:
        hit = rows.index.astype(str).str.casefold().str.contains(needle, regex=False)
        for col in search:
            if col in rows.columns:
                hit |= rows[col].astype(str).str.casefold().str.contains(needle, regex=False)
        rows = rows[hit]
    if sort is not None and sort in rows.columns:
        rows = rows.sort_values(sort, ascending=not descending, kind="stable",
                                na_position="last")
    return rows
