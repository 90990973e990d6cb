"""
Everything a user reads in Dutch, in one package.

- :mod:`locscan.nl.words`: the vocabulary (statuses, outcomes, relations, column names, labels).
- :mod:`locscan.nl.numbers`: numbers and measured values with their unit ("15,3 km").
- :mod:`locscan.nl.text`: the sentences built from an evaluation: reasons, the rule that
  applied, "why (not)?" per criterion, input captions.

Computing code returns English column names and codes; the app, the command line and the
exports show them through this package, so the language is consistent and can be reviewed at a
glance. The package itself re-exports the vocabulary and the number formatting only.
"""

from __future__ import annotations

import pandas as pd

from locscan.nl.numbers import format_number, format_value
from locscan.nl.words import *  # noqa: F403
from locscan.nl.words import __all__ as _words

__all__ = ["dutch", "format_number", "format_value", *_words]


def dutch(table: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """
    The same table with its English column names (and index names) shown in Dutch.

    Examples
    --------
    >>> import pandas as pd
    >>> dutch(pd.DataFrame({"pass": [1]}, index=pd.Index(["a"], name="criterion")),
    ...       SUMMARY_COLUMNS).reset_index().columns.tolist()
    ['criterium', 'voldoet']
    """
    out = table.rename(columns=columns)
    names = [columns.get(n, n) for n in out.index.names]
    return out.rename_axis(names)
