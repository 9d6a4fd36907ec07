"""The gunicorn worker's settings (``community run``): what they spare other requests."""

from __future__ import annotations

import gc
import time

import pytest

from community import gunicorn_conf

pytestmark = pytest.mark.sqlite_only(reason="server settings only: --db changes nothing")


def test_a_full_collection_in_the_worker_does_not_scan_the_loaded_app(app) -> None:
    # A collection holds the interpreter, and with it the event loop: with the app loaded, a
    # full one took 120 ms, and parsing a long post makes enough objects to start one.
    gc.collect()
    try:
        gunicorn_conf.post_worker_init(None)
        started = time.perf_counter()
        gc.collect()
        pause = time.perf_counter() - started
    finally:
        gc.unfreeze()
    assert pause < 0.010
