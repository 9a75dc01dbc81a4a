"""Job queue semantics: idempotent enqueue, leases, fencing, backoff, dead letter."""

from datetime import UTC, datetime, timedelta

from agilab_lab.store.queue import JobQueue


class FakeClock:
    def __init__(self):
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self):
        return self.now

    def advance(self, seconds):
        self.now += timedelta(seconds=seconds)


def test_enqueue_is_idempotent_by_key(store):
    queue = JobQueue(store)
    first = queue.enqueue("design", {"a": 1}, owner="alice", key="design:ds1")
    again = queue.enqueue("design", {"a": 2}, owner="alice", key="design:ds1")
    assert again.id == first.id
    assert queue.depth() == {"queued": 1}


def test_claim_complete_and_fencing(store):
    clock = FakeClock()
    queue = JobQueue(store, clock=clock)
    queue.enqueue("run", {"n": 1}, owner="alice", key="k1")
    job = queue.claim("w1", lease_s=10)
    assert job.attempt == 1 and job.payload == {"n": 1}
    assert queue.claim("w2", lease_s=10) is None  # leased
    clock.advance(11)
    taken_over = queue.claim("w2", lease_s=10)
    assert taken_over.id == job.id and taken_over.attempt == 2
    assert not queue.complete(job, {"by": "w1"})  # the stale worker is fenced off
    assert not queue.heartbeat(job)
    assert queue.complete(taken_over, {"by": "w2"})
    stored = queue.get(job.id)
    assert stored.status == "succeeded" and stored.result == {"by": "w2"}


def test_failures_back_off_exponentially_then_dead_letter(store):
    clock = FakeClock()
    queue = JobQueue(store, clock=clock, backoff_base_s=4)
    queue.enqueue("run", {}, owner="alice", key="k", max_attempts=3)
    job = queue.claim("w")
    assert queue.fail(job, "boom 1") == "queued"
    assert queue.claim("w") is None
    clock.advance(4)
    job = queue.claim("w")
    assert job.attempt == 2
    assert queue.fail(job, "boom 2") == "queued"
    clock.advance(7)
    assert queue.claim("w") is None  # second backoff is 8 s
    clock.advance(1)
    job = queue.claim("w")
    assert queue.fail(job, "boom 3") == "dead"
    stored = queue.get(job.id)
    assert stored.status == "dead" and stored.attempts == 3 and "boom 3" in stored.error


def test_expired_lease_on_last_attempt_is_reaped_once_then_dead_lettered(store):
    clock = FakeClock()
    queue = JobQueue(store, clock=clock)
    queue.enqueue("run", {}, owner="alice", key="k", max_attempts=1)
    job = queue.claim("w", lease_s=5)
    clock.advance(6)
    assert queue.claim("w2") is None  # never claimed again: its last attempt is spent
    (reaped,) = queue.reap("reaper-1", lease_s=5)
    assert reaped.id == job.id and reaped.lease_owner == "reaper-1"
    assert queue.reap("reaper-2") == []  # the first reaper holds it while it ends the run
    assert not queue.complete(job)  # the dead worker's fencing token is void
    assert queue.bury(reaped, "worker died")
    stored = queue.get(job.id)
    assert stored.status == "dead" and stored.error == "worker died"


def test_a_reaper_that_dies_leaves_the_job_to_the_next_one(store):
    clock = FakeClock()
    queue = JobQueue(store, clock=clock)
    queue.enqueue("run", {}, owner="alice", key="k", max_attempts=1)
    queue.claim("w", lease_s=5)
    clock.advance(6)
    assert len(queue.reap("reaper-1", lease_s=5)) == 1
    clock.advance(6)
    (again,) = queue.reap("reaper-2", lease_s=5)
    assert again.lease_owner == "reaper-2"


def test_heartbeat_keeps_the_lease(store):
    clock = FakeClock()
    queue = JobQueue(store, clock=clock)
    queue.enqueue("run", {}, owner="alice", key="k")
    job = queue.claim("w", lease_s=10)
    for _ in range(3):
        clock.advance(8)
        assert queue.heartbeat(job, lease_s=10)
    assert queue.claim("thief") is None


def test_kinds_filter(store):
    queue = JobQueue(store)
    queue.enqueue("design", {}, owner="a", key="d")
    assert queue.claim("w", kinds=["run"]) is None
    assert queue.claim("w", kinds=["design"]).kind == "design"


def test_reads_take_no_write_lock(tmp_path):
    """A read session leaves the SQLite write lock free; a write session holds it (the gate's control)."""
    import sqlite3

    import pytest
    from sqlalchemy import text

    from agilab_lab.store.db import Store

    path = tmp_path / "locks.sqlite"
    store = Store(f"sqlite:///{path}")
    other = sqlite3.connect(path, timeout=0.2, isolation_level=None)
    with store.read() as session:
        session.execute(text("SELECT count(*) FROM jobs")).scalar()
        other.execute("BEGIN IMMEDIATE")  # would raise "database is locked" under a write lock
        other.execute("ROLLBACK")
    with pytest.raises(sqlite3.OperationalError, match="locked"), store.session() as session:
        session.execute(text("SELECT count(*) FROM jobs")).scalar()
        other.execute("BEGIN IMMEDIATE")
    other.close()
    store.dispose()
