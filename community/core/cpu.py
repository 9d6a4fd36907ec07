"""CPU-heavy pure work (parsing a post, the sales-pitch check), kept off the event loop.

The app serves from one gevent worker: a greenlet that computes for a second holds every
other request for that second. Under gevent, the work runs in the hub's pool of native
threads; the interpreter hands the lock back every few milliseconds, so /healthz and other
requests keep being served while a long post is parsed. Elsewhere (tests, the CLI) it simply
runs in place. Only pure functions belong here: no database session, no request.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from gevent import get_hub
from gevent.monkey import is_module_patched

T = TypeVar("T")


def run_off_event_loop(function: Callable[..., T], *args: object) -> T:
    if is_module_patched("threading"):
        return get_hub().threadpool.apply(function, args)
    return function(*args)
