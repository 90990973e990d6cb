"""Showing text from data, files and users in Streamlit without rendering it."""

from __future__ import annotations

import re
from collections import Counter

_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&])")
_AUTOLINK = re.compile(r"(?i)(?<=[hfw])(?=ttps?\\?:|tp\\?:|ww\\?\.)|(?=@)")


def plain(value: object) -> str:
    r"""
    Text from data, files or users, escaped so Streamlit shows it and never renders it.

    Markdown characters get a backslash; a zero-width space after the first letter of
    ``http``, ``ftp`` and ``www`` and before ``@`` keeps bare addresses from becoming links.

    Examples
    --------
    >>> print(plain("**vet** [x](http://a.nl)").replace("\u200b", "|"))
    \*\*vet\*\* \[x\]\(h|ttp\://a\.nl\)
    """
    escaped = _MARKDOWN.sub(r"\\\1", " ".join(str(value).split()))
    return _AUTOLINK.sub("\u200b", escaped)


def shown(value: object) -> str:
    """A stored value as the user reads it: nothing stored is "onbekend"."""
    return "onbekend" if value is None or value != value else str(value)


def distinct(labels: dict[str, str]) -> dict[str, str]:
    """
    Labels for choices, made distinct: a label two choices share gets the choice added.

    A selectbox sends back the label the user saw, and Streamlit maps it to the last choice
    with that label; two region folders with one label (a copy of a region) then switched a
    user to the copy at the next rerun.

    Examples
    --------
    >>> distinct({"data/a": "GMR", "data/b": "GMR", "data/c": "Liemers"})
    {'data/a': 'GMR (data/a)', 'data/b': 'GMR (data/b)', 'data/c': 'Liemers'}
    """
    counts = Counter(labels.values())
    return {key: f"{label} ({key})" if counts[label] > 1 else label
            for key, label in labels.items()}


def narrower(area_kinds: list[str]) -> str:
    """
    The sidebar's choices that narrow a region, in Dutch.

    Examples
    --------
    >>> narrower([])
    'een subregio of gemeente'
    >>> narrower(["provincie", "arbeidsmarktregio"])
    'een provincie, arbeidsmarktregio, subregio of gemeente'
    """
    kinds = [*area_kinds, "subregio", "gemeente"]
    return "een " + ", ".join(kinds[:-1]) + " of " + kinds[-1]
