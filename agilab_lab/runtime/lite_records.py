"""Run rows and worker stats in plain SQL, for a ``Lab`` opened on a light store (the CLI's run path).

Same tables, columns and value formats as the SQLAlchemy models write (see
:mod:`agilab_lab.store.lite`): a run recorded here reads back identically through
:class:`~agilab_lab.runtime.records.RunStore`, and the reverse. Every column is written
explicitly, because the models' defaults are Python-side, not in the schema.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from ..store.ids import new_id, utcnow
from ..store.lite import LiteStore, parse_datetime, sql_datetime, sql_json
from .errors import RunNotFound
from .records import ArtifactEntry, RunRecord, RunStore, _record

_JSON_COLUMNS = ("args", "plan", "result", "timings", "extra")
_DATETIME_COLUMNS = ("created_at", "started_at", "finished_at")
_RUN_COLUMNS = frozenset(("status", "log", "error", "seconds", *_JSON_COLUMNS, *_DATETIME_COLUMNS))


class LiteRunStore:
    """``RunStore``'s interface for one owner; listing (not on the run path) goes through the ORM."""

    def __init__(self, store: LiteStore, owner: str):
        self.store, self.owner = store, owner

    def create(self, app: str, mode: str, args: dict[str, Any], extra: dict[str, Any], run_id: str | None = None,
               **values: Any) -> str:
        """As ``RunStore.create``: ``queued`` unless ``values`` (other columns) say otherwise."""
        run_id = run_id or new_id()
        with self.store.write() as db:
            db.execute(
                "INSERT INTO runs (id, owner, app, mode, status, args, plan, result, timings, extra, log, error, "
                "seconds, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, 'queued', ?, '[]', '{}', '{}', "
                "?, '', NULL, NULL, ?, NULL, NULL)",
                (run_id, self.owner, app, mode, sql_json(args), sql_json(extra), sql_datetime(utcnow())))
            _update(db, run_id, values)
        return run_id

    def update(self, run_id: str, session: Any = None, **values: Any) -> None:
        """``session``: ``RunStore``'s signature; inside ``LiteStore.transaction()`` the write joins it."""
        with self.store.write() as db:
            self._check(db, run_id)
            _update(db, run_id, values)

    def start(self, run_id: str, plan: list[dict[str, Any]]) -> None:
        self.update(run_id, status="running", plan=plan, started_at=utcnow())

    def add_artifacts(self, run_id: str, entries: list[ArtifactEntry]) -> None:
        with self.store.write() as db:
            _insert_artifacts(db, self.owner, run_id, entries)

    def finish(self, run_id: str, entries: list[ArtifactEntry], session: Any = None, **values: Any) -> RunRecord:
        """Record the artifacts and the final values in one transaction (the open
        ``LiteStore.transaction()`` if any); the run as it now reads."""
        with self.store.write() as db:
            self._check(db, run_id)
            _insert_artifacts(db, self.owner, run_id, entries)
            _update(db, run_id, values)
        return self.get(run_id)

    def get(self, run_id: str) -> RunRecord:
        run = self.store.query("SELECT * FROM runs WHERE id = ?", (run_id,))
        if not run or run[0]["owner"] != self.owner:
            raise RunNotFound(f"no run {run_id!r}")
        artifacts = self.store.query(
            "SELECT path, sha256, size_bytes FROM artifacts WHERE run_id = ? ORDER BY path", (run_id,))
        return _record(_run_row(run[0]), [SimpleNamespace(**dict(a)) for a in artifacts])

    def status(self, run_id: str) -> str:
        run = self.store.query("SELECT owner, status FROM runs WHERE id = ?", (run_id,))
        if not run or run[0]["owner"] != self.owner:
            raise RunNotFound(f"no run {run_id!r}")
        return run[0]["status"]

    def list(self, app: str | None = None, limit: int = 50) -> list[RunRecord]:
        return RunStore(self.store.full, self.owner).list(app=app, limit=limit)

    def _check(self, db, run_id: str) -> None:
        row = db.execute("SELECT owner FROM runs WHERE id = ?", (run_id,)).fetchone()
        if row is None or row[0] != self.owner:
            raise RunNotFound(f"no run {run_id!r}")


def _update(db, run_id: str, values: dict[str, Any]) -> None:
    unknown = set(values) - _RUN_COLUMNS
    if unknown:  # column names go into the SQL text: only the model's own
        raise ValueError(f"not a column of runs: {sorted(unknown)}")
    if not values:
        return
    names = sorted(values)
    assignments = ", ".join(f'"{name}" = ?' for name in names)
    db.execute(f"UPDATE runs SET {assignments} WHERE id = ?", [*(_to_sql(n, values[n]) for n in names), run_id])


def _to_sql(name: str, value: Any) -> Any:
    if name in _JSON_COLUMNS:
        return sql_json(value)
    if name in _DATETIME_COLUMNS:
        return sql_datetime(value)
    return value


def _insert_artifacts(db, owner: str, run_id: str, entries: list[ArtifactEntry]) -> None:
    now = sql_datetime(utcnow())
    db.executemany(
        "INSERT INTO artifacts (id, owner, run_id, decision_set_id, path, sha256, kind, size_bytes, created_at) "
        "VALUES (?, ?, ?, NULL, ?, ?, 'run-file', ?, ?)",
        [(new_id(), owner, run_id, e.path, e.sha256, e.size_bytes, now) for e in entries])


def _run_row(row) -> SimpleNamespace:
    """A ``runs`` row with the column types the ORM gives (JSON decoded, naive datetimes)."""
    values = dict(row)
    for name in _JSON_COLUMNS:
        values[name] = json.loads(values[name])
    for name in _DATETIME_COLUMNS:
        values[name] = parse_datetime(values[name])
    return SimpleNamespace(**values)


# -- worker stats (the capacity predictor's telemetry) ---------------------------------------

def worker_stat_rows(store: LiteStore, owner: str, app: str, workers: Sequence[str], min_seconds: float,
                     window: int) -> list[tuple[int, str | None, str, float, float]]:
    """``(id, run_id, worker, weight, seconds)`` of the last ``window`` usable rows, newest first."""
    if not workers:
        return []
    marks = ", ".join("?" for _ in workers)
    rows = store.query(
        f"SELECT id, run_id, worker, weight, seconds FROM worker_stats WHERE owner = ? AND app = ? "
        f"AND worker IN ({marks}) AND seconds >= ? AND weight > 0 ORDER BY id DESC LIMIT ?",
        (owner, app, *workers, min_seconds, window))
    return [tuple(row) for row in rows]


def insert_worker_stats(store: LiteStore, owner: str, app: str, run_id: str | None,
                        measured: list[tuple[str, int, float, float]], now: datetime | None = None) -> None:
    """``(worker, items, weight, seconds)`` rows of one run, in one transaction."""
    stamp = sql_datetime(now or utcnow())
    with store.write() as db:
        db.executemany(
            "INSERT INTO worker_stats (owner, app, worker, run_id, items, weight, seconds, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [(owner, app, worker, run_id, items, float(weight), float(seconds), stamp)
             for worker, items, weight, seconds in measured])
