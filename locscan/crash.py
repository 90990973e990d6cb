"""Errors that are not the user's: the details go to a log file, the user reads where.

User errors (:class:`locscan.errors.LocscanError`) never come here: they are shown as they are.
"""

from __future__ import annotations

import os
import traceback
from datetime import UTC, datetime
from pathlib import Path

from locscan import __version__, atomic

__all__ = ["log_dir", "report"]


def log_dir() -> Path:
    """Folder of the error logs: ``$LOCSCAN_LOG_DIR``, else ``~/.cache/locscan/errors``."""
    configured = os.environ.get("LOCSCAN_LOG_DIR")
    return Path(configured) if configured else Path.home() / ".cache" / "locscan" / "errors"


def report(exc: BaseException, *, context: str = "") -> Path:
    """
    Write the traceback of `exc` to a new log file and return its path.

    Examples
    --------
    >>> import tempfile
    >>> os.environ["LOCSCAN_LOG_DIR"] = tempfile.mkdtemp()
    >>> try:
    ...     1 / 0
    ... except ZeroDivisionError as exc:
    ...     path = report(exc, context="doctest")
    >>> "ZeroDivisionError" in path.read_text(), path.name.startswith("locscan-error-")
    (True, True)
    >>> del os.environ["LOCSCAN_LOG_DIR"]
    """
    folder = log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC)
    path = folder / f"locscan-error-{now:%Y%m%dT%H%M%S}-{os.getpid()}.log"
    text = (f"locscan {__version__}, {now.isoformat(timespec='seconds')}\n{context}\n\n"
            + "".join(traceback.format_exception(exc)))
    atomic.write_text(path, text)
    return path
