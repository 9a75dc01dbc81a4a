"""Engines, sessions and migrations for SQLite (default) and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from .lite import LiteStore, configure_connection, open_lite
from .revisions import MIGRATIONS_DIR, script_heads

READ_ONLY = "agilab_read_only"  # execution option of the engine behind Store.read()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        configure_connection(dbapi_connection)  # the same pragmas as the light store's connection

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # IMMEDIATE takes the write lock up front: a read-then-write transaction (queue claim,
        # event append) can then never fail with SQLITE_BUSY_SNAPSHOT half-way. Read-only
        # sessions (Store.read) take a plain deferred snapshot: no lock, never waiting on writers.
        if connection.get_execution_options().get(READ_ONLY):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get WAL, foreign keys and a busy timeout."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10)


def database_kind(engine: Engine) -> str:
    return "postgresql" if engine.dialect.name == "postgresql" else engine.dialect.name


def _alembic_config(engine: Engine):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["engine"] = engine
    return cfg


def migrate(engine: Engine) -> str:
    """Apply the pending migrations, if any; return the revision the database is now at.

    Alembic (~0.1 s of imports plus its own queries) runs only when the database is behind:
    the usual open of an up-to-date database costs one ``SELECT`` from ``alembic_version``.
    """
    current = database_revisions(engine)
    if current and current == script_heads():
        return ",".join(sorted(current))
    from alembic import command

    command.upgrade(_alembic_config(engine), "head")
    return current_revision(engine) or ""


def current_revision(engine: Engine) -> str | None:
    revisions = database_revisions(engine)
    return ",".join(sorted(revisions)) if revisions else None


def database_revisions(engine: Engine) -> frozenset[str]:
    """The revisions recorded in ``alembic_version`` (empty for a new database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return frozenset()
        return frozenset(connection.execute(text("SELECT version_num FROM alembic_version")).scalars())


class Store:
    """The database: an engine, a session factory and the migration state."""

    def __init__(self, url: str, *, run_migrations: bool = True):
        self.url = url
        self.engine = make_engine(url)
        self.kind = database_kind(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._readers = sessionmaker(self.engine.execution_options(**{READ_ONLY: True}), expire_on_commit=False)
        self.revision = migrate(self.engine) if run_migrations else current_revision(self.engine)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed on success, rolled back on any exception."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A read-only unit of work: one consistent snapshot that takes no write lock.

        On SQLite it is a deferred transaction (WAL readers never wait for the writer, and
        the writer never waits for them); use :meth:`session` for anything that writes.
        """
        session = self._readers()
        try:
            yield session
        finally:
            session.close()  # ends the snapshot (pool reset); loaded objects stay usable, detached

    @cached_property
    def light_twin(self) -> LiteStore | None:
        """A light (stdlib ``sqlite3``) store on the same file, closed with this one; None unless
        the database is a SQLite file at the migration head."""
        twin = open_lite(self.url)
        if twin is not None:
            twin.__dict__["full"] = self  # its ORM needs are served by this store, not a second one
        return twin

    def dispose(self) -> None:
        twin = self.__dict__.pop("light_twin", None)
        if twin is not None:
            twin.close()
        self.engine.dispose()
