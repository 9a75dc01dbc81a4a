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
from .registry import JobHandler, PermanentJobError, job_handlers

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
    """Claims jobs and runs their handlers, heart-beating the lease while a handler runs."""

    def __init__(
        self, lab: Lab, *, worker_id: str | None = None, poll_s: float = 0.5,
        kinds: list[str] | None = None, handlers: dict[str, JobHandler] | None = None,
    ):
        self.lab = lab
        self.worker_id = worker_id or default_worker_id()
        self.poll_s = poll_s
        self.handlers = handlers if handlers is not None else job_handlers()
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
        """Run at most one job; return whether one was claimed."""
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
            self.lab.queue.fail(job, str(exc), retry=False)
        except Exception:
            log.exception("job %s (%s) failed", job.id, job.kind)
            self.lab.queue.fail(job, traceback.format_exc(limit=20))
        else:
            if self.lab.queue.complete(job, result):
                self._notify(job, "succeeded")
            else:
                log.warning("job %s lost its lease before completing; result dropped", job.id)
        finally:
            beating.set()

    def _notify(self, job: ClaimedJob, status: str) -> None:
        settings = self.lab.settings
        event = {"job_id": job.id, "kind": job.kind, "key": job.key, "owner": job.owner, "status": status}
        notify(list(settings.webhook_urls), settings.webhook_secret, event)

    def _heartbeat(self, job: ClaimedJob, done: threading.Event) -> None:
        while not done.wait(self.lease_s / 3):
            if not self.lab.queue.heartbeat(job, lease_s=self.lease_s):
                return
