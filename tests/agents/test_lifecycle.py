"""The decision-set state machine: its table, the conditional transition, and concurrent decisions
on SQLite and PostgreSQL (exactly one wins, the others get a conflict naming the current status)."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from sqlalchemy import select

from agilab_lab.agents import lifecycle
from agilab_lab.agents.designer import Conflict, Designer
from agilab_lab.agents.lifecycle import TRANSITIONS, Status, transition
from agilab_lab.agents.providers import OfflineProvider
from agilab_lab.store.models import Approval, DecisionSet, Event, Job

from .designer_samples import FORECAST
from .test_graph import RecordingGenerator

PACKAGE = Path(lifecycle.__file__).parents[1]


def _waiting(lab) -> tuple[Designer, DecisionSet]:
    designer = Designer(lab, provider=OfflineProvider(), generate=RecordingGenerator())
    ds = designer.design(designer.create_project("p").id, constraints=FORECAST.model_dump())
    assert ds.status == "awaiting_approval"
    return designer, ds


def _rows(lab, query):
    with lab.store.session() as session:
        return list(session.scalars(query))


def test_the_table_covers_every_status_and_ends_where_it_should():
    assert set(TRANSITIONS) == set(Status)
    assert TRANSITIONS[Status.REJECTED] == TRANSITIONS[Status.INFEASIBLE] == frozenset()
    assert lifecycle.allowed("awaiting_approval", "generating") and not lifecycle.allowed("generated", "running")
    assert lifecycle.SETTLED == set(Status) - {Status.QUEUED, Status.RUNNING, Status.GENERATING}


def test_a_transition_outside_the_table_is_refused_before_touching_the_row(lab):
    _, ds = _waiting(lab)
    with lab.store.session() as session, pytest.raises(ValueError, match="no transition"):
        transition(lab, session, ds.id, Status.RUNNING, frm=Status.GENERATED)


def test_a_transition_from_another_status_conflicts_and_changes_nothing(lab):
    _, ds = _waiting(lab)
    events = len(_rows(lab, select(Event)))
    with pytest.raises(Conflict) as err, lab.store.session() as session:
        transition(lab, session, ds.id, Status.GENERATED, frm=Status.GENERATING)
    assert err.value.details == {"current": "awaiting_approval", "lock_version": ds.lock_version}
    after = _rows(lab, select(DecisionSet).where(DecisionSet.id == ds.id))[0]
    assert (after.status, after.lock_version) == ("awaiting_approval", ds.lock_version)
    assert len(_rows(lab, select(Event))) == events


def test_only_the_lifecycle_changes_a_status():
    """No other module writes a decision set's status (the guard breaks if one starts to)."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        text = path.read_text()
        if path.name == "lifecycle.py" or "migrations" in path.parts:
            continue
        if re.search(r"update\(DecisionSet\)", text) or re.search(r"\b(ds|row|child)\.status\s*=[^=]", text):
            offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []


DECISIONS = [{"decision": "approve", "comment": "go"}, {"decision": "reject", "comment": "no"},
             {"decision": "revise", "comment": "cheaper", "constraints": {"budget_monthly_usd": 500}}]


def test_twenty_concurrent_decisions_exactly_one_wins(db_lab):
    designer, ds = _waiting(db_lab)
    barrier, results = threading.Barrier(20), [None] * 20

    def decide(i: int) -> None:
        barrier.wait()
        try:
            results[i] = designer.decide(ds.id, DECISIONS[i % 3])
        except Conflict as exc:
            results[i] = exc

    threads = [threading.Thread(target=decide, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    winners = [r for r in results if not isinstance(r, Conflict)]
    losers = [r for r in results if isinstance(r, Conflict)]
    assert len(winners) == 1 and len(losers) == 19, results
    [won] = winners
    assert {exc.details["current"] for exc in losers} == {won.status}
    row = designer.get_decision_set(ds.id)
    assert row.status == won.status and row.lock_version == ds.lock_version + 1
    approvals = _rows(db_lab, select(Approval).where(Approval.decision_set_id == ds.id))
    assert [a.decision for a in approvals] == [row.approval["decision"]]
    resumes = [j for j in _rows(db_lab, select(Job)) if j.payload.get("action") == "resume"]
    assert [j.id for j in resumes] == [won.job_id]
    statuses = [e.payload["status"] for e in _rows(db_lab, select(Event).where(Event.kind == "decision_set.status"))
                if e.payload["decision_set_id"] == ds.id]
    assert statuses == ["running", "awaiting_approval", won.status]


def test_a_stale_version_is_refused_with_the_current_state(lab):
    designer, ds = _waiting(lab)
    with pytest.raises(Conflict) as err:
        designer.decide(ds.id, {"decision": "approve"}, lock_version=ds.lock_version - 1)
    assert err.value.code == "stale_version" and err.value.details["current"] == "awaiting_approval"
    assert designer.get_decision_set(ds.id).lock_version == ds.lock_version
