"""HTTP for pulls: GDAL's retries and timeouts, a retrying session, whether a host resolves."""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager

from locscan import settings
from locscan.pull.sources import Source

__all__ = [
    "gdal_http",
    "host_of",
    "http_session",
    "is_remote",
    "unreachable",
]


@contextmanager
def gdal_http(page_size: int | None = None, fresh: str | None = None) -> Iterator[None]:
    """
    Retries with back-off for busy servers (GDAL's own HTTP retry), a timeout, paging.

    ``fresh`` names a ``/vsicurl/`` path that GDAL must not answer from its in-process cache
    (a download that failed before may be there now).
    """
    options = {"GDAL_HTTP_MAX_RETRY": settings.http_retries,
               "GDAL_HTTP_RETRY_DELAY": settings.http_retry_delay,
               "GDAL_HTTP_TIMEOUT": settings.http_timeout,
               "OGR_WFS_PAGING_ALLOWED": "ON"}
    if page_size:
        options["OGR_WFS_PAGE_SIZE"] = page_size
    if fresh:
        options["CPL_VSIL_CURL_NON_CACHED"] = fresh
    before = {k: os.environ.get(k) for k in options}
    os.environ.update({k: str(v) for k, v in options.items()})
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # GDAL reports each retry
            yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def http_session():
    """A requests session that retries busy servers with back-off (urllib3's Retry)."""
    import requests
    from requests.adapters import HTTPAdapter
    from urllib3.util.retry import Retry

    retry = Retry(total=settings.http_retries, backoff_factor=settings.http_retry_delay,
                  status_forcelist=(429, 500, 502, 503, 504), allowed_methods=("GET",))
    session = requests.Session()
    session.mount("http://", HTTPAdapter(max_retries=retry))
    session.mount("https://", HTTPAdapter(max_retries=retry))
    return session


def is_remote(url: str) -> bool:
    """Whether `url` is an http(s) or ftp address (else a path in the region folder)."""
    return re.match(r"^(https?|ftp)://", url, flags=re.IGNORECASE) is not None


def host_of(source: Source) -> str | None:
    """The network host a source needs, or ``None`` when it is read from local files."""
    from urllib.parse import urlparse

    if source.kind == "manual" or (source.kind == "osm" and source.file):
        return None
    if source.kind == "osm":
        import osmnx as ox

        return urlparse(ox.settings.overpass_url).hostname
    return urlparse(source.url).hostname if is_remote(source.url) else None


def unreachable(host: str | None, seen: dict[str, str | None]) -> str | None:
    """Why `host` cannot be reached (its name does not resolve), or ``None``; asked once."""
    import socket

    if host is None:
        return None
    if host not in seen:
        try:
            socket.getaddrinfo(host, None)
            seen[host] = None
        except OSError as exc:
            seen[host] = f"cannot resolve {host} ({exc.strerror or exc})"
    return seen[host]
