"""CPU time of pure functions, for the tests that bound how text checks grow with input.

CPU time of this process, not wall time, so other processes on a busy machine (the other
database's suite runs alongside) do not count; the best of a few runs drops the odd pause."""

from __future__ import annotations

import time
from collections.abc import Callable

RUNS = 3


def best_cpu_time(function: Callable[[str], object], text: str) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.process_time()
        function(text)
        best = min(best, time.process_time() - start)
    return best
