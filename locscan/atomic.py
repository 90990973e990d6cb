"""Files written whole or not at all: a temporary file in the same folder, renamed into place.

A reader never sees half a file, and a writer killed halfway leaves the previous file as it was
(the rename is one step on every local file system). The temporary name starts with a dot and
ends in the target's suffix, so drivers that go by the suffix (GDAL) still recognise it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["new_text", "replacing", "write_bytes", "write_text"]


def _fsync(path: str | os.PathLike) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextmanager
def _temporary(path: Path) -> Iterator[Path]:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=path.suffix)
    os.close(fd)
    os.remove(tmp)  # writers that refuse an existing file (GDAL) create it themselves
    try:
        yield Path(tmp)
    finally:
        if os.path.lexists(tmp):
            os.remove(tmp)


@contextmanager
def replacing(path: str | os.PathLike) -> Iterator[Path]:
    """
    A temporary path next to `path`; when the block ends without error it replaces `path`.

    Examples
    --------
    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> with replacing(target) as tmp:
    ...     _ = tmp.write_text("whole")
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('whole', ['out.txt'])
    """
    path = Path(path)
    with _temporary(path) as tmp:
        yield tmp
        _fsync(tmp)
        os.replace(tmp, path)


def write_text(path: str | os.PathLike, text: str) -> None:
    """Write `text` (UTF-8) to `path`, replacing it in one step."""
    with replacing(path) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    """Write `data` to `path`, replacing it in one step."""
    with replacing(path) as tmp:
        tmp.write_bytes(data)


def new_text(path: str | os.PathLike, text: str) -> None:
    """
    Write `text` (UTF-8) to `path`, which must not exist yet; never half a file.

    Raises
    ------
    FileExistsError
        When `path` exists (also when another process made it a moment earlier).
    """
    path = Path(path)
    with _temporary(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
        _fsync(tmp)
        os.link(tmp, path)  # atomic, and fails when the name is taken
