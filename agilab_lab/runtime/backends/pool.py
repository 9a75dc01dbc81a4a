"""``pool`` mode: one process per worker slot (``ProcessPoolExecutor``, spawn start method).

The children import the app from the same worker artifact Dask workers get: the artifact is put
on this process's ``sys.path`` before the pool starts and spawned children inherit that path.
Spawn (not fork) because the Jupyter server and Dask clients run threads, which fork copies
in a broken state.
"""

from __future__ import annotations

import importlib
import multiprocessing
import queue
import threading
from concurrent.futures import ProcessPoolExecutor, wait
from concurrent.futures import TimeoutError as FuturesTimeout
from typing import Any

from ..dispatcher import WorkerSlot
from ..node import artifact as node_artifact
from ..packaging import WorkerArtifact
from . import Emit, failed_outcome

_STOP = None


class PoolBackend:
    mode = "pool"

    def __init__(self, n_workers: int = 2):
        self.n_workers = max(1, n_workers)

    def slots(self) -> list[WorkerSlot]:
        return [WorkerSlot(name=f"pool-{i}") for i in range(self.n_workers)]

    def execute(self, artifact: WorkerArtifact, tasks: list[dict[str, Any]], emit: Emit,
                timeout_s: float, retries: int) -> list[dict[str, Any]]:
        node_artifact.activate(str(artifact.path), artifact.package)
        entry = importlib.import_module("agilab_node.executor")  # the artifact's copy, by name
        context = multiprocessing.get_context("spawn")
        logs = context.Queue()
        drain = threading.Thread(target=_drain, args=(logs, emit), daemon=True)
        drain.start()
        futures = []
        pool = ProcessPoolExecutor(len(tasks) or 1, mp_context=context,
                                   initializer=entry.init_pool, initargs=(logs,))
        try:
            specs = [{**task, "artifact_path": str(artifact.path)} for task in tasks]
            futures = [pool.submit(entry.run_pool_task, spec) for spec in specs]
            wait(futures, timeout=timeout_s)
            return [_outcome(future, task, timeout_s) for future, task in zip(futures, tasks, strict=True)]
        finally:
            _stop_pool(pool, force=bool(futures) and not all(f.done() for f in futures))
            logs.put(_STOP)
            drain.join(timeout=5)


def _outcome(future, task: dict[str, Any], timeout_s: float) -> dict[str, Any]:
    if not future.done():
        return failed_outcome(task, f"worker {task['worker_id']} timed out after {timeout_s:g} s")
    try:
        return future.result(timeout=0)
    except FuturesTimeout:
        return failed_outcome(task, f"worker {task['worker_id']} timed out after {timeout_s:g} s")
    except Exception as exc:  # the pool process died (killed, out of memory, segfault)
        return failed_outcome(task, f"worker {task['worker_id']} process died: {type(exc).__name__}: {exc}")


def _stop_pool(pool: ProcessPoolExecutor, force: bool) -> None:
    """Shut the pool down; with ``force``, kill the processes still running overdue tasks."""
    if force:
        # ProcessPoolExecutor cannot cancel a running task (terminate_workers() is 3.14+).
        for process in list((pool._processes or {}).values()):
            if process.is_alive():
                process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _drain(logs, emit: Emit) -> None:
    while True:
        try:
            message = logs.get(timeout=1)
        except queue.Empty:
            continue
        except (EOFError, OSError):
            return
        if message is _STOP:
            return
        kind = message.pop("kind")
        emit(kind, message)
