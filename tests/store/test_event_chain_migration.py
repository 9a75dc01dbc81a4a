"""Migration 0002 re-hashes an existing log with the new scheme, but never blesses a tampered one."""

import hashlib
import json
from datetime import UTC, datetime

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import insert

from agilab_lab.store.db import Store, _alembic_config
from agilab_lab.store.events import EventLog
from agilab_lab.store.models import Event


def _old_hash(prev, owner, topic, kind, payload):
    record = json.dumps({"owner": owner, "topic": topic, "kind": kind, "payload": payload},
                        sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256((prev + record).encode()).hexdigest()


def _store_at_0001_with_old_events(db_url, n=5, tamper=None):
    store = Store(db_url, run_migrations=False)
    command.upgrade(_alembic_config(store.engine), "0001")
    prev, rows = "0" * 64, []
    for i in range(1, n + 1):
        payload = {"i": i}
        digest = _old_hash(prev, "alice", "run:1", "log", payload)
        rows.append({"id": i, "owner": "alice", "topic": "run:1", "kind": "log",
                     "payload": {"i": "forged"} if i == tamper else payload,
                     "created_at": datetime(2026, 11, 30, 12, 0, i, 1234, tzinfo=UTC), "prev_hash": prev,
                     "hash": digest})
        prev = digest
    with store.engine.begin() as connection:
        connection.execute(insert(Event), rows)
    return store


@pytest.mark.parametrize("tamper", [None, 3])
def test_upgrade_rehashes_an_intact_log_and_keeps_a_tampered_row_visible(db_url, tamper):
    store = _store_at_0001_with_old_events(db_url, tamper=tamper)
    command.upgrade(_alembic_config(store.engine), "head")
    log = EventLog(store)
    report = log.verify_chain()
    if tamper is None:
        assert report.ok and report.rows_checked == 5 and report.head_id == 5
        new = log.append("bob", "run:2", "status", {"state": "done"})
        assert new.id == 6 and log.verify_chain().ok
    else:
        assert not report.ok and report.first_broken_id == tamper
    store.dispose()


def test_downgrade_restores_the_old_hashes(db_url):
    store = _store_at_0001_with_old_events(db_url)
    with store.engine.connect() as connection:
        before = connection.execute(Event.__table__.select().order_by(Event.id)).all()
    config = _alembic_config(store.engine)
    anchor = _anchor_revision(config)
    command.upgrade(config, anchor.revision)
    command.downgrade(config, anchor.down_revision)
    with store.engine.connect() as connection:
        after = connection.execute(Event.__table__.select().order_by(Event.id)).all()
    assert [(r.prev_hash, r.hash) for r in after] == [(r.prev_hash, r.hash) for r in before]
    store.dispose()


def _anchor_revision(config):
    """The migration that introduced the anchored chain (its id changes as migrations land)."""
    found = [r for r in ScriptDirectory.from_config(config).walk_revisions() if "event_heads" in (r.doc or "")]
    assert len(found) == 1, found
    return found[0]
