"""Buffered appends: a log-heavy run writes its events in batches, not one transaction per line.

``EventBuffer.add`` keeps events in memory; they are appended with ``EventLog.append_many`` (one
transaction, one chain lock, one head update per batch) when ``max_events`` are waiting, when
the oldest has waited ``max_delay_s`` (one flusher thread per process, so a quiet worker's last
line is not held back), on ``flush()`` and when the ``with`` block ends, normally or by an
exception. Readers
(SSE) see events at most ``max_delay_s`` late; the chain is the same as with single appends.

Consecutive log lines of one worker and stream are written as one ``log`` event whose payload
holds ``lines`` (see :func:`coalesce_logs`): hashing and inserting a row per line cost ~50 us a
line, so a log-heavy app cost 5-10% more than a quiet one; a batch of lines costs one row.
Readers take a log event's text with :func:`log_lines`.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .chain import EventSpec

if TYPE_CHECKING:  # or the light log of agilab_lab.store.lite: anything with append_many
    from sqlalchemy.orm import Session

    from .events import EventLog

log = logging.getLogger(__name__)


class EventBuffer:
    """Thread-safe: the pool's log drain and the Dask watcher add from their own threads."""

    def __init__(self, events: EventLog, owner: str, *, max_events: int = 256, max_delay_s: float = 0.5):
        self.events, self.owner = events, owner
        self.max_events, self.max_delay_s = max_events, max_delay_s
        self._pending: list[EventSpec] = []
        self._lock = threading.RLock()
        self._scheduled = False  # the process's flusher will flush this buffer at its deadline
        self._joined: list[EventSpec] | None = None  # written in a caller's transaction, not yet committed
        self.batches = 0  # transactions written (what batching saves is visible in tests)

    def add(self, topic: str, kind: str, payload: dict[str, Any] | None = None, *, flush: bool = False,
            session: Session | None = None) -> None:
        """Queue one event; ``flush=True`` writes it (and all waiting) now, in ``session`` if given."""
        with self._lock:
            self._pending.append((self.owner, topic, kind, payload))
            if flush or len(self._pending) >= self.max_events:
                self.flush(session)
            elif not self._scheduled and self.max_delay_s > 0:
                _flusher.schedule(self, self.max_delay_s)
                self._scheduled = True

    def flush(self, session: Session | None = None) -> int:
        """Append everything waiting in one transaction; the number of events written.

        With ``session`` the events join that transaction: they commit, or roll back, with the
        change they record (e.g. a run's final row and its terminal status event); inside
        :meth:`joined`, those that waited before it began wait again if that transaction fails.
        """
        with self._lock:
            if self._scheduled:
                _flusher.cancel(self)
                self._scheduled = False
            pending, self._pending = self._pending, []
            if not pending:
                return 0
            if session is not None and self._joined is not None:
                self._joined += pending  # joined() puts back those that waited, should session fail
            try:
                self.events.append_many(coalesce_logs(pending), session=session)
            except BaseException:
                if session is None:
                    self._pending = pending + self._pending  # keep them for the next flush
                raise
            self.batches += 1
            return len(pending)

    @contextmanager
    def joined(self) -> Iterator[None]:
        """Around a transaction that ``flush(session)`` writes into. If the block fails (the
        transaction rolled back), the events that were waiting before it began wait again; those
        added within it (what the transaction records, e.g. a terminal status) go with it.

        The buffer stays locked for the block: the flusher thread, which takes this lock before
        the database's, cannot then wait on the transaction's write lock while holding it.
        """
        with self._lock:
            self._joined, waiting = [], len(self._pending)
            try:
                yield
            except BaseException:
                self._pending = self._joined[:waiting] + self._pending
                raise
            finally:
                self._joined = None

    def _flush_from_timer(self) -> None:
        try:
            self.flush()
        except Exception:  # the next add/flush retries; the run itself must not die of it
            log.warning("could not write buffered events", exc_info=True)

    def __len__(self) -> int:
        with self._lock:
            return len(self._pending)

    def __enter__(self) -> EventBuffer:
        return self

    def __exit__(self, *_exc) -> None:
        self.flush()


_LOG_KEYS = frozenset(("worker", "stream", "line"))


def coalesce_logs(specs: list[EventSpec]) -> list[EventSpec]:
    """``specs`` with every run of consecutive one-line ``log`` events of the same owner, topic,
    worker and stream merged into one ``log`` event ``{"worker", "stream", "lines": [...]}``.

    Order is kept: any other event (or another worker's or stream's line) ends a run. A log
    payload with other keys is kept as it is.
    """
    merged: list[EventSpec] = []
    run_key: tuple | None = None
    for owner, topic, kind, payload in specs:
        if kind != "log" or not payload or "line" not in payload or not payload.keys() <= _LOG_KEYS:
            merged.append((owner, topic, kind, payload))
            run_key = None
            continue
        key = (owner, topic, payload.get("worker"), payload.get("stream"))
        if key == run_key:
            merged[-1][3]["lines"].append(payload["line"])
            continue
        lines_payload = {k: v for k, v in payload.items() if k != "line"}
        lines_payload["lines"] = [payload["line"]]
        merged.append((owner, topic, kind, lines_payload))
        run_key = key
    return merged


def log_lines(payload: dict[str, Any] | None) -> list[str]:
    """The text lines of a ``log`` event's payload (``lines``, or one ``line`` as older logs hold)."""
    if not payload:
        return []
    if isinstance(payload.get("lines"), list):
        return [str(line) for line in payload["lines"]]
    return [str(payload["line"])] if "line" in payload else []


class _Flusher:
    """One daemon thread per process flushes every buffer whose oldest event has waited its delay.

    A thread per buffer (a ``threading.Timer`` per batch) cost a thread start on every run; this
    one is started once, when first needed (and again in a forked child, which has no threads).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._due: dict[int, tuple[float, EventBuffer]] = {}
        self._thread: threading.Thread | None = None

    def schedule(self, buffer: EventBuffer, delay_s: float) -> None:
        with self._cond:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="event-buffer-flusher", daemon=True)
                self._thread.start()
            self._due[id(buffer)] = (time.monotonic() + delay_s, buffer)
            self._cond.notify()

    def cancel(self, buffer: EventBuffer) -> None:
        with self._cond:
            self._due.pop(id(buffer), None)

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._due:
                    self._cond.wait()
                key, (deadline, buffer) = min(self._due.items(), key=lambda entry: entry[1][0])
                wait = deadline - time.monotonic()
                if wait > 0:
                    self._cond.wait(wait)
                    continue
                del self._due[key]
            buffer._flush_from_timer()  # outside the condition: flush takes the buffer's lock

    def _after_fork(self) -> None:
        self._cond, self._due, self._thread = threading.Condition(), {}, None


_flusher = _Flusher()
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_flusher._after_fork)
