"""``pool`` mode: one process per worker slot (spawn start method), kept warm between runs.

The children import the app from the same worker artifact Dask workers get: the artifact is put
on this process's ``sys.path`` before the pool starts and spawned children inherit that path.
Spawn (not fork) because the Jupyter server and Dask clients run threads, which fork copies
in a broken state. The processes outlive the run (:mod:`.warm_pool`): the next run of the same
package in the same Lab reuses them, with their imports done.
"""

from __future__ import annotations

from concurrent.futures import BrokenExecutor, wait
from concurrent.futures import TimeoutError as FuturesTimeout
from typing import Any

from ..dispatcher import WorkerSlot
from ..packaging import WorkerArtifact
from . import Emit, failed_outcome
from .warm_pool import PoolRegistry, warm_pools


class PoolBackend:
    mode = "pool"

    def __init__(self, n_workers: int = 2, home: str = "", registry: PoolRegistry | None = None):
        self.n_workers = max(1, n_workers)
        self.home = home
        self.registry = registry or warm_pools()

    def slots(self) -> list[WorkerSlot]:
        return [WorkerSlot(name=f"pool-{i}") for i in range(self.n_workers)]

    def execute(self, artifact: WorkerArtifact, tasks: list[dict[str, Any]], emit: Emit,
                timeout_s: float, retries: int) -> list[dict[str, Any]]:
        pool = self.registry.acquire(self.home, artifact, self.n_workers)
        run_id = tasks[0]["run_id"] if tasks else ""
        pool.route(run_id, emit, len(tasks))
        futures, broken = [], False
        try:
            futures = [pool.submit({**task, "artifact_path": str(artifact.path)}) for task in tasks]
            wait(futures, timeout=timeout_s)
            outcomes = [_outcome(future, task, timeout_s) for future, task in zip(futures, tasks, strict=True)]
            broken = not all(f.done() for f in futures) or any(_died(f) for f in futures)
            return outcomes
        except BrokenExecutor:
            broken = True
            raise
        finally:
            pool.unroute(run_id, wait_s=0 if broken else 2.0)
            self.registry.release(self.home, pool, broken=broken)


def _died(future) -> bool:
    return future.done() and isinstance(future.exception(timeout=0), BrokenExecutor)


def _outcome(future, task: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    if not future.done():
        return failed_outcome(task, f"worker {task['worker_id']} timed out after {timeout_s:g} s")
    try:
        return future.result(timeout=0)
    except FuturesTimeout:
        return failed_outcome(task, f"worker {task['worker_id']} timed out after {timeout_s:g} s")
    except Exception as exc:  # the pool process died (killed, out of memory, segfault)
        return failed_outcome(task, f"worker {task['worker_id']} process died: {type(exc).__name__}: {exc}")
