"""Execution back-planes: where the coarse per-worker tasks of a run execute.

Every backend takes the same task specs (plain dicts, see :mod:`agilab_lab.runtime.node.executor`)
and returns one outcome dict per task, in order. Backends never raise for a failing task: a
worker exception, a lost worker or a timeout comes back as an outcome with ``error`` set, so the
results of the other workers are kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from ..dispatcher import WorkerSlot
from ..packaging import WorkerArtifact

Emit = Callable[[str, dict[str, Any]], None]


class Backend(Protocol):
    mode: str

    def slots(self) -> list[WorkerSlot]:
        """The worker slots a plan is balanced over, in a stable order."""

    def execute(self, artifact: WorkerArtifact, tasks: list[dict[str, Any]], emit: Emit,
                timeout_s: float, retries: int) -> list[dict[str, Any]]:
        """Run every task; one outcome per task, in the order of ``tasks``."""


def failed_outcome(task: dict[str, Any], error: str) -> dict[str, Any]:
    """The outcome of a task that never reported back (lost worker, timeout, crash)."""
    return {"worker_id": task["worker_id"], "host": None, "pid": None, "items": [], "files": {},
            "log": error, "error": error, "seconds": 0.0}
