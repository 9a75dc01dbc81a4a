"""Learn each worker's capacity (work units per second) from previous runs' telemetry.

After every run the runtime stores one ``WorkerStat`` row per worker: how much weight it
processed and how many seconds its items took (work only: start-up, imports and shipping are
fixed costs, not speed). A worker's capacity is the weight-weighted mean rate of its last
``window`` rows. Rows shorter than ``MIN_SECONDS`` are ignored: the rate of a task that ran for
milliseconds is timer and scheduler noise, and learning from it skews the next real run.
Workers without history get the mean capacity of the workers that have one (all equal when
nobody has history), so a new worker starts with a fair share.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from ..store.db import Store
from ..store.models import WorkerStat

MIN_SECONDS = 0.25


class CapacityPredictor:
    """Capacities per worker for one app, read from the ``worker_stats`` table."""

    def __init__(self, store: Store, owner: str, window: int = 5):
        self.store, self.owner, self.window = store, owner, window

    def rate(self, app: str, worker: str) -> float | None:
        """Measured work units per second of ``worker`` on ``app``, or None without history."""
        query = (
            select(WorkerStat.weight, WorkerStat.seconds)
            .where(WorkerStat.owner == self.owner, WorkerStat.app == app, WorkerStat.worker == worker)
            .where(WorkerStat.seconds >= MIN_SECONDS, WorkerStat.weight > 0)
            .order_by(WorkerStat.id.desc())
            .limit(self.window)
        )
        with self.store.session() as session:
            rows = session.execute(query).all()
        if not rows:
            return None
        return sum(w for w, _ in rows) / sum(s for _, s in rows)

    def capacities(self, app: str, workers: Sequence[str]) -> list[float]:
        """Relative capacities (mean 1.0) in the order of ``workers``."""
        rates = [self.rate(app, worker) for worker in workers]
        known = [r for r in rates if r is not None]
        if not known:
            return [1.0] * len(workers)
        default = sum(known) / len(known)
        filled = [r if r is not None else default for r in rates]
        mean = sum(filled) / len(filled)
        return [r / mean for r in filled]

    def record(self, app: str, run_id: str, worker: str, items: int, weight: float, seconds: float) -> None:
        with self.store.session() as session:
            session.add(
                WorkerStat(owner=self.owner, app=app, worker=worker, run_id=run_id,
                           items=items, weight=weight, seconds=seconds)
            )
