"""Killed workers: a run whose worker gets SIGKILL ends ``failed`` with a terminal event, never stuck."""

from __future__ import annotations

import os
import signal

from sqlalchemy import select
from traitlets.config import Config

from agilab_lab.core import Lab
from agilab_lab.jobs import JobWorker
from agilab_lab.jobs.loop import worker_pid
from agilab_lab.jobs.registry import dead_hooks
from agilab_lab.runtime import AGI, RunRequest
from agilab_lab.runtime.jobs import end_dead_run, enqueue_run
from agilab_lab.settings import load_settings
from agilab_lab.store.db import Store
from agilab_lab.store.models import Event

from .helpers import spawn_worker, wait_for

SLOW = {"items": 400, "seconds_per_item": 0.5}  # ~200 s of work: always killed mid-run


def short_lease_lab(tmp_path, db_url) -> Lab:
    settings = load_settings(Config(), home=str(tmp_path / "home"), database_url=db_url, job_lease_s=1.5)
    return Lab(settings=settings, store=Store(db_url), owner="tester")


def test_the_run_kind_registers_its_on_dead_hook():
    assert dead_hooks()["run"] is end_dead_run


def test_sigkilled_worker_mid_run_ends_the_run_failed_with_a_terminal_event(tmp_path, db_url):
    lab = short_lease_lab(tmp_path, db_url)
    agi = AGI(lab, allow_app_paths=False)
    run_id, job_id = enqueue_run(agi, RunRequest(app="minimal_app", args=SLOW))
    victim = spawn_worker(lab.settings)
    try:
        wait_for(lambda: agi.get_run(run_id).status == "running", what="the run to start")
        assert worker_pid(lab.queue.get(job_id).lease_owner) == victim.pid
        os.kill(victim.pid, signal.SIGKILL)
        assert victim.wait(timeout=30) == -signal.SIGKILL
    finally:
        victim.kill()
    assert agi.get_run(run_id).status == "running"  # nobody has noticed yet

    rescuer = spawn_worker(lab.settings)  # a restarted worker of the same domain reaps it
    try:
        job = wait_for(lambda: (j := lab.queue.get(job_id)).status == "dead" and j, what="the job to be dead")
    finally:
        rescuer.terminate()
        rescuer.wait(timeout=60)
    record = agi.get_run(run_id)
    assert record.status == "failed" and record.finished_at is not None
    assert "worker died" in record.error and "worker died" in job.error and job.attempts == 1
    last = _events(lab, f"run:{run_id}")[-1]
    assert last.kind == "status" and last.payload["state"] == "failed" and last.payload["job_id"] == job_id
    lab.store.dispose()


def test_a_failed_last_attempt_ends_the_run_through_the_hook(lab):
    agi = AGI(lab, allow_app_paths=False)
    run_id, job_id = enqueue_run(agi, RunRequest(app="minimal_app"))

    def crash(_lab, _job):
        raise RuntimeError("segfault in a C extension")

    JobWorker(lab, handlers={"run": crash}, on_dead={"run": end_dead_run}).run_once()
    record = agi.get_run(run_id)
    assert record.status == "failed" and "segfault" in record.error and record.finished_at
    assert lab.queue.get(job_id).status == "dead"
    end_dead_run(lab, _claimed(lab, job_id), "again")  # idempotent: a finished run is left alone
    assert agi.get_run(run_id).error == record.error
    assert [e.payload["state"] for e in _events(lab, f"run:{run_id}") if e.kind == "status"][-1] == "failed"


def test_a_failing_hook_keeps_the_job_for_the_reaper(lab):
    calls = []

    def flaky(_lab, job, reason):
        calls.append(reason)
        raise OSError("database went away")

    job = lab.queue.enqueue("flaky-test-kind", {}, owner="tester", key="f", max_attempts=1)

    def crash(_lab, _job):
        raise RuntimeError("boom")

    JobWorker(lab, handlers={"flaky-test-kind": crash}, on_dead={"flaky-test-kind": flaky}).run_once()
    assert len(calls) == 1 and lab.queue.get(job.id).status == "running"  # not silently dead


def _claimed(lab, job_id):
    from agilab_lab.store.queue import ClaimedJob

    row = lab.queue.get(job_id)
    return ClaimedJob(row.id, row.kind, row.key, row.owner, row.payload, row.attempts, row.max_attempts, "t")


def _events(lab, topic):
    with lab.store.session() as session:
        return list(session.scalars(select(Event).where(Event.topic == topic).order_by(Event.id)))
