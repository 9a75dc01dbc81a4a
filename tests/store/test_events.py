"""The event log's hash chain detects tampering and names the first broken row."""

from sqlalchemy import select, update

from agilab_lab.store.events import GENESIS_HASH, EventLog
from agilab_lab.store.models import Event


def test_chain_links_every_row(store):
    log = EventLog(store)
    first = log.append("alice", "project:1", "created", {"name": "fraud"})
    second = log.append("bob", "run:2", "status", {"status": "running", "n": 2})
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert log.verify_chain().ok
    assert log.verify_chain().rows_checked == 2


def test_tampered_payload_is_named(store):
    log = EventLog(store)
    events = [log.append("alice", "t", "k", {"i": i}) for i in range(6)]
    victim = events[3]
    with store.session() as session:
        session.execute(update(Event).where(Event.id == victim.id).values(payload={"i": 999}))
    report = log.verify_chain(batch=2)
    assert not report.ok
    assert report.first_broken_id == victim.id
    assert report.rows_checked == 3


def test_deleted_row_breaks_the_link_of_the_next(store):
    log = EventLog(store)
    events = [log.append("alice", "t", "k", {"i": i}) for i in range(4)]
    with store.session() as session:
        session.delete(session.get(Event, events[1].id))
    report = log.verify_chain()
    assert report.first_broken_id == events[2].id
    assert "prev_hash" in report.reason


def test_since_reads_one_topic_in_order(store):
    log = EventLog(store)
    for i in range(5):
        log.append("alice", "run:a" if i % 2 == 0 else "run:b", "log", {"i": i})
    a_events = log.since("run:a")
    assert [e.payload["i"] for e in a_events] == [0, 2, 4]
    assert [e.payload["i"] for e in log.since("run:a", a_events[0].id)] == [2, 4]
    assert log.since("run:a", owner="mallory") == []


def test_event_commits_with_the_change_it_records(store):
    log = EventLog(store)
    try:
        with store.session() as session:
            log.append("alice", "t", "k", {"x": 1}, session=session)
            raise RuntimeError("the change failed")
    except RuntimeError:
        pass
    with store.session() as session:
        assert session.scalars(select(Event)).all() == []
