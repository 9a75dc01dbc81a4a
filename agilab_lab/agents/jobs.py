"""The ``design`` job kind: runs, resumes or regenerates a decision set in the job worker.

Payload: ``{"decision_set_id": str, "action": "run" | "answer" | "generate" | "auto_approve",
"answer"?: {...}, "lock_version"?: int}``. Jobs are keyed by decision set, action and lock
version, so a retried job never runs the same step twice; :meth:`Designer.run` also continues a
run that crashed.

With ``auto_approve_after_s`` set, a design that reaches the approval gate gets a delayed
``auto_approve`` job; it approves only if nobody answered in the meantime (same lock version).
"""

from __future__ import annotations

from typing import Any

from ..core import Lab
from ..jobs.registry import PermanentJobError, register_job
from ..store.models import DecisionSet
from ..store.queue import ClaimedJob
from .designer import Designer, DesignerError

ACTIONS = ("run", "answer", "generate", "auto_approve")


def enqueue_design(lab: Lab, decision_set_id: str, action: str = "run", *, answer: dict | None = None,
                   lock_version: int | None = None, delay_s: float = 0.0) -> str:
    """Queue one step of a decision set; returns the job id (the same id for a repeated request)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown design action {action!r}")
    key = f"design:{decision_set_id}:{action}:{lock_version or 0}"
    payload = {"decision_set_id": decision_set_id, "action": action, "answer": answer, "lock_version": lock_version}
    return lab.queue.enqueue("design", payload, owner=lab.owner, key=key, delay_s=delay_s).id


def schedule_auto_approval(lab: Lab, ds: DecisionSet) -> str | None:
    """Queue the timed approval of a design waiting at the gate (when configured)."""
    delay = float(lab.settings.auto_approve_after_s or 0.0)
    if ds.status != "awaiting_approval" or delay <= 0:
        return None
    answer = {"decision": "approve", "actor": "auto-timeout",
              "comment": f"approved automatically: no reviewer answered within {delay:g} s"}
    return enqueue_design(lab, ds.id, "auto_approve", answer=answer, lock_version=ds.lock_version, delay_s=delay)


@register_job("design")
def run_design_job(lab: Lab, job: ClaimedJob) -> dict[str, Any]:
    payload, action = job.payload, job.payload.get("action")
    designer = Designer(lab)
    ds_id = payload["decision_set_id"]
    try:
        if action == "auto_approve":
            current = designer.get_decision_set(ds_id)
            if current.status != "awaiting_approval" or current.lock_version != payload.get("lock_version"):
                return {"decision_set_id": ds_id, "status": current.status, "skipped": "already answered"}
        if action in ("answer", "auto_approve"):
            ds = designer.answer(ds_id, payload.get("answer") or {}, lock_version=payload.get("lock_version"))
        elif action == "generate":
            ds = designer.regenerate(ds_id)
        else:
            ds = designer.run(ds_id)
    except DesignerError as exc:  # bad input or a conflict: retrying cannot help
        raise PermanentJobError(exc.message) from exc
    schedule_auto_approval(lab, ds)
    return {"decision_set_id": ds.id, "status": ds.status, "version": ds.version}
