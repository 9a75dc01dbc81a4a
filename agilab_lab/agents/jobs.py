"""The ``design`` job kind: carries out the transition that queued it, in the job worker.

Payload: ``{"decision_set_id": str, "action": "run" | "resume" | "auto_approve", "answer"?: {...},
"lock_version"?: int}``. The job's key is the key of the transition that enqueued it (in the same
transaction) and owns the decision set's transient status, so a retried job continues its own
transition (``Designer.run`` / ``Designer.resume`` are idempotent by that key) and a stale one
finds the row owned by a later transition and does nothing. When a job is dead-lettered its
on-dead hook ends the design ``failed`` (with the reason and a terminal status event), from where
``approve`` or ``generate`` can start it again.

With ``auto_approve_after_s`` set, a design that reaches the approval gate gets a delayed
``auto_approve`` job; it approves only if nobody answered in the meantime (same lock version).
"""

from __future__ import annotations

from typing import Any

from ..core import Lab
from ..jobs.registry import PermanentJobError, register_job, register_on_dead
from ..store.models import DecisionSet
from ..store.queue import ClaimedJob
from .designer import JOB_KIND, Designer, DesignerError
from .errors import Conflict


def schedule_auto_approval(lab: Lab, ds: DecisionSet) -> str | None:
    """Queue the timed approval of a design waiting at the gate (when configured)."""
    delay = float(lab.settings.auto_approve_after_s or 0.0)
    if ds.status != "awaiting_approval" or delay <= 0:
        return None
    answer = {"decision": "approve", "actor": "auto-timeout",
              "comment": f"approved automatically: no reviewer answered within {delay:g} s"}
    payload = {"decision_set_id": ds.id, "action": "auto_approve", "answer": answer, "lock_version": ds.lock_version}
    key = f"design:{ds.id}:auto_approve:{ds.lock_version}"
    return lab.queue.enqueue(JOB_KIND, payload, owner=lab.owner, key=key, delay_s=delay).id


def _auto_approve(designer: Designer, ds_id: str, job: ClaimedJob) -> DecisionSet | dict[str, Any]:
    current = designer.get_decision_set(ds_id)
    if current.job_key != job.key:  # not yet decided by this job (a retry continues below)
        try:
            designer.decide(ds_id, job.payload.get("answer") or {}, lock_version=job.payload.get("lock_version"),
                            job_key=job.key, enqueue=False)
        except Conflict:
            return {"decision_set_id": ds_id, "status": current.status, "skipped": "already answered"}
    return designer.resume(ds_id, job.key)


@register_job(JOB_KIND)
def run_design_job(lab: Lab, job: ClaimedJob) -> dict[str, Any]:
    payload, action = job.payload, job.payload.get("action")
    designer = Designer(lab)
    ds_id = payload["decision_set_id"]
    try:
        if action == "auto_approve":
            ds = _auto_approve(designer, ds_id, job)
            if isinstance(ds, dict):
                return ds
        elif action == "resume":
            ds = designer.resume(ds_id, job.key, payload.get("answer"))
        else:
            ds = designer.run(ds_id, job_key=job.key)
    except DesignerError as exc:  # bad input or a conflict: retrying cannot help
        raise PermanentJobError(exc.message) from exc
    schedule_auto_approval(lab, ds)
    return {"decision_set_id": ds.id, "status": ds.status, "version": ds.version}


@register_on_dead(JOB_KIND)
def design_job_died(lab: Lab, job: ClaimedJob, reason: str) -> None:
    """The design the dead job owned ends ``failed`` (idempotent; a no-op if it moved on)."""
    Designer(lab).fail(job.payload["decision_set_id"], job.key, f"design job died: {reason}")
