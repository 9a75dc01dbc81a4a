"""Learn each worker's capacity (work units per second) from previous runs' telemetry.

After every run the runtime stores one ``WorkerStat`` row per worker: how much weight it
processed and how many seconds its items took (work only: start-up, imports and shipping are
fixed costs, not speed). Rows shorter than ``MIN_SECONDS`` are ignored: the rate of a task that
ran for milliseconds is timer and scheduler noise.

Timings on a shared machine are noisy (a worker descheduled for 100 ms looks 30% slower), and a
plan that follows every measurement swings between runs (9/19 then 19/9 items on identical
workers). So the history is replayed, run by run, through:

- an exponential moving average per worker (``ALPHA``), used once a worker has ``MIN_SAMPLES``
  measurements (until then it gets the mean of the measured workers, or 1.0 when none is);
- hysteresis: the relative capacities in use change only when the smoothed ones differ from
  them by more than ``HYSTERESIS`` (relative) for some worker, or by more than half of it on
  the same side for ``SETTLE_RUNS`` runs in a row (so a real change is followed all the way).

The replay is a pure function of the stored rows, so every process (server, CLI, notebook)
derives the same capacities, and two warm runs on the same data get the same plan unless a
worker's speed really changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

MIN_SECONDS = 0.25
ALPHA = 0.3
MIN_SAMPLES = 3
HYSTERESIS = 0.2
SETTLE_RUNS = 5
HISTORY_ROWS = 400


class CapacityPredictor:
    """Capacities per worker for one app, read from the ``worker_stats`` table."""

    def __init__(self, store: Any, owner: str, window: int = HISTORY_ROWS):
        """``store``: a ``Store``, or the CLI's light SQLite store (plain SQL, no SQLAlchemy import)."""
        self.store, self.owner, self.window = store, owner, window
        self.lite = getattr(store, "lite", False)

    def history(self, app: str, workers: Sequence[str]) -> list[list[tuple[str, float]]]:
        """``[(worker, rate), ...]`` per run, oldest run first (rows without a run are runs of their own)."""
        if self.lite:
            from .lite_records import worker_stat_rows

            rows = worker_stat_rows(self.store, self.owner, app, list(workers), MIN_SECONDS, self.window)[::-1]
        else:
            rows = self._orm_rows(app, workers)[::-1]
        runs: dict[str, list[tuple[str, float]]] = {}
        for row_id, run_id, worker, weight, seconds in rows:
            runs.setdefault(run_id or f"row-{row_id}", []).append((worker, weight / seconds))
        return list(runs.values())

    def capacities(self, app: str, workers: Sequence[str]) -> list[float]:
        """Relative capacities (mean 1.0) in the order of ``workers``."""
        if len(workers) == 1:  # relative to itself: 1.0 whatever was measured (no query)
            return [1.0]
        return replay(self.history(app, workers), list(workers))

    def record(self, app: str, run_id: str | None, worker: str, items: int, weight: float, seconds: float) -> None:
        self.record_many(app, run_id, [(worker, items, weight, seconds)])

    def record_many(self, app: str, run_id: str | None, measured: list[tuple[str, int, float, float]],
                    session: Any = None) -> None:
        """``(worker, items, weight, seconds)`` of each worker of one run, in one transaction
        (``session``'s, e.g. the one that finishes the run, or a new one)."""
        if not measured:
            return
        if self.lite:
            from .lite_records import insert_worker_stats

            insert_worker_stats(self.store, self.owner, app, run_id, measured)
            return
        from sqlalchemy import insert

        from ..store.models import WorkerStat

        rows = [{"owner": self.owner, "app": app, "worker": worker, "run_id": run_id, "items": items,
                 "weight": weight, "seconds": seconds} for worker, items, weight, seconds in measured]
        if session is not None:
            session.execute(insert(WorkerStat), rows)
            return
        with self.store.session() as own:
            own.execute(insert(WorkerStat), rows)

    def _orm_rows(self, app: str, workers: Sequence[str]) -> list[tuple]:
        """``(id, run_id, worker, weight, seconds)``, newest first (the same query as ``worker_stat_rows``)."""
        from sqlalchemy import select

        from ..store.models import WorkerStat

        query = (
            select(WorkerStat.id, WorkerStat.run_id, WorkerStat.worker, WorkerStat.weight, WorkerStat.seconds)
            .where(WorkerStat.owner == self.owner, WorkerStat.app == app, WorkerStat.worker.in_(list(workers)))
            .where(WorkerStat.seconds >= MIN_SECONDS, WorkerStat.weight > 0)
            .order_by(WorkerStat.id.desc())
            .limit(self.window)
        )
        with self.store.read() as session:  # a snapshot: planning never waits on the write lock
            return [tuple(row) for row in session.execute(query).all()]


def replay(runs: list[list[tuple[str, float]]], workers: list[str]) -> list[float]:
    """The capacities in use after replaying ``runs`` through the moving average and the hysteresis."""
    smoothed: dict[str, float] = {}
    samples: dict[str, int] = {}
    adopted = [1.0] * len(workers)
    drift: list[int] = [0] * len(workers)  # consecutive runs a worker sat on the same side of its band
    for run in runs:
        for worker, rate in run:
            previous = smoothed.get(worker)
            smoothed[worker] = rate if previous is None else ALPHA * rate + (1 - ALPHA) * previous
            samples[worker] = samples.get(worker, 0) + 1
        target = relative([smoothed[w] if samples.get(w, 0) >= MIN_SAMPLES else None for w in workers])
        deviations = [t / a - 1 for t, a in zip(target, adopted, strict=True)]
        drift = [_drift(d, n) for d, n in zip(deviations, drift, strict=True)]
        if any(abs(d) > HYSTERESIS for d in deviations) or any(abs(n) >= SETTLE_RUNS for n in drift):
            adopted, drift = target, [0] * len(workers)
    return adopted


def _drift(deviation: float, streak: int) -> int:
    """A streak of runs off by more than half the band on one side (a real change, not noise)."""
    if abs(deviation) <= HYSTERESIS / 2:
        return 0
    side = 1 if deviation > 0 else -1
    return streak + side if streak * side >= 0 else side


def relative(rates: list[float | None]) -> list[float]:
    """Rates scaled to a mean of 1.0; unknown rates get the mean of the known ones."""
    known = [r for r in rates if r is not None]
    if not known:
        return [1.0] * len(rates)
    default = sum(known) / len(known)
    filled = [r if r is not None else default for r in rates]
    mean = sum(filled) / len(filled)
    return [r / mean for r in filled]
