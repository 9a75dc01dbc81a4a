"""The worker loop: claim a job, run its kind's handler, heartbeat the lease, record the outcome.

:class:`JobWorker` is synchronous and blocking; it runs in a worker process
(``python -m agilab_lab.jobs.worker``, ``agilab-lab worker``), never in the Jupyter server.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback

from ..core import Lab
from ..store.queue import ClaimedJob
from ..webhooks import notify
from .registry import DeadHook, JobHandler, PermanentJobError, dead_hooks, job_handlers

log = logging.getLogger(__name__)


def default_worker_id(index: int | None = None) -> str:
    """``host:pid:index`` (``host:pid:thread`` without an index): the lease owner of its jobs."""
    suffix = threading.get_ident() if index is None else index
    return f"{socket.gethostname()}:{os.getpid()}:{suffix}"


def worker_pid(worker_id: str | None) -> int | None:
    """The process id inside a worker id (None when it has none)."""
    parts = (worker_id or "").split(":")
    return int(parts[1]) if len(parts) >= 3 and parts[1].isdigit() else None


class JobWorker:
    """Claims jobs of its Lab's execution domain and runs their handlers, heart-beating the lease.

    Before each claim it reaps the domain's jobs whose worker died on their last attempt: their
    kind's on-dead hook ends the run or decision set, then the job is dead-lettered. A handler
    that fails its last attempt goes the same way (hook first, while the lease is still held, so
    a crash in between leaves the job to the reaper rather than losing the hook).
    """

    def __init__(
        self, lab: Lab, *, worker_id: str | None = None, poll_s: float = 0.5,
        kinds: list[str] | None = None, handlers: dict[str, JobHandler] | None = None,
        on_dead: dict[str, DeadHook] | None = None,
    ):
        self.lab = lab
        self.worker_id = worker_id or default_worker_id()
        self.poll_s = poll_s
        self.handlers = handlers if handlers is not None else job_handlers()
        # Explicit handlers (tests, embedders) come without hooks unless given.
        self.on_dead = on_dead if on_dead is not None else (dead_hooks() if handlers is None else {})
        self.kinds = kinds or sorted(self.handlers)
        self.lease_s = lab.settings.job_lease_s
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()

    def run_forever(self) -> None:
        while not self._stop.is_set():
            if not self.run_once():
                self._stop.wait(self.poll_s)

    def run_once(self) -> bool:
        """Reap dead jobs, then run at most one job; return whether one was claimed."""
        self.reap()
        job = self.lab.queue.claim(self.worker_id, lease_s=self.lease_s, kinds=self.kinds)
        if job is None:
            return False
        self._execute(job)
        return True

    def _execute(self, job: ClaimedJob) -> None:
        lab = self.lab.for_owner(job.owner)
        beating = threading.Event()
        beat = threading.Thread(target=self._heartbeat, args=(job, beating), daemon=True)
        beat.start()
        try:
            result = self.handlers[job.kind](lab, job) or {}
        except PermanentJobError as exc:
            self._fail(job, str(exc), retry=False)
        except Exception:
            log.exception("job %s (%s) failed", job.id, job.kind)
            self._fail(job, traceback.format_exc(limit=20), retry=True)
        else:
            if self.lab.queue.complete(job, result):
                self._notify(job, "succeeded")
            else:
                log.warning("job %s lost its lease before completing; result dropped", job.id)
        finally:
            beating.set()

    def reap(self) -> int:
        """End this domain's jobs whose worker died on their last attempt; return how many."""
        reaped = self.lab.queue.reap(self.worker_id, lease_s=self.lease_s)
        for job in reaped:
            reason = (f"the job's worker died or stopped heart-beating: its lease expired on attempt "
                      f"{job.attempt} of {job.max_attempts}")
            log.warning("job %s (%s) is dead: %s", job.id, job.kind, reason)
            self._bury(job, reason)
        return len(reaped)

    def _fail(self, job: ClaimedJob, error: str, *, retry: bool) -> None:
        if retry and job.attempt < job.max_attempts:
            self.lab.queue.fail(job, error)
        else:
            self._bury(job, error)

    def _bury(self, job: ClaimedJob, reason: str) -> None:
        """Run the kind's on-dead hook, then dead-letter the job (kept for the reaper if the hook fails)."""
        hook = self.on_dead.get(job.kind)
        if hook is not None:
            try:
                hook(self.lab.for_owner(job.owner), job, reason)
            except Exception:
                log.exception("on-dead hook of job %s (%s) failed; the reaper will retry it", job.id, job.kind)
                return
        if self.lab.queue.bury(job, reason):
            self._notify(job, "dead")

    def _notify(self, job: ClaimedJob, status: str) -> None:
        settings = self.lab.settings
        event = {"job_id": job.id, "kind": job.kind, "key": job.key, "owner": job.owner, "status": status}
        notify(list(settings.webhook_urls), settings.webhook_secret, event)

    def _heartbeat(self, job: ClaimedJob, done: threading.Event) -> None:
        while not done.wait(self.lease_s / 3):
            if not self.lab.queue.heartbeat(job, lease_s=self.lease_s):
                return
