"""The download links of an Atom feed (INSPIRE download services, e.g. PDOK's plans)."""

from __future__ import annotations

import fnmatch
import xml.etree.ElementTree as ET

from locscan import settings
from locscan.errors import PullError
from locscan.pull.http import http_session

__all__ = [
    "atom_links",
]


ATOM = "{http://www.w3.org/2005/Atom}"


_NOT_DATA = {"self", "describedby", "search", "up", "related", "license", "via"}


def atom_links(url: str, pattern: str = "*", *, session=None, depth: int = 2) -> list[str]:
    """
    The download links of an Atom feed's entries whose title or link matches ``pattern``.

    Links to other Atom feeds (an INSPIRE service feed points to dataset feeds) are followed
    up to ``depth`` levels; below a matching entry every download link is taken.

    Parameters
    ----------
    url : str
        The feed.
    pattern : str
        Shell-style pattern, case-insensitive, e.g. ``*Enkelbestemming*``.

    Returns
    -------
    list of str
        Absolute download addresses, in feed order, without repeats.
    """
    from urllib.parse import urljoin

    session = session or http_session()
    response = session.get(url, timeout=settings.http_timeout)
    response.raise_for_status()
    try:
        root = ET.fromstring(response.content)
    except ET.ParseError as exc:
        raise PullError(f"Atom feed {url}: not valid XML ({exc})") from exc
    if root.tag != f"{ATOM}feed":
        raise PullError(f"{url}: not an Atom feed (root element {root.tag})")
    found: list[str] = []
    for entry in root.iter(f"{ATOM}entry"):
        links = [(urljoin(url, link.get("href", "")), link.get("type", ""),
                  link.get("rel", "alternate")) for link in entry.iter(f"{ATOM}link")]
        names = [entry.findtext(f"{ATOM}title", default=""), *(h for h, _, _ in links)]
        if not any(fnmatch.fnmatch(n.lower(), pattern.lower()) for n in names):
            continue
        for href, kind, rel in links:
            if rel in _NOT_DATA or "html" in kind:
                continue
            if "atom" in kind:
                if depth:
                    found += atom_links(href, "*", session=session, depth=depth - 1)
            elif href:
                found.append(href)
    return list(dict.fromkeys(found))
