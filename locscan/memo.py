"""A small thread-safe memo of the last answers, for the Scan's evaluations and plans."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

__all__ = ["FULL_UP_TO", "Memo", "sized"]

T = TypeVar("T")


class Memo:
    """A small thread-safe memo: the last `size` answers, keyed by their inputs."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, make: Callable[[], T]) -> T:
        """
        The answer for `key`, made by `make` the first time.

        Examples
        --------
        >>> memo = Memo(2)
        >>> memo.get("a", lambda: 1), memo.get("a", lambda: 2)
        (1, 1)
        """
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = make()  # outside the lock: two sessions may compute the same answer once each
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value


#: up to this many rows per answer, a memo keeps as many answers as it is made for
FULL_UP_TO = 400_000


def sized(size: int, candidates: int) -> int:
    """
    How many answers (at least 2) a memo of `size` keeps when each holds a value per candidate.

    16 evaluations of 8.4 million candidates would hold 5 GiB.

    Examples
    --------
    >>> sized(16, 2_000), sized(16, 800_000), sized(16, 8_400_000)
    (16, 8, 2)
    """
    return max(2, min(size, size * FULL_UP_TO // max(candidates, 1)))
