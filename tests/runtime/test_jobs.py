"""Queued runs: the ``run`` job executes a recorded run once; a retried job does not run it again."""

from __future__ import annotations

from agilab_lab.jobs import JobWorker
from agilab_lab.runtime import RunRequest
from agilab_lab.runtime.jobs import enqueue_run, run_job


class _Job:
    def __init__(self, payload):
        self.payload = payload


def test_a_queued_run_is_executed_by_the_job_worker_exactly_once(agi, lab):
    run_id, job_id = enqueue_run(agi, RunRequest(app="minimal_app", args={"items": 5}))
    assert agi.get_run(run_id).status == "queued"

    worker = JobWorker(lab, handlers={"run": run_job})
    assert worker.run_once()
    record = agi.get_run(run_id)
    assert record.status == "succeeded" and record.result["items"] == 5
    assert lab.queue.get(job_id).status == "succeeded"

    # Redelivery of the same job (e.g. after a lost lease) reports the finished run, untouched.
    redelivered = _Job(payload={"run_id": run_id, "request": {"app": "minimal_app"}})
    assert run_job(lab, redelivered) == {"run_id": run_id, "status": "succeeded"}
    assert agi.get_run(run_id).finished_at == record.finished_at


def test_enqueueing_the_same_run_twice_keeps_one_job(agi, lab):
    run_id, job_id = enqueue_run(agi, RunRequest(app="minimal_app"))
    again = lab.queue.enqueue("run", {"run_id": run_id}, owner=lab.owner, key=f"run:{run_id}")
    assert again.id == job_id
