"""Warm process pools: one per Lab (its home), kept between runs, recycled on package change.

Starting a spawn pool and importing an app's dependencies in every child (polars, numpy) costs
more than a short run itself, so ``pool`` mode keeps the processes. A pool serves one worker
artifact (the app's package at one content hash) with a fixed number of processes; a run with
another artifact or size recycles the pool once no run is using it, or gets a private pool for
itself while another run still holds the warm one. A pool whose task overran its timeout or
whose process died is closed (its processes are terminated) and replaced by the next run.

Log lines come back on one multiprocessing queue per pool, tagged with the run id; a drain
thread routes them to the emitter of the run that is waiting for them.
"""

from __future__ import annotations

import atexit
import importlib
import multiprocessing
import queue
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from ..node import artifact as node_artifact
from ..packaging import WorkerArtifact
from . import Emit

_STOP = None
DRAIN_GRACE_S = 2.0  # how long a finished run waits for its last log lines to arrive


class _Route:
    """Where one run's messages go, and how many of its tasks have reported their end."""

    def __init__(self, emit: Emit, tasks: int):
        self.emit, self.expected, self.ended = emit, tasks, 0
        self.done = threading.Event()
        if tasks == 0:
            self.done.set()


class WarmPool:
    def __init__(self, artifact: WorkerArtifact, size: int):
        self.key = (artifact.filename, size)
        self.users, self.private, self.broken = 0, False, False
        node_artifact.activate(str(artifact.path), artifact.package)  # spawned children inherit sys.path
        self.entry = importlib.import_module("agilab_node.executor")  # the artifact's copy, by name
        context = multiprocessing.get_context("spawn")
        self.logs = context.Queue()
        self.routes: dict[str, _Route] = {}
        self._routes_lock = threading.Lock()
        self.executor = ProcessPoolExecutor(size, mp_context=context, initializer=self.entry.init_pool,
                                            initargs=(self.logs,))
        self._drain = threading.Thread(target=self._drain_logs, name=f"agilab-pool-{artifact.filename}",
                                       daemon=True)
        self._drain.start()

    def submit(self, spec: dict[str, Any]):
        return self.executor.submit(self.entry.run_pool_task, spec)

    def route(self, run_id: str, emit: Emit, tasks: int) -> _Route:
        with self._routes_lock:
            route = self.routes[run_id] = _Route(emit, tasks)
        return route

    def unroute(self, run_id: str, wait_s: float = DRAIN_GRACE_S) -> None:
        """Stop routing ``run_id`` once its tasks' last lines arrived (or after ``wait_s``)."""
        route = self.routes.get(run_id)
        if route is not None:
            route.done.wait(wait_s)
        with self._routes_lock:
            self.routes.pop(run_id, None)

    def _drain_logs(self) -> None:
        while True:
            try:
                message = self.logs.get(timeout=1)
            except queue.Empty:
                continue
            except (EOFError, OSError, ValueError):
                return
            if message is _STOP:
                return
            self._deliver(message)

    def _deliver(self, message: dict[str, Any]) -> None:
        route = self.routes.get(message.pop("run_id", None))
        if route is None:
            return  # a run that already gave up waiting (timeout)
        kind = message.pop("kind")
        route.emit(kind, message)
        if kind == "worker" and message.get("state") in ("finished", "failed"):
            route.ended += 1
            if route.ended >= route.expected:
                route.done.set()

    def close(self, force: bool = False) -> None:
        """Shut the pool down; with ``force``, kill processes still running (overdue) tasks."""
        if force:
            # ProcessPoolExecutor cannot cancel a running task (terminate_workers() is 3.14+).
            for process in list((self.executor._processes or {}).values()):
                if process.is_alive():
                    process.terminate()
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.logs.put(_STOP)
        self._drain.join(timeout=5)
        self.logs.close()


class PoolRegistry:
    """The warm pool of each Lab home in this process."""

    def __init__(self, max_pools: int = 2) -> None:
        self._pools: dict[str, WarmPool] = {}  # least recently used first
        self.max_pools = max_pools  # idle pools of other Labs beyond this are closed
        self._lock = threading.Lock()
        self.started = 0  # pools created (tests: a second warm run starts none)

    def acquire(self, home: str, artifact: WorkerArtifact, size: int) -> WarmPool:
        with self._lock:
            pool = self._pools.get(home)
            if pool is not None and pool.key == (artifact.filename, size) and not pool.broken:
                pool.users += 1
                self._pools[home] = self._pools.pop(home)  # most recently used
                return pool
            if pool is not None and pool.users == 0:  # another package or size: recycle
                del self._pools[home]
                pool.close()
                pool = None
            fresh = WarmPool(artifact, size)
            self.started += 1
            fresh.users = 1
            if pool is None:
                self._pools[home] = fresh
                self._evict_idle()
            else:  # the warm pool is busy with another package: this run gets its own
                fresh.private = True
            return fresh

    def _evict_idle(self) -> None:
        for home in [h for h, p in self._pools.items() if p.users == 0][: max(0, len(self._pools) - self.max_pools)]:
            self._pools.pop(home).close()

    def release(self, home: str, pool: WarmPool, broken: bool = False) -> None:
        with self._lock:
            pool.users -= 1
            pool.broken = pool.broken or broken
            retire = pool.private or pool.broken
            if retire and self._pools.get(home) is pool:
                del self._pools[home]
        if retire and pool.users == 0:
            pool.close(force=pool.broken)

    def close(self) -> None:
        with self._lock:
            pools, self._pools = list(self._pools.values()), {}
        for pool in pools:
            pool.close(force=True)


_registry: PoolRegistry | None = None
_registry_lock = threading.Lock()


def warm_pools() -> PoolRegistry:
    """The process's registry (closed at exit)."""
    global _registry
    with _registry_lock:
        if _registry is None:
            _registry = PoolRegistry()
            atexit.register(_registry.close)
        return _registry
