"""The ``run`` job kind: the server enqueues runs, a worker process executes them here.

A run job has one attempt (a run is not silently re-executed); when it dies (its worker was
killed, or the handler failed), :func:`end_dead_run` ends the run row ``failed`` with the reason
and writes the terminal ``status`` event that ends the run's SSE stream.
"""

from __future__ import annotations

from typing import Any

from ..core import Lab
from ..jobs.registry import PermanentJobError, register_job, register_on_dead
from ..store.models import utcnow
from ..store.queue import ClaimedJob
from .agi import AGI
from .cluster import publish_clusters
from .errors import BadArgs, RunNotFound, RuntimeFailure
from .records import RunStore
from .requests import RunRequest

FINISHED = {"succeeded", "failed"}


def enqueue_run(agi: AGI, request: RunRequest) -> tuple[str, str]:
    """Record a queued run and enqueue its job; return ``(run_id, job_id)``."""
    run_id = agi.create_run(request)
    job = agi.lab.queue.enqueue(
        "run", {"run_id": run_id, "request": request.model_dump(mode="json")},
        owner=agi.lab.owner, key=f"run:{run_id}", max_attempts=1,
    )
    agi.lab.events.append(agi.lab.owner, f"run:{run_id}", "status", {"state": "queued", "job_id": job.id})
    return run_id, job.id


@register_job("run")
def run_job(lab: Lab, job: ClaimedJob) -> dict[str, Any]:
    """Execute a queued run; a run that already finished is reported, not executed again."""
    run_id = job.payload["run_id"]
    agi = AGI(lab, allow_app_paths=False)
    record = agi.get_run(run_id)
    if record.status in FINISHED:
        return {"run_id": run_id, "status": record.status}
    try:
        request = RunRequest.parse(job.payload["request"])
        try:
            record = agi.submit(request, run_id=run_id)
        finally:
            publish_clusters(lab.home)  # a dask run's cluster lives in this worker process
    except BadArgs as exc:
        raise PermanentJobError(str(exc)) from exc
    except RuntimeFailure as exc:  # e.g. the cluster is unreachable: recorded on the run already
        raise PermanentJobError(str(exc)) from exc
    return {"run_id": run_id, "status": record.status}


@register_on_dead("run")
def end_dead_run(lab: Lab, job: ClaimedJob, reason: str) -> None:
    """End the run of a dead job ``failed`` (idempotent: a finished run is left alone).

    The terminal event is written before the row, so a crash in between repeats both (a
    duplicate terminal event) rather than leaving a failed run whose stream never ends.
    """
    run_id = job.payload["run_id"]
    runs = RunStore(lab.store, lab.owner)
    try:
        record = runs.get(run_id)
    except RunNotFound:
        return
    if record.status in FINISHED:
        return
    error = f"run did not finish: {reason}"
    lab.events.append(lab.owner, f"run:{run_id}", "status", {"state": "failed", "error": error, "job_id": job.id})
    runs.update(run_id, status="failed", error=error, finished_at=utcnow())
