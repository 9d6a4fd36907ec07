"""gunicorn's settings for ``community run``. gunicorn reads this file by its path, so it
imports nothing of the app: the app is imported in the worker, after gevent has patched the
standard library.

One gevent worker serves everyone, so whatever holds the interpreter holds every request.
Parsing a post and the sales-pitch check run in a native thread (``core/cpu.py``); measured
with ``python -m tests.bench.bench_hostile_posts``, two things still held /healthz past 50 ms
while hostile posts were made, and each setting below removes one.
"""

from __future__ import annotations

import gc
import sys

# How long a thread that wants the interpreter waits before the running one must hand it
# over (Python's default is 5 ms). The event loop needs it several times per request (each
# socket read and write gives it up) and each time waits for the parse's thread. Measured
# with the app's objects frozen: /healthz p50 15 -> 8.5 ms, p99 82 -> 72 ms while hostile
# posts were made, for a little more switching.
SWITCH_INTERVAL = 0.001


def post_worker_init(worker: object) -> None:
    """Set once the worker has loaded the app (not at import: tests and the CLI keep
    Python's defaults)."""
    sys.setswitchinterval(SWITCH_INTERVAL)
    # A collection holds the interpreter however short the switch interval: a full one
    # scanned the app's ~160,000 objects (modules, mappers, templates) in 120-150 ms, and
    # parsing a long post makes enough objects to start one. Frozen, they are never scanned
    # again, so a collection covers only what requests made since. (A cycle among those
    # start-up objects is never freed; they live as long as the worker anyway.)
    gc.freeze()
