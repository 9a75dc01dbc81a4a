"""The ``design`` job kind: runs in the worker, the timed auto-approval, and jobs that die mid-way."""

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from sqlalchemy import select, update

from agilab_lab.agents import nodes
from agilab_lab.agents.designer import Designer
from agilab_lab.agents.jobs import run_design_job
from agilab_lab.jobs import JobWorker, dead_hooks
from agilab_lab.store.models import Approval, Event, Job
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


def _worker(lab):
    return JobWorker(lab, handlers={"design": run_design_job})


def _start(lab):
    designer = Designer(lab)
    ds, _ = designer.start(designer.create_project("p").id, constraints=FORECAST.model_dump())
    assert _worker(lab).run_once()
    return designer, designer.get_decision_set(ds.id)


def _jobs(lab, ds_id, action=None):
    with lab.store.session() as session:
        return [j for j in session.scalars(select(Job).where(Job.kind == "design").order_by(Job.created_at))
                if j.payload["decision_set_id"] == ds_id and action in (None, j.payload["action"])]


def _claimed(job, attempt=1):
    return ClaimedJob(job.id, job.kind, job.key, job.owner, job.payload, attempt, job.max_attempts, "test")


def test_a_queued_design_runs_in_the_worker(lab):
    _, ds = _start(lab)
    assert ds.status == "awaiting_approval" and ds.plan["cloud"] == "gcp"
    assert _jobs(lab, ds.id, "auto_approve") == []  # auto-approval is off by default


def test_a_decision_and_its_job_are_one_transition(lab, generated):
    designer, ds = _start(lab)
    decided = designer.decide(ds.id, {"decision": "approve", "comment": "ok"})
    [job] = _jobs(lab, ds.id, "resume")
    assert (decided.job_id, decided.job_key, decided.status) == (job.id, job.key, "generating")
    assert designer.get_decision_set(ds.id).job_key == job.key
    assert _worker(lab).run_once()
    assert designer.get_decision_set(ds.id).status == "generated" and len(generated) == 1


def test_timed_auto_approval_approves_a_design_nobody_answered(lab, generated):
    lab.settings.auto_approve_after_s = 3600.0
    designer, ds = _start(lab)
    [job] = _jobs(lab, ds.id, "auto_approve")
    assert (job.run_after - job.created_at).total_seconds() == pytest.approx(3600.0, abs=1.0)
    result = run_design_job(lab, _claimed(job))
    done = designer.get_decision_set(ds.id)
    assert result["status"] == done.status == "generated" and done.approval["actor"] == "auto-timeout"
    assert len(generated) == 1


def test_timed_auto_approval_steps_aside_when_a_reviewer_answered(lab, generated):
    lab.settings.auto_approve_after_s = 3600.0
    designer, ds = _start(lab)
    [job] = _jobs(lab, ds.id, "auto_approve")
    designer.answer(ds.id, {"decision": "reject", "comment": "no"})
    assert run_design_job(lab, _claimed(job))["skipped"] == "already answered"
    assert designer.get_decision_set(ds.id).status == "rejected" and not generated


def test_a_stale_job_finds_its_transition_superseded_and_changes_nothing(lab, generated):
    designer, ds = _start(lab)
    designer.decide(ds.id, {"decision": "approve"})
    [first] = _jobs(lab, ds.id, "resume")
    assert _worker(lab).run_once()
    designer.request_generation(ds.id)  # a later transition owns the row now
    before = designer.get_decision_set(ds.id)
    run_design_job(lab, _claimed(first, attempt=2))
    after = designer.get_decision_set(ds.id)
    assert (after.status, after.lock_version, len(generated)) == ("generating", before.lock_version, 1)


KILLED_WORKER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from agilab_lab.agents import nodes
    from agilab_lab.agents.jobs import run_design_job
    from agilab_lab.core import Lab
    from agilab_lab.jobs import JobWorker

    def stuck(spec, out_dir, home, on_step=None):
        Path(sys.argv[1]).write_text("generating")
        time.sleep(600)

    nodes._generate_repository = stuck
    JobWorker(Lab.open(owner="tester"), handlers={"design": run_design_job}).run_once()
""")


def _kill_mid_generate(lab, designer, ds, tmp_path):
    """Approve, then let a worker process claim the job and die (kill -9) inside the generator."""
    decided = designer.decide(ds.id, {"decision": "approve", "comment": "ship it"})
    marker = tmp_path / "generating"
    env = {**os.environ, "AGILAB_LAB_HOME": str(lab.home), "AGILAB_LAB_DATABASE_URL": lab.settings.resolved_database_url}
    worker = subprocess.Popen([sys.executable, "-c", KILLED_WORKER, str(marker)], env=env)
    try:
        for _ in range(600):
            if marker.exists() or worker.poll() is not None:
                break
            time.sleep(0.1)
        assert marker.exists(), "the worker never reached the generator"
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    with lab.store.session() as session:  # the lease runs out (time passes)
        session.execute(update(Job).where(Job.id == decided.job_id).values(lease_expires_at=Job.created_at))
    stuck = designer.get_decision_set(ds.id)
    assert (stuck.status, stuck.job_key) == ("generating", decided.job_key)
    return decided


def test_a_generate_job_killed_mid_way_is_continued_by_its_retry(db_lab, generated, tmp_path):
    lab = db_lab
    designer, ds = _start(lab)
    decided = _kill_mid_generate(lab, designer, ds, tmp_path)
    assert _worker(lab).run_once()  # attempt 2 of the same job: its own transition, continued
    done = designer.get_decision_set(ds.id)
    assert done.status == "generated" and done.zip_path.endswith("repo.zip") and len(generated) == 1
    job = lab.queue.get(decided.job_id)
    assert (job.status, job.attempts) == ("succeeded", 2)
    with lab.store.session() as session:
        assert len(list(session.scalars(select(Approval).where(Approval.decision_set_id == ds.id)))) == 1


def test_a_dead_generate_job_fails_the_design_and_approve_starts_it_again(db_lab, generated, tmp_path):
    lab = db_lab
    designer, ds = _start(lab)
    decided = _kill_mid_generate(lab, designer, ds, tmp_path)
    with lab.store.session() as session:  # the killed attempt was its last one
        session.execute(update(Job).where(Job.id == decided.job_id).values(attempts=Job.max_attempts))
    reaper = JobWorker(lab, handlers={"design": run_design_job}, on_dead=dead_hooks())
    assert reaper.reap() == 1  # the on-dead hook ends the design, then the job is buried
    failed = designer.get_decision_set(ds.id)
    assert failed.status == "failed" and "lease expired" in failed.error and failed.job_key is None
    assert lab.queue.get(decided.job_id).status == "dead"
    with lab.store.session() as session:
        last = session.scalars(select(Event).where(Event.kind == "decision_set.status").order_by(Event.id.desc())).first()
    assert last.payload["status"] == "failed" and "lease expired" in last.payload["error"]
    dead_hooks()["design"](lab, _claimed(lab.queue.get(decided.job_id)), "again")  # idempotent: the row moved on
    assert designer.get_decision_set(ds.id).lock_version == failed.lock_version
    designer.decide(ds.id, {"decision": "approve", "comment": "retry"})
    assert reaper.run_once()
    assert designer.get_decision_set(ds.id).status == "generated" and len(generated) == 1
    designer.request_generation(ds.id)
    assert reaper.run_once() and designer.get_decision_set(ds.id).status == "generated"
