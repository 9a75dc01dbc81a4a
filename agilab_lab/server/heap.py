"""Keep the garbage collector from stalling the Jupyter server's event loop.

A Jupyter server with its extensions holds about a million objects after start-up (modules,
classes, schemas, config). Every full collection walks all of them (~0.1 s here, with the
GIL held): a periodic stall of every request in flight. ``gc.freeze()`` after start-up moves
them to the permanent generation, so later collections scan only what requests create. The
frozen objects are the server's long-lived state; they are never freed, which they would not
be anyway.
"""

from __future__ import annotations

import asyncio
import gc
import logging

log = logging.getLogger(__name__)


def freeze_heap() -> int:
    """Collect the garbage there is, then freeze every object still alive; return how many are frozen."""
    gc.collect()
    gc.freeze()
    return gc.get_freeze_count()


def schedule_heap_freeze(delay_s: float, logger: logging.Logger | None = None) -> asyncio.TimerHandle | None:
    """Freeze the heap ``delay_s`` seconds from now on the running loop (after the other extensions
    started); a negative delay disables it."""
    if delay_s < 0:
        return None

    def freeze() -> None:
        frozen = freeze_heap()
        (logger or log).info("agilab-lab: %d start-up objects moved out of the garbage collector's scans", frozen)

    return asyncio.get_running_loop().call_later(delay_s, freeze)
