"""A light SQLite store for the CLI's run path: stdlib ``sqlite3``, no SQLAlchemy import.

``import sqlalchemy.orm`` and the models cost ~0.3 s of CPU, a third of a whole
``agilab-lab run`` process. When the database is a SQLite file already at the migration head,
the run path writes its few rows (the run, its artifacts, worker stats, the event log) with plain
SQL on the tables the Alembic migrations created, in the format SQLAlchemy itself uses (JSON via
``json.dumps``, ``DATETIME`` as ``YYYY-MM-DD HH:MM:SS.ffffff``), so the ORM reads them back
unchanged. Events are chained by :func:`agilab_lab.store.chain.chain_rows`, the function the
SQLAlchemy log uses, under the same ``BEGIN IMMEDIATE`` write lock.

Anything else (a new or older database, PostgreSQL, an in-memory URL) gets ``None`` from
:func:`open_lite` and the caller uses the full :class:`~agilab_lab.store.db.Store`, which
migrates. A ``LiteStore`` also answers ``session()``/``read()``/``engine`` by opening that full
store on first use, so code outside the hot path keeps working on a light ``Lab``.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from .chain import GENESIS_HASH, STREAM, EventSpec, chain_rows
from .ids import utcnow
from .revisions import script_heads

SQLITE_BUSY_TIMEOUT_MS = 30_000


def configure_connection(connection: sqlite3.Connection) -> None:
    """WAL, foreign keys, busy timeout; transactions taken explicitly (both stores use this)."""
    # Python's sqlite3 opens transactions lazily and as DEFERRED; we take them ourselves.
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def sql_datetime(value: datetime | None) -> str | None:
    """A ``DATETIME`` column as SQLAlchemy's SQLite dialect stores it (the value's own fields)."""
    if value is None:
        return None
    return f"{value:%Y-%m-%d %H:%M:%S}.{value.microsecond:06d}"


def parse_datetime(value: str | None) -> datetime | None:
    """A stored ``DATETIME`` as SQLAlchemy reads it back from SQLite: naive."""
    return None if value is None else datetime.fromisoformat(value)


def sql_json(value: Any) -> str:
    """A ``JSON`` column as SQLAlchemy stores it (its default serializer is plain ``json.dumps``)."""
    return json.dumps(value)


def sqlite_path(url: str) -> Path | None:
    """The file of a plain ``sqlite:///FILE`` URL; None for memory, URI options or other databases."""
    if not url.startswith(("sqlite:///", "sqlite+pysqlite:///")):
        return None
    path = url.split(":///", 1)[1]
    if not path or path == ":memory:" or "?" in path or path.startswith("file:"):
        return None
    return Path(path)


def open_lite(url: str) -> LiteStore | None:
    """A ``LiteStore`` when ``url`` is an existing SQLite file at the migration head, else None."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    connection = sqlite3.connect(path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
    try:
        configure_connection(connection)
        revisions = _revisions(connection)
    except sqlite3.Error:
        connection.close()
        return None
    if not revisions or revisions != script_heads():
        connection.close()  # behind (or not ours): the full store migrates it
        return None
    return LiteStore(url, connection, ",".join(sorted(revisions)))


def _revisions(connection: sqlite3.Connection) -> frozenset[str]:
    table = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'").fetchone()
    if table is None:
        return frozenset()
    return frozenset(row[0] for row in connection.execute("SELECT version_num FROM alembic_version"))


class LiteStore:
    """One ``sqlite3`` connection, serialised by a lock (the event buffer flushes from a timer thread)."""

    kind = "sqlite"
    lite = True

    def __init__(self, url: str, connection: sqlite3.Connection, revision: str):
        self.url, self.revision = url, revision
        self._connection = connection
        self._connection.row_factory = sqlite3.Row
        self._lock = threading.RLock()
        self._depth = 0  # write() blocks open on the lock's owner thread

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """A write transaction: ``BEGIN IMMEDIATE`` (as the SQLAlchemy store), committed or rolled back.

        Inside :meth:`transaction` (same thread: the lock is held) it joins the open transaction.
        """
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self._connection
                finally:
                    self._depth -= 1
                return
            self._connection.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._connection
            except BaseException:
                self._connection.execute("ROLLBACK")
                raise
            else:
                self._connection.execute("COMMIT")
            finally:
                self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[LiteStore]:
        """One transaction around several writes (a run's final row, worker stats, terminal event),
        as ``Store.session()`` gives the ORM path. It yields this store as the "session" to pass
        on; the light writers join the open transaction by themselves."""
        with self.write():
            yield self

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        """Rows of one read (autocommit: a consistent snapshot of that statement)."""
        with self._lock:
            return self._connection.execute(sql, params).fetchall()

    @cached_property
    def full(self):
        """The SQLAlchemy store on the same file, opened only when something needs the ORM."""
        from ..core import shared_store

        return shared_store(self.url)

    def session(self):
        return self.full.session()

    def read(self):
        return self.full.read()

    @property
    def engine(self):
        return self.full.engine

    def close(self) -> None:
        """Close this store's own connection (not the full store it may have opened)."""
        with self._lock:
            self._connection.close()

    def dispose(self) -> None:
        self.close()
        if "full" in self.__dict__:
            self.full.dispose()


class LiteEventLog:
    """``append_many`` in plain SQL (the run path's only use of the log); the rest via the ORM log."""

    def __init__(self, store: LiteStore):
        self.store = store

    def append_many(self, specs: Sequence[EventSpec], session: Any = None) -> list[dict[str, Any]]:
        """Append events in order in one transaction, moving the anchored head with them; their rows.

        ``session``: the store itself inside :meth:`LiteStore.transaction` (the events commit or roll
        back with it), or an ORM session (then the ORM log writes them in that session)."""
        if session is not None and session is not self.store:  # an ORM session: only the ORM log can join it
            return self._orm_log.append_many(specs, session=session)
        if not specs:
            return []
        with self.store.write() as db:
            last_id, last_hash, count, has_head = _head(db)
            now = utcnow()
            rows = chain_rows(last_hash, last_id + 1, now, specs)
            stamp = sql_datetime(now)
            db.executemany(
                "INSERT INTO events (id, owner, topic, kind, payload, created_at, prev_hash, hash) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [(r["id"], r["owner"], r["topic"], r["kind"], sql_json(r["payload"]), stamp, r["prev_hash"],
                  r["hash"]) for r in rows])
            head = (rows[-1]["id"], rows[-1]["hash"], count + len(rows), stamp, STREAM)
            if has_head:
                db.execute("UPDATE event_heads SET last_id = ?, last_hash = ?, count = ?, updated_at = ? "
                           "WHERE stream = ?", head)
            else:
                db.execute("INSERT INTO event_heads (last_id, last_hash, count, updated_at, stream) "
                           "VALUES (?, ?, ?, ?, ?)", head)
        return rows

    @cached_property
    def _orm_log(self):
        from .events import EventLog

        return EventLog(self.store.full)

    def __getattr__(self, name: str) -> Any:
        """``append``, ``since``, ``head``, ``verify_chain``: the SQLAlchemy log on the same database."""
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._orm_log, name)


def _head(db: sqlite3.Connection) -> tuple[int, str, int, bool]:
    """(last id, last hash, count, anchored?) of the chain; from the last event when not anchored yet."""
    row = db.execute("SELECT last_id, last_hash, count FROM event_heads WHERE stream = ?", (STREAM,)).fetchone()
    if row is not None:
        return row[0], row[1], row[2], True
    last = db.execute("SELECT id, hash FROM events ORDER BY id DESC LIMIT 1").fetchone()
    count = db.execute("SELECT count(*) FROM events").fetchone()[0]
    return (last[0], last[1], count, False) if last else (0, GENESIS_HASH, count, False)
