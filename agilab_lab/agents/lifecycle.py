"""A decision set's lifecycle: the statuses, the transitions between them, and the one function
that changes a status.

    queued -> running -> awaiting_input -> running (answered)
                      -> awaiting_approval -> generating (approve) -> generated -> generating (again)
                                           -> rejected (reject, revise)
                      -> generating (auto-approval) | rejected (policy) | infeasible
    running, generating, queued -> failed (the run raised, or its job was dead-lettered)
    failed (after the gate) -> generating (approve, generate again) | rejected

:func:`transition` is a conditional ``UPDATE ... WHERE id = ? AND status IN (...)`` (plus the
lock version and the owning job when given) that checks its row count, so of two concurrent
transitions from the same status exactly one wins and the other raises :class:`Conflict` with
the status it lost to. Every transition writes a ``decision_set.status`` event in the same
transaction. Which transition to ask for is the :class:`~agilab_lab.agents.designer.Designer`'s
business; this module only guarantees that a status never changes any other way.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from ..core import Lab
from ..store.models import DecisionSet, utcnow
from .errors import Conflict, StaleVersion
from .recorder import project_topic


class Status(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    AWAITING_INPUT = "awaiting_input"
    AWAITING_APPROVAL = "awaiting_approval"
    GENERATING = "generating"
    GENERATED = "generated"
    REJECTED = "rejected"
    INFEASIBLE = "infeasible"
    FAILED = "failed"


S = Status
TRANSITIONS: dict[Status, frozenset[Status]] = {
    S.QUEUED: frozenset({S.RUNNING, S.FAILED}),
    S.RUNNING: frozenset({S.AWAITING_INPUT, S.AWAITING_APPROVAL, S.GENERATING, S.REJECTED, S.INFEASIBLE,
                          S.FAILED}),
    S.AWAITING_INPUT: frozenset({S.RUNNING}),
    S.AWAITING_APPROVAL: frozenset({S.GENERATING, S.REJECTED}),
    S.GENERATING: frozenset({S.GENERATED, S.FAILED}),
    S.GENERATED: frozenset({S.GENERATING}),
    S.FAILED: frozenset({S.GENERATING, S.REJECTED}),
    S.REJECTED: frozenset(),
    S.INFEASIBLE: frozenset(),
}
#: Where a design waits for a person.
WAITING = frozenset({S.AWAITING_INPUT, S.AWAITING_APPROVAL})
#: Where a design ends (``failed`` after the gate can still be decided again).
TERMINAL = frozenset({S.GENERATED, S.REJECTED, S.INFEASIBLE, S.FAILED})
#: Statuses a job owns while it works (its retries may continue them).
TRANSIENT = frozenset({S.RUNNING, S.GENERATING})
SETTLED = WAITING | TERMINAL
#: Where an approval decision is accepted.
DECIDABLE = frozenset({S.AWAITING_APPROVAL, S.FAILED})

ANY_JOB = object()  # transition(...) without a condition on the owning job


def allowed(frm: Status | str, to: Status | str) -> bool:
    return Status(to) in TRANSITIONS[Status(frm)]


def transition(lab: Lab, session: Session, ds_id: str, to: Status, *, frm: Status | Iterable[Status],
               lock_version: int | None = None, job: Any = ANY_JOB, new_job: Any = ANY_JOB,
               values: dict[str, Any] | None = None, event: dict[str, Any] | None = None) -> int:
    """Move ``ds_id`` from one of ``frm`` to ``to``; returns the new lock version.

    ``job``: the transition applies only while that job key owns the row; ``new_job``: the key
    that owns it afterwards. ``values`` are other columns written by the same statement.
    Raises :class:`Conflict` (``details["current"]``) when the row is not as expected.
    """
    sources = {Status(frm)} if isinstance(frm, str) else {Status(s) for s in frm}
    illegal = sorted(s for s in sources if not allowed(s, to))
    if illegal:
        raise ValueError(f"no transition {', '.join(illegal)} -> {to}")
    stmt = update(DecisionSet).where(DecisionSet.id == ds_id, DecisionSet.status.in_([s.value for s in sources]))
    if lock_version is not None:
        stmt = stmt.where(DecisionSet.lock_version == lock_version)
    if job is not ANY_JOB:
        stmt = stmt.where(DecisionSet.job_key == job if job is not None else DecisionSet.job_key.is_(None))
    changes = {**(values or {}), "status": Status(to).value, "lock_version": DecisionSet.lock_version + 1,
               "updated_at": utcnow()}
    if new_job is not ANY_JOB:
        changes["job_key"] = new_job
    row = session.execute(stmt.values(**changes).returning(DecisionSet.project_id, DecisionSet.lock_version)
                          .execution_options(synchronize_session=False)).first()
    if row is None:
        raise _conflict(session, ds_id, sources, lock_version, to)
    payload = {"decision_set_id": ds_id, "status": Status(to).value, **(event or {})}
    lab.events.append(lab.owner, project_topic(row.project_id), "decision_set.status", payload, session=session)
    return row.lock_version


def record(session: Session, ds_id: str, status: Status, values: dict[str, Any]) -> bool:
    """Write result columns without changing the status (only while it is still ``status``)."""
    stmt = (update(DecisionSet).where(DecisionSet.id == ds_id, DecisionSet.status == Status(status).value)
            .values(**values, lock_version=DecisionSet.lock_version + 1, updated_at=utcnow())
            .execution_options(synchronize_session=False))
    return (session.execute(stmt).rowcount or 0) == 1


def _conflict(session: Session, ds_id: str, sources: set[Status], lock_version: int | None, to: Status) -> Conflict:
    current = session.execute(select(DecisionSet.status, DecisionSet.lock_version)
                              .where(DecisionSet.id == ds_id)).first()
    if current is None:
        return Conflict(f"decision set {ds_id} is gone")
    details = {"current": current.status, "lock_version": current.lock_version}
    if current.status in {s.value for s in sources} and lock_version not in (None, current.lock_version):
        return StaleVersion(f"decision set is at lock_version {current.lock_version}, not {lock_version}", **details)
    if current.status in {s.value for s in sources}:
        return Conflict(f"decision set is {current.status} but owned by another job; not moved to {to}", **details)
    return Conflict(f"decision set is {current.status}; cannot move to {to}", **details)


def status_after_run(state: Any, interrupts: list[dict]) -> Status:
    """Where a graph run that stopped (at an interrupt or at its end) leaves the design."""
    if interrupts:
        return S.AWAITING_INPUT if interrupts[0].get("kind") == "clarify" else S.AWAITING_APPROVAL
    if state.infeasible is not None:
        return S.INFEASIBLE
    if state.policy is not None and not state.policy.passed:
        return S.REJECTED
    if state.approval is not None and state.approval.decision != "approve":
        return S.REJECTED
    if state.generation:
        return S.GENERATED
    return S.FAILED
