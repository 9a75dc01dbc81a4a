"""``local`` mode: every worker's task runs in this process, one after the other (for debugging:
breakpoints and tracebacks work as in any script). Timeouts are not enforced in-process."""

from __future__ import annotations

from typing import Any

from ..dispatcher import WorkerSlot
from ..node import executor
from ..packaging import WorkerArtifact
from . import Emit


class LocalBackend:
    mode = "local"

    def __init__(self, n_workers: int = 1):
        self.n_workers = max(1, n_workers)

    def slots(self) -> list[WorkerSlot]:
        return [WorkerSlot(name=f"local-{i}") for i in range(self.n_workers)]

    def execute(self, artifact: WorkerArtifact, tasks: list[dict[str, Any]], emit: Emit,
                timeout_s: float, retries: int) -> list[dict[str, Any]]:
        outcomes = []
        for task in tasks:
            outcomes.append(executor.run_task({**task, "artifact_path": str(artifact.path)}, emit))
        return outcomes
