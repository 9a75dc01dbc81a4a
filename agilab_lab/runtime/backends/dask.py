"""``dask`` mode: one coarse task per worker, pinned to that worker.

The worker artifact is shipped (``UploadFile`` plugin, the mechanism behind
``Client.upload_file``) only to workers that do not have its hash yet. While the tasks run, the
backend watches the cluster: a worker that leaves mid-run gets its task re-run once on another
worker (``retries``), or the task fails with a clear error; a run never outlives ``timeout_s``.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from typing import Any

import cloudpickle

from ..dispatcher import WorkerSlot
from ..errors import ClusterUnavailable
from ..packaging import WorkerArtifact
from . import Emit, failed_outcome, remote
from .clusters import ClusterPool, DaskTarget

POLL_S = 0.25
cloudpickle.register_pickle_by_value(remote)


class DaskBackend:
    mode = "dask"

    def __init__(self, pool: ClusterPool, target: DaskTarget, clock: Callable[[], float] = time.monotonic):
        self.pool, self.target, self.clock = pool, target, clock
        self.client = pool.client(target)
        self.shipped_to: list[str] = []

    def live_workers(self) -> dict[str, dict[str, Any]]:
        """The scheduler's current workers by address (a fresh query, not the client's cache)."""
        return self.client.scheduler_info(n_workers=-1)["workers"]

    def slots(self) -> list[WorkerSlot]:
        """One slot per worker; a slot's name is the worker's name when it has a stable one."""
        workers = self.live_workers()
        if not workers:
            raise ClusterUnavailable(f"the Dask cluster {self.target.key} has no workers")
        return sorted((WorkerSlot(name=_slot_name(a, w), address=a) for a, w in workers.items()),
                      key=lambda s: s.name)

    def ship(self, artifact: WorkerArtifact) -> list[str]:
        """Send the artifact to the workers that lack it; return their addresses."""
        from distributed.diagnostics.plugin import UploadFile

        scheduler = self.client.scheduler.address
        known = self.pool.installed.setdefault(scheduler, {})
        workers = list(self.live_workers())
        unknown = [a for a in workers if artifact.filename not in known.get(a, set())]
        if not unknown:
            return []
        probed = self.client.run(remote.installed_artifacts, workers=unknown, on_error="return")
        for address, value in probed.items():
            known[address] = set(value) if isinstance(value, list) else set()
        missing = sorted(a for a in unknown if artifact.filename not in known[a])
        if missing:
            # A stable plugin name replaces the app's previous artifact on every worker, and
            # workers that join later get the current one.
            self.client.register_plugin(UploadFile(str(artifact.path)), name=f"agilab-{artifact.package}")
            for address in workers:
                known.setdefault(address, set()).add(artifact.filename)
        return missing

    def execute(self, artifact: WorkerArtifact, tasks: list[dict[str, Any]], emit: Emit,
                timeout_s: float, retries: int) -> list[dict[str, Any]]:
        self.shipped_to = self.ship(artifact)
        if self.shipped_to:
            emit("status", {"state": "shipped", "artifact": artifact.filename, "workers": self.shipped_to})
        entry = remote.run_dask_task
        topic = tasks[0]["topic"] if tasks else "agilab"
        events: queue.Queue = queue.Queue()
        self.client.subscribe_topic(topic, lambda event: events.put(event[1]))
        try:
            return _Watch(self, entry, artifact, tasks, events, emit, timeout_s, retries).run()
        finally:
            self.client.unsubscribe_topic(topic)


class _Watch:
    """Submit the tasks and watch them until each has an outcome."""

    def __init__(self, backend: DaskBackend, entry, artifact: WorkerArtifact, tasks, events, emit,
                 timeout_s: float, retries: int):
        self.backend, self.entry, self.artifact = backend, entry, artifact
        self.client, self.clock = backend.client, backend.clock
        self.tasks, self.events, self.emit = tasks, events, emit
        self.timeout_s, self.retries = timeout_s, retries
        self.outcomes: list[dict[str, Any] | None] = [None] * len(tasks)
        self.attempts = [0] * len(tasks)
        self.pending: dict[Any, tuple[int, str]] = {}
        self.changed = threading.Event()  # set by any future finishing
        self.notes: dict[int, list[str]] = {}  # what happened to a task besides its own log

    def submit(self, index: int, address: str) -> None:
        task = {**self.tasks[index], "artifact_file": self.artifact.filename}
        future = self.client.submit(
            self.entry, task, key=f"agilab-{task['run_id']}-{index}-{self.attempts[index]}",
            workers=[address], allow_other_workers=False, pure=False,
        )
        self.pending[future] = (index, address)
        future.add_done_callback(lambda _: self.changed.set())

    def run(self) -> list[dict[str, Any]]:
        for index, task in enumerate(self.tasks):
            self.submit(index, task["address"])
        deadline = self.clock() + self.timeout_s
        while self.pending:
            self.drain_events()
            remaining = deadline - self.clock()
            if remaining <= 0:
                self.fail_pending(f"timed out after {self.timeout_s:g} s")
                break
            self.changed.wait(min(POLL_S, remaining))
            self.changed.clear()
            self.collect_done()
            self.handle_lost_workers()
        self.drain_events()
        return list(self.outcomes)

    def collect_done(self) -> None:
        for future, (index, address) in list(self.pending.items()):
            if not future.done():
                continue
            del self.pending[future]
            if future.status == "finished":
                outcome = future.result()
            else:  # infrastructure failure (KilledWorker, cancelled): the task itself never raises
                error = future.exception() if future.status == "error" else future.status
                outcome = failed_outcome(self.tasks[index], f"dask task failed on {address}: {error!r}")
            if self.attempts[index]:
                outcome["retried_on"] = address
                outcome["log"] = "\n".join([*self.notes.get(index, []), outcome["log"]])
            self.outcomes[index] = outcome

    def handle_lost_workers(self) -> None:
        live = self.backend.live_workers()
        for future, (index, address) in list(self.pending.items()):
            if address in live:
                continue
            del self.pending[future]
            future.cancel()
            worker = self.tasks[index]["worker_id"]
            if self.attempts[index] < self.retries and live:
                self.attempts[index] += 1
                target = sorted(live)[0]
                note = f"worker {worker} ({address}) left mid-run; retrying its task on {target}"
                self.notes.setdefault(index, []).append(note)
                self.emit("log", {"worker": worker, "line": note})
                self.submit(index, target)
            else:
                why = "no retry is left" if live else "no worker is left to retry on"
                self.outcomes[index] = failed_outcome(
                    self.tasks[index], f"worker {worker} ({address}) left the cluster mid-run; {why}")

    def fail_pending(self, reason: str) -> None:
        for future, (index, address) in list(self.pending.items()):
            future.cancel()
            self.outcomes[index] = failed_outcome(
                self.tasks[index], f"worker {self.tasks[index]['worker_id']} ({address}) {reason}")
        self.pending.clear()

    def drain_events(self) -> None:
        while True:
            try:
                message = dict(self.events.get_nowait())
            except queue.Empty:
                return
            kind = message.pop("kind", "log")
            self.emit(kind, message)


def _slot_name(address: str, info: dict[str, Any]) -> str:
    name = str(info.get("name", address))
    return address if name == address else f"{address.rsplit(':', 1)[0].split('://')[-1]}/{name}"
