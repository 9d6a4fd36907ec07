"""A bounded in-process cache of rendered HTML fragments, least recently used out first.

Why a cache: a thread page spends most of its time rendering its post list in Jinja (issue 15),
and the same list is shown again and again until something in it changes. The key says
everything the fragment depends on (the caller builds it from the rows shown and the viewer's
powers), so an entry is never stale: a change makes a new key and the old entry ages out.

Why it cannot grow: the cache is bounded by the characters it holds (``max_chars``), not by
its number of entries, so its worst case is that figure plus a small fixed overhead per entry
(the key and the dictionary slot, about 300 bytes), whatever the pages hold. A fragment larger
than the whole budget is simply not kept. Each process has its own; nothing is shared, so
nothing needs invalidating across processes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T", bound=tuple[str, ...])


class FragmentCache(Generic[T]):
    """``key -> tuple of HTML strings``, at most ``max_chars`` characters in all."""

    def __init__(self, max_chars: int) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get_or_render(self, key: Hashable, render: Callable[[], T]) -> T:
        """The fragment kept under ``key``, or ``render()``'s, kept for next time."""
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                self.hits += 1
                return found
            self.misses += 1
        fragment = render()  # outside the lock: two first renders of one key are harmless
        self._keep(key, fragment)
        return fragment

    def _keep(self, key: Hashable, fragment: T) -> None:
        size = sum(len(part) for part in fragment)
        if size > self.max_chars:
            return
        with self._lock:
            previous = self._entries.pop(key, None)
            if previous is not None:
                self.chars -= sum(len(part) for part in previous)
            self._entries[key] = fragment
            self.chars += size
            while self.chars > self.max_chars:
                _, evicted = self._entries.popitem(last=False)
                self.chars -= sum(len(part) for part in evicted)

    def clear(self) -> None:
        """Forget every fragment, and the hit and miss counts with them."""
        with self._lock:
            self._entries.clear()
            self.chars = 0
            self.hits = self.misses = 0
