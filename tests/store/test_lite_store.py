"""The light SQLite store of the CLI's run path (stdlib ``sqlite3``) against the SQLAlchemy store.

Events it appends must chain with the ORM log's (in both orders), verify, and read back the same;
tampering with them must still be named; and it must refuse every database it cannot serve
as is (new, behind the migrations, in memory, PostgreSQL), so that the full store migrates it.
"""

import sqlite3
import threading

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import select, update

from agilab_lab.store.db import Store, _alembic_config
from agilab_lab.store.event_buffer import EventBuffer
from agilab_lab.store.events import EventLog
from agilab_lab.store.lite import LiteEventLog, open_lite, sqlite_path
from agilab_lab.store.models import Event, EventHead


@pytest.fixture
def sqlite_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'lite.sqlite'}"
    Store(url).dispose()  # the schema, at head
    return url


def test_it_serves_a_sqlite_file_at_head_only(tmp_path, sqlite_url):
    lite = open_lite(sqlite_url)
    assert lite is not None and lite.revision == Store(sqlite_url).revision
    lite.dispose()
    assert open_lite(f"sqlite:///{tmp_path / 'missing.sqlite'}") is None  # a new database needs migrations
    assert not (tmp_path / "missing.sqlite").exists()
    assert open_lite("sqlite:///:memory:") is None
    assert open_lite("postgresql+psycopg://agilab@127.0.0.1:1/x") is None
    assert sqlite_path(f"sqlite:///{tmp_path}/a.sqlite?mode=ro") is None


def test_it_refuses_a_database_behind_the_code(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.sqlite'}"
    store = Store(url, run_migrations=False)
    config = _alembic_config(store.engine)
    head = ScriptDirectory.from_config(config).get_current_head()
    command.upgrade(config, ScriptDirectory.from_config(config).get_revision(head).down_revision)
    assert open_lite(url) is None
    store.dispose()


def test_a_file_that_is_not_ours_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    assert open_lite(f"sqlite:///{path}") is None


def test_light_and_orm_appends_make_one_chain_that_verifies(sqlite_url):
    orm, lite_store = Store(sqlite_url), open_lite(sqlite_url)
    orm_log, lite_log = EventLog(orm), LiteEventLog(lite_store)
    lite_log.append_many([("alice", "run:1", "log", {"i": 0, "line": "é"})])
    orm_log.append("alice", "run:1", "log", {"i": 1, "nested": {"a": [1, 2.5, None]}})
    rows = lite_log.append_many([("bob", "run:2", "status", {"state": "running", "n": 2}),
                                 ("bob", "run:2", "log", {"x": 1.5, "inf": float("inf")})])
    report = orm_log.verify_chain(batch=2)
    assert report.ok and report.rows_checked == 4 and report.head_hash == rows[-1]["hash"]
    read = [(e.owner, e.topic, e.kind, e.payload) for e in orm_log.since("run:2")]
    assert read == [(r["owner"], r["topic"], r["kind"], r["payload"]) for r in rows]
    assert lite_log.verify_chain().ok  # the rest of the log's API reaches the ORM log
    lite_store.dispose()
    orm.dispose()


def test_a_lite_written_row_edited_afterwards_is_named(sqlite_url):
    lite_store, orm = open_lite(sqlite_url), Store(sqlite_url)
    rows = LiteEventLog(lite_store).append_many([("alice", "run:1", "log", {"i": i}) for i in range(4)])
    with orm.session() as session:
        session.execute(update(Event).where(Event.id == rows[1]["id"]).values(payload={"i": 99}))
    report = EventLog(orm).verify_chain()
    assert not report.ok and report.first_broken_id == rows[1]["id"]
    lite_store.dispose()
    orm.dispose()


def test_a_database_without_an_anchored_head_gets_one(sqlite_url):
    orm = Store(sqlite_url)
    EventLog(orm).append("alice", "t", "k", {"i": 0})
    with orm.session() as session:
        session.execute(EventHead.__table__.delete())
    lite_store = open_lite(sqlite_url)
    LiteEventLog(lite_store).append_many([("alice", "t", "k", {"i": 1})])
    report = EventLog(orm).verify_chain()
    assert report.ok and report.rows_checked == 2
    with orm.read() as session:
        assert session.scalar(select(EventHead.count)) == 2
    lite_store.dispose()
    orm.dispose()


def test_buffered_light_writers_and_orm_writers_interleave(sqlite_url):
    """Threads on the light store (one connection, locked) and on the ORM store at the same time."""
    lite_store, orm = open_lite(sqlite_url), Store(sqlite_url)

    def light(n):
        with EventBuffer(LiteEventLog(lite_store), "alice", max_events=7, max_delay_s=0) as buffer:
            for i in range(n):
                buffer.add("run:l", "log", {"i": i})

    def heavy(n):
        for i in range(n):
            EventLog(orm).append("bob", "run:o", "log", {"i": i})

    threads = [threading.Thread(target=light, args=(60,)), threading.Thread(target=light, args=(45,)),
               threading.Thread(target=heavy, args=(30,))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = EventLog(orm).verify_chain()
    assert report.ok and report.rows_checked == 135
    lite_store.dispose()
    orm.dispose()
