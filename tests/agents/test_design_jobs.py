"""The ``design`` job kind: runs in the worker, resumes, and the timed auto-approval."""

import pytest
from sqlalchemy import select

from agilab_lab.agents import nodes
from agilab_lab.agents.designer import Designer
from agilab_lab.agents.jobs import enqueue_design, run_design_job
from agilab_lab.jobs import JobWorker, PermanentJobError
from agilab_lab.store.models import Job
from agilab_lab.store.queue import ClaimedJob

from .designer_samples import FORECAST


@pytest.fixture
def generated(monkeypatch):
    """Stand-in for the repository generator: the worker's Designer uses the real bridge."""
    specs = []

    def fake(spec, out_dir, home, on_step=None):
        specs.append(spec)
        return {"zip": f"{out_dir}/repo.zip", "validation": {"passed": True, "checks": []}}

    monkeypatch.setattr(nodes, "_generate_repository", fake)
    return specs


def _start(lab):
    designer = Designer(lab)
    ds = designer.new_decision_set(designer.create_project("p").id, constraints=FORECAST.model_dump())
    enqueue_design(lab, ds.id)
    assert JobWorker(lab, handlers={"design": run_design_job}).run_once()
    return designer, designer.get_decision_set(ds.id)


def _auto_job(lab, ds_id):
    with lab.store.session() as session:
        jobs = [j for j in session.scalars(select(Job).where(Job.kind == "design"))
                if j.payload["decision_set_id"] == ds_id and j.payload["action"] == "auto_approve"]
    return jobs


def _claimed(job):
    return ClaimedJob(job.id, job.kind, job.key, job.owner, job.payload, 1, job.max_attempts, "test")


def test_a_queued_design_runs_in_the_worker(lab):
    _, ds = _start(lab)
    assert ds.status == "awaiting_approval" and ds.plan["cloud"] == "gcp"
    assert _auto_job(lab, ds.id) == []  # auto-approval is off by default


def test_timed_auto_approval_approves_a_design_nobody_answered(lab, generated):
    lab.settings.auto_approve_after_s = 3600.0
    designer, ds = _start(lab)
    [job] = _auto_job(lab, ds.id)
    assert (job.run_after - job.created_at).total_seconds() == pytest.approx(3600.0, abs=1.0)
    result = run_design_job(lab, _claimed(job))
    done = designer.get_decision_set(ds.id)
    assert result["status"] == done.status == "generated" and done.extra["approval"]["actor"] == "auto-timeout"
    assert len(generated) == 1


def test_timed_auto_approval_steps_aside_when_a_reviewer_answered(lab, generated):
    lab.settings.auto_approve_after_s = 3600.0
    designer, ds = _start(lab)
    [job] = _auto_job(lab, ds.id)
    designer.answer(ds.id, {"decision": "reject", "comment": "no"})
    assert run_design_job(lab, _claimed(job))["skipped"] == "already answered"
    assert designer.get_decision_set(ds.id).status == "rejected" and not generated


def test_a_conflicting_answer_is_a_permanent_failure(lab):
    _, ds = _start(lab)
    job_id = enqueue_design(lab, ds.id, "answer", answer={"decision": "approve"}, lock_version=ds.lock_version + 7)
    with lab.store.session() as session:
        job = session.get(Job, job_id)
    with pytest.raises(PermanentJobError):
        run_design_job(lab, _claimed(job))
