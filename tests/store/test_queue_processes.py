"""Real worker processes against SQLite and PostgreSQL: exactly-once completion, crash recovery."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from agilab_lab.store.models import Job
from agilab_lab.store.queue import JobQueue

WORKER = str(Path(__file__).with_name("drain_worker.py"))
ENV = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])}


def _spawn(url, out, mode):
    return subprocess.Popen([sys.executable, WORKER, url, str(out), mode], env=ENV,
                            stdout=subprocess.PIPE, text=True)


def test_two_processes_complete_500_jobs_exactly_once(store, db_url, tmp_path):
    queue = JobQueue(store)
    ids = {queue.enqueue("noop", {"i": i}, owner="t", key=f"job-{i}").id for i in range(500)}
    outs = [tmp_path / "w1.txt", tmp_path / "w2.txt"]
    procs = [_spawn(db_url, out, "drain") for out in outs]
    for proc in procs:
        assert proc.wait(timeout=240) == 0
    completed = [line for out in outs for line in out.read_text().split()]
    assert sorted(completed) == sorted(ids)  # each job once, none twice, none lost
    assert all(out.read_text() for out in outs), "both workers took part"
    with store.session() as session:
        assert session.scalar(select(func.count()).where(Job.status == "succeeded")) == 500
        assert session.scalar(select(func.max(Job.attempts))) == 1


def test_killed_worker_job_is_reclaimed_after_lease_expiry(store, db_url, tmp_path):
    queue = JobQueue(store)
    job_id = queue.enqueue("noop", {}, owner="t", key="crash-me").id
    holder = _spawn(db_url, tmp_path / "hold.txt", "hold")
    assert holder.stdout.readline().strip() == job_id
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait(timeout=10)
    assert queue.claim("rescuer") is None  # lease still held by the dead worker
    deadline = time.monotonic() + 30
    rescued = None
    while rescued is None and time.monotonic() < deadline:
        time.sleep(0.2)
        rescued = queue.claim("rescuer", lease_s=30)
    assert rescued is not None and rescued.id == job_id and rescued.attempt == 2
    assert queue.complete(rescued, {"ok": True})
    assert not queue.complete(rescued, {"ok": True})  # a second completion is refused
    stored = queue.get(job_id)
    assert stored.status == "succeeded" and stored.result == {"ok": True} and stored.attempts == 2
