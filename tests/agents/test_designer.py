"""The designer service on a real store: versions, locking, revise/reject, events, restarts."""

import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest
from sqlalchemy import select

from agilab_lab.agents.designer import Conflict, Designer, DesignerError, NotFound
from agilab_lab.agents.providers import OfflineProvider
from agilab_lab.store.models import AgentRun, Approval, CostEstimateRow, Event

from .designer_samples import FORECAST, FRAUD
from .test_graph import RecordingGenerator


def _rows(lab, model, **where):
    with lab.store.session() as session:
        return list(session.scalars(select(model).filter_by(**where)))


def test_each_design_is_a_new_version_pointing_at_its_parent(designer):
    project = designer.create_project("forecast")
    first = designer.design(project.id, constraints=FORECAST.model_dump())
    second = designer.design(project.id, constraints={**FORECAST.model_dump(), "budget_monthly_usd": 900})
    assert (first.version, second.version) == (1, 2) and second.parent_id == first.id
    assert first.status == second.status == "awaiting_approval"
    assert second.constraints["budget_monthly_usd"] == 900
    assert [d.id for d in designer.list_decision_sets(project.id)] == [first.id, second.id]


def test_a_run_stores_plan_critics_policy_report_runs_cards_and_cost(designer, lab):
    project = designer.create_project("fraud")
    ds = designer.design(project.id, constraints=FRAUD.model_dump())
    assert ds.plan["cloud"] == "aws" and ds.policy["passed"] is True
    assert ds.critics["cost"]["monthly_usd"] > 0 and ds.critics["technical"]["passed"]
    assert ds.summary_md.count("\n## ") == 23 and len(ds.sections) == 23
    runs = {r.agent for r in _rows(lab, AgentRun, decision_set_id=ds.id)}
    assert {"extract", "clarify", "planner", "sections", "critics", "policy", "approval"} <= runs
    cards = [e for e in _rows(lab, Event, topic=f"project:{project.id}") if e.kind == "reason_card"]
    assert cards and all(c.payload["decision_set_id"] == ds.id for c in cards)
    [cost] = _rows(lab, CostEstimateRow, decision_set_id=ds.id)
    assert cost.monthly_usd == ds.critics["cost"]["monthly_usd"] and cost.price_date == "2025-06-01"


def test_approve_generates_and_records_the_approval(designer, lab):
    ds = designer.design(designer.create_project("p").id, constraints=FORECAST.model_dump())
    done = designer.answer(ds.id, {"decision": "approve", "comment": "ok"}, lock_version=ds.lock_version)
    assert done.id == ds.id and done.status == "generated" and done.zip_path.endswith("repo.zip")
    [approval] = _rows(lab, Approval, decision_set_id=ds.id)
    assert approval.decision == "approve" and approval.comment == "ok"


def test_a_generator_failure_marks_the_set_failed_and_keeps_the_design(lab):
    def broken(spec, out_dir):
        raise RuntimeError("disk full")

    designer = Designer(lab, provider=OfflineProvider(), generate=broken)
    ds = designer.design(designer.create_project("p").id, constraints=FORECAST.model_dump())
    with pytest.raises(RuntimeError):
        designer.answer(ds.id, {"decision": "approve"})
    failed = designer.get_decision_set(ds.id)
    assert failed.status == "failed" and failed.error == "RuntimeError: disk full"
    assert failed.plan["cloud"] == "gcp" and failed.policy["passed"] is True


def test_generation_is_announced_and_can_be_run_again(designer, lab):
    project = designer.create_project("p")
    ds = designer.design(project.id, constraints=FORECAST.model_dump())
    designer.answer(ds.id, {"decision": "approve"})
    statuses = [e.payload["status"] for e in _rows(lab, Event, topic=f"project:{project.id}")
                if e.kind == "decision_set.status"]
    assert statuses == ["running", "awaiting_approval", "generating", "generated"]
    again = designer.regenerate(ds.id)
    assert again.status == "generated" and len(designer.generate.specs) == 2
    with pytest.raises(Conflict):
        designer.regenerate(designer.design(project.id, constraints=FORECAST.model_dump()).id)


def test_a_stale_lock_version_conflicts_and_changes_nothing(designer):
    ds = designer.design(designer.create_project("p").id, constraints=FORECAST.model_dump())
    with pytest.raises(Conflict):
        designer.answer(ds.id, {"decision": "approve"}, lock_version=ds.lock_version - 1)
    assert designer.get_decision_set(ds.id).status == "awaiting_approval"


def test_answering_a_design_that_waits_for_nothing_conflicts(designer):
    ds = designer.design(designer.create_project("p").id, constraints=FORECAST.model_dump())
    designer.answer(ds.id, {"decision": "reject", "comment": "no"})
    assert designer.get_decision_set(ds.id).status == "rejected"
    with pytest.raises(Conflict):
        designer.answer(ds.id, {"decision": "approve"})


def test_revise_starts_the_next_version_with_the_new_constraints(designer):
    project = designer.create_project("p")
    ds = designer.design(project.id, constraints=FORECAST.model_dump())
    child = designer.answer(ds.id, {"decision": "revise", "comment": "cheaper region",
                                    "constraints": {"regions": ["europe-west4"]}})
    assert child.version == 2 and child.parent_id == ds.id and child.status == "awaiting_approval"
    assert child.plan["region"] == "europe-west4" and child.revision_of == ds.id
    assert designer.get_decision_set(ds.id).status == "rejected"


def test_bad_input_is_refused_before_anything_is_written(designer):
    project = designer.create_project("p")
    with pytest.raises(DesignerError, match="invalid constraints"):
        designer.new_decision_set(project.id, constraints={"cloud": "mars"})
    with pytest.raises(DesignerError):
        designer.new_decision_set(project.id, text="   ")
    with pytest.raises(NotFound):
        designer.new_decision_set("nope", text="AWS")
    assert designer.list_decision_sets(project.id) == []
    ds = designer.design(project.id, constraints=FORECAST.model_dump())
    with pytest.raises(DesignerError, match="invalid answer"):
        designer.answer(ds.id, {"decision": "maybe"})
    assert designer.get_decision_set(ds.id).status == "awaiting_approval"


def test_projects_are_private_to_their_owner(designer, lab):
    project = designer.create_project("mine")
    other = Designer(lab.for_owner("someone-else"), provider=OfflineProvider())
    with pytest.raises(NotFound):
        other.get_project(project.id)
    assert other.list_projects() == []


START = textwrap.dedent("""
    import sys, time
    from agilab_lab.agents.designer import Designer
    from agilab_lab.core import Lab
    designer = Designer(Lab.open())
    project = designer.create_project("restart")
    ds = designer.design(project.id, text=open(sys.argv[1]).read())
    print(ds.id, ds.status, flush=True)
    time.sleep(600)
""")

RESUME = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    from agilab_lab.agents.designer import Designer
    from agilab_lab.core import Lab

    def generate(spec, out_dir):
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        (Path(out_dir) / "spec.json").write_text(spec.model_dump_json())
        return {"zip": str(Path(out_dir) / "spec.json"), "validation": {"passed": True, "checks": []}}

    ds = Designer(Lab.open(), generate=generate).answer(sys.argv[1], {"decision": "approve"})
    print(json.dumps({"id": ds.id, "status": ds.status, "version": ds.version, "zip": ds.zip_path}))
""")


def test_approval_resumes_in_a_new_process_after_the_first_is_killed(home, tmp_path, lab):
    requirements = tmp_path / "req.md"
    requirements.write_text("Nightly demand forecasting on GCP europe-west1, 40 GB a day, retrain daily, $600 a month.")
    env = {**os.environ, "AGILAB_LAB_HOME": str(home), "AGILAB_LAB_PROVIDER": "offline"}
    first = subprocess.Popen([sys.executable, "-c", START, str(requirements)], env=env, stdout=subprocess.PIPE, text=True)
    try:
        ds_id, status = first.stdout.readline().split()
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(30)
    assert status == "awaiting_approval" and first.returncode == -signal.SIGKILL
    second = subprocess.run([sys.executable, "-c", RESUME, ds_id], env=env, capture_output=True, text=True, timeout=120)
    assert second.returncode == 0, second.stderr
    result = json.loads(second.stdout)
    assert result["id"] == ds_id and result["status"] == "generated" and result["version"] == 1
    spec = json.loads(open(result["zip"]).read())
    assert spec["decision_set_id"] == ds_id and spec["plan"]["cloud"] == "gcp"
    approvals = [r.status for r in _rows(lab, AgentRun, decision_set_id=ds_id) if r.agent == "approval"]
    assert approvals == ["interrupted", "succeeded"]


def test_checkpoints_follow_the_database_and_resume_from_a_fresh_lab(db_url, settings):
    """SQLite file checkpointer by default; the Postgres saver when the database is Postgres."""
    from agilab_lab.core import Lab
    from agilab_lab.store.db import Store

    settings.database_url = db_url
    store = Store(db_url)
    try:
        first = Designer(Lab(settings=settings, store=store, owner="t"), provider=OfflineProvider())
        ds = first.design(first.create_project("p").id, constraints=FORECAST.model_dump())
        assert ds.status == "awaiting_approval"
        again = Designer(Lab(settings=settings, store=store, owner="t"), provider=OfflineProvider(),
                         generate=RecordingGenerator())
        assert again.answer(ds.id, {"decision": "approve"}).status == "generated"
        on_sqlite = (settings.home_path / "checkpoints.sqlite").exists()
        assert on_sqlite == db_url.startswith("sqlite")
    finally:
        store.dispose()


def test_diff_of_two_generated_versions_has_files_plan_changes_and_cost_delta(lab):
    from agilab_lab.agents.diffing import diff_decision_sets
    from agilab_lab.store.gitrepo import ProjectRepo

    def generate(spec, out_dir):
        files = {"README.md": f"region {spec.plan.region}\n".encode(), "infra/main.tf": b"# same\n"}
        ProjectRepo(lab.home, spec.project_id).commit_version(files, version=spec.version,
                                                              decision_set_id=spec.decision_set_id)
        return {"zip": f"{out_dir}/v{spec.version}.zip", "validation": {"passed": True, "checks": []}}

    designer = Designer(lab, provider=OfflineProvider(), generate=generate)
    project = designer.create_project("p")
    versions = []
    for region in ("europe-west1", "us-central1"):
        ds = designer.design(project.id, constraints={**FORECAST.model_dump(), "regions": [region]})
        versions.append(designer.answer(ds.id, {"decision": "approve"}))
    diff = diff_decision_sets(versions[0], versions[1], lab.home)
    assert diff["files_compared"] and [f["path"] for f in diff["files"]] == ["README.md"]
    assert {"capability": "region", "from": "europe-west1", "to": "us-central1"} in diff["plan_changes"]
    expected = versions[1].critics["cost"]["monthly_usd"] - versions[0].critics["cost"]["monthly_usd"]
    assert diff["cost_delta_usd"] == pytest.approx(expected, abs=0.01) and expected < 0


def test_a_comment_alone_revises_a_text_design_by_its_words(designer):
    project = designer.create_project("p")
    text = "Nightly demand forecasting on GCP europe-west1, 40 GB a day, retrain daily, $600 a month."
    ds = designer.design(project.id, text=text)
    child = designer.answer(ds.id, {"decision": "revise", "comment": "Budget is now $900 per month."})
    assert child.version == 2 and child.constraints["budget_monthly_usd"] == 900
    assert child.constraints["cloud"] == "gcp" and child.requirements_text.endswith("$900 per month.")


def test_a_run_interrupted_mid_way_continues_from_its_checkpoint(designer, lab):
    from agilab_lab.store.models import DecisionSet

    ds = designer.new_decision_set(designer.create_project("p").id, constraints=FORECAST.model_dump())
    with lab.store.session() as session:  # a worker claimed it, then died before any checkpoint
        session.get(DecisionSet, ds.id).status = "running"
    assert designer.run(ds.id).status == "awaiting_approval"
