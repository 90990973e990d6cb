"""Showing text from data, files and users in Streamlit without rendering it."""

from __future__ import annotations

import re

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
