"""Tamper tests of the event log: every column is hashed and the head is anchored.

Each test breaks the log the way an attacker with write access to the database would (edit a
payload, a timestamp, delete or rewrite the last row) and checks that ``verify_chain`` and
``agilab-lab verify`` name the damage. Runs on SQLite and PostgreSQL.
"""

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select, update

from agilab_lab.store.chain import row_hash
from agilab_lab.store.event_buffer import EventBuffer
from agilab_lab.store.events import EventLog
from agilab_lab.store.models import Event, EventHead

ROOT = Path(__file__).parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def _log_of(store, n=6):
    log = EventLog(store)
    return log, [log.append("alice", "run:1", "log", {"i": i}) for i in range(n)]


def test_an_intact_log_verifies_and_its_head_is_the_last_row(store):
    log, events = _log_of(store)
    report = log.verify_chain(batch=4)
    assert report.ok and report.rows_checked == 6
    assert (report.head_id, report.head_hash) == (events[-1].id, events[-1].hash)


def test_an_edited_payload_is_named(store):
    log, events = _log_of(store)
    with store.session() as session:
        session.execute(update(Event).where(Event.id == events[2].id).values(payload={"i": 999}))
    report = log.verify_chain()
    assert not report.ok and report.first_broken_id == events[2].id and "edited" in report.reason


def test_an_edited_created_at_is_named(store):
    log, events = _log_of(store)
    moved = events[4].created_at - timedelta(seconds=1)
    with store.session() as session:
        session.execute(update(Event).where(Event.id == events[4].id).values(created_at=moved))
    report = log.verify_chain()
    assert not report.ok and report.first_broken_id == events[4].id


def test_an_edited_owner_topic_or_kind_is_named(store):
    for column, value in (("owner", "mallory"), ("topic", "run:2"), ("kind", "status")):
        log, events = _log_of(store, 3)
        with store.session() as session:
            session.execute(update(Event).where(Event.id == events[1].id).values({column: value}))
        assert log.verify_chain().first_broken_id == events[1].id, column
        with store.session() as session:  # put it back for the next column
            session.execute(update(Event).where(Event.id == events[1].id).values({column: getattr(events[1], column)}))
        assert log.verify_chain().ok


def test_deleting_the_last_event_is_detected(store):
    log, events = _log_of(store)
    with store.session() as session:
        session.execute(delete(Event).where(Event.id == events[-1].id))
    report = log.verify_chain()
    assert not report.ok and report.first_broken_id == events[-1].id and "tail was deleted" in report.reason


def test_truncating_the_whole_log_is_detected(store):
    log, _ = _log_of(store)
    with store.session() as session:
        session.execute(delete(Event))
    assert not log.verify_chain().ok


def test_a_rewritten_tail_with_recomputed_hashes_is_detected(store):
    log, events = _log_of(store)
    last = events[-1]
    forged = row_hash(last.prev_hash, last.id, last.owner, last.topic, last.kind, {"i": -1}, last.created_at)
    with store.session() as session:
        session.execute(update(Event).where(Event.id == last.id).values(payload={"i": -1}, hash=forged))
    report = log.verify_chain()
    assert not report.ok and report.first_broken_id == last.id and "rewritten" in report.reason


def test_a_deleted_middle_row_breaks_the_next_link(store):
    log, events = _log_of(store)
    with store.session() as session:
        session.execute(delete(Event).where(Event.id == events[1].id))
    report = log.verify_chain()
    assert report.first_broken_id == events[2].id and "prev_hash" in report.reason


def test_append_many_is_one_chain_and_moves_the_head_once(store):
    log = EventLog(store)
    first = log.append("a", "t", "k", {"n": 0})
    batch = log.append_many([("a", "t", "log", {"n": i}) for i in range(1, 50)])
    assert [e["id"] for e in batch] == list(range(first.id + 1, first.id + 50))
    assert batch[0]["prev_hash"] == first.hash and all(b["prev_hash"] == a["hash"] for a, b in zip(batch, batch[1:], strict=False))
    with store.session() as session:
        head = session.get(EventHead, "global")
    assert (head.last_id, head.last_hash, head.count) == (batch[-1]["id"], batch[-1]["hash"], 50)
    assert log.verify_chain().ok


def test_a_buffer_writes_batches_and_flushes_when_its_block_fails(store):
    log = EventLog(store)
    try:
        with EventBuffer(log, "alice", max_events=10, max_delay_s=0) as buffer:
            for i in range(25):
                buffer.add("run:x", "log", {"i": i})
            raise RuntimeError("the task failed")
    except RuntimeError:
        pass
    assert buffer.batches == 3  # 10 + 10 + the 5 flushed on the way out
    assert [e.payload["i"] for e in log.since("run:x")] == list(range(25))
    assert log.verify_chain().ok


def test_concurrent_buffered_writers_keep_the_chain_valid(store, db_url):
    writers = [subprocess.Popen([sys.executable, str(ROOT / "tests/store/event_writer.py"), db_url, f"w{k}",
                                 "150", str(7 + k * 5)], env=ENV) for k in range(3)]
    for writer in writers:
        assert writer.wait(timeout=240) == 0
    log = EventLog(store)
    report = log.verify_chain(batch=100)
    assert report.ok, report
    with store.session() as session:
        assert session.scalar(select(func.count()).select_from(Event)) == 3 * (150 + 6) == report.rows_checked
    for k in range(3):  # each writer's own events stay in its order
        lines = [e.payload["i"] for e in log.since(f"writer:w{k}", limit=1000) if e.kind == "log"]
        assert lines == list(range(150))


def _verify_cli(home):
    env = {**ENV, "AGILAB_LAB_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "agilab_lab.cli", "verify", "--json"], env=env,
                          capture_output=True, text=True, timeout=120)


def test_verify_command_reports_ok_then_the_tampered_row(lab):
    events = [lab.events.append(lab.owner, "run:1", "log", {"i": i}) for i in range(3)]
    ok = _verify_cli(lab.home)
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout) == {"ok": True, "rows_checked": 3, "first_broken_id": None, "reason": "",
                                     "head_id": events[-1].id, "head_hash": events[-1].hash}
    with lab.store.session() as session:
        session.execute(update(Event).where(Event.id == events[1].id).values(payload={"i": "forged"}))
    broken = _verify_cli(lab.home)
    assert broken.returncode == 1
    assert json.loads(broken.stdout)["first_broken_id"] == events[1].id


def test_the_flat_payload_fast_path_is_the_json_round_trip():
    import math

    from agilab_lab.store.chain import canonical_payload

    for payload in ({"worker": "w", "line": "é ok", "n": 3, "x": 0.1 + 0.2, "flag": True, "none": None},
                    {"nested": {"b": [1, 2]}}, {1: "int key"}, {"nan": math.nan}, {}):
        expected = json.loads(json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str))
        got = canonical_payload(payload)
        assert json.dumps(got, sort_keys=True) == json.dumps(expected, sort_keys=True)
