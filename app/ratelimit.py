"""Limits kept on the server for what anyone may send without logging in (the webinars'
public web chat): how many messages per key (a client address, a web sender) in a sliding
window. Pure and in memory: the clock is injected, the number of keys is capped (the least
recently seen are forgotten first) and every call holds a lock (waitress serves requests
from several threads)."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")
R = TypeVar("R")
Clock = Callable[[], float]


class BoundedMap(Generic[V]):
    """A thread-safe key → value map that keeps at most `max_keys` keys: the least
    recently used are dropped first, so no caller can make it grow without bound."""

    def __init__(self, max_keys: int) -> None:
        self.max_keys = max_keys
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            return self._items.get(key)

    def put(self, key: Hashable, value: V) -> None:
        self.update(key, lambda _: (value, None))

    def update(self, key: Hashable, change: Callable[[V | None], tuple[V, R]]) -> R:
        """Replaces the key's value by what `change` makes of it, in one step (under the lock);
        returns what `change` says besides."""
        with self._lock:
            value, result = change(self._items.get(key))
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.max_keys:
                self._items.popitem(last=False)
            return result


class SlidingWindowLimit:
    """At most `limit` hits per key in any `window` seconds."""

    def __init__(self, limit: int, window: float, max_keys: int = 10_000, clock: Clock = time.monotonic) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self._hits: BoundedMap[deque[float]] = BoundedMap(max_keys)

    def __len__(self) -> int:
        return len(self._hits)

    def hit(self, key: Hashable) -> bool:
        """Counts one hit for `key` and says whether it is allowed (a refused hit is not counted)."""
        now = self.clock()

        def count(hits: deque[float] | None) -> tuple[deque[float], bool]:
            hits = hits if hits is not None else deque()
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            allowed = len(hits) < self.limit
            if allowed:
                hits.append(now)
            return hits, allowed

        return self._hits.update(key, count)
