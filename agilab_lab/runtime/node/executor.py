"""Run one worker's share of a run: the single coarse task each worker gets per run.

``run_task`` is the same in every mode; ``run_dask_task`` and ``run_pool_task`` only add how log
lines travel back to the client while the task runs (Dask worker events, a multiprocessing
queue). The task spec and the outcome are plain dicts so that nothing but this package has to
be importable where the task runs.
"""

from __future__ import annotations

import contextlib
import importlib
import io
import logging
import os
import shutil
import socket
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import artifact
from .base_worker import BaseWorker, Item

Emit = Callable[[str, dict[str, Any]], None]
LOG_FORMAT = "%(levelname)s %(name)s: %(message)s"
# Loggers of the hosting process (Dask's own chatter) are not part of the app's log.
_HOST_LOGGERS = ("distributed", "tornado", "asyncio", "bokeh")

_pool_queue: Any = None


class _LineStream(io.TextIOBase):
    """A text stream that keeps everything written and emits each complete line.

    Streams built with the same ``guard`` list share one re-entrancy flag: in local mode an
    emitter that logs (or prints) must not feed itself through either stream.
    """

    def __init__(self, sink: list[str], emit_line: Callable[[str], None], guard: list[bool] | None = None):
        self._sink, self._emit_line, self._partial = sink, emit_line, ""
        self._guard = guard if guard is not None else [False]

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self._sink.append(line)
            if not self._guard[0]:
                self._guard[0] = True
                try:
                    self._emit_line(line)
                finally:
                    self._guard[0] = False
        return len(text)

    def flush_partial(self) -> None:
        if self._partial:
            self.write("\n")


class _HostFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not record.name.startswith(_HOST_LOGGERS)


@contextlib.contextmanager
def _captured(worker_id: str, emit: Emit):
    """Capture stdout, stderr and logging of the task into one list of lines, emitting each with
    the stream it came from (logging goes to ``stderr``, as Python's default handler does)."""
    lines: list[str] = []
    guard = [False]

    def line_stream(name: str) -> _LineStream:
        return _LineStream(lines, lambda line: emit("log", {"worker": worker_id, "line": line, "stream": name}),
                           guard)

    stream, errors = line_stream("stdout"), line_stream("stderr")
    handler = logging.StreamHandler(errors)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(_HostFilter())
    root = logging.getLogger()
    previous_level = root.level
    root.addHandler(handler)
    root.setLevel(min(previous_level or logging.INFO, logging.INFO))
    try:
        with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(errors):
            yield lines
    finally:
        stream.flush_partial()
        errors.flush_partial()
        root.removeHandler(handler)
        root.setLevel(previous_level)


def _load_worker_class(spec: dict[str, Any]) -> type[BaseWorker]:
    path = spec.get("artifact_path") or artifact.find_on_path(spec["artifact_file"])
    if path is None:
        raise RuntimeError(f"worker artifact {spec['artifact_file']} is not installed on {socket.gethostname()}")
    artifact.activate(path, spec["package"])
    module_name, _, class_name = spec["worker_class"].partition(":")
    module = importlib.import_module(f"{spec['package']}.{module_name}")
    return getattr(module, class_name)


def _collect_files(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _work(spec: dict[str, Any], outcome: dict[str, Any], output_dir: Path) -> None:
    worker_cls = _load_worker_class(spec)
    logger = logging.getLogger(f"{spec['package']}.{spec['worker_id']}")
    worker = worker_cls(spec["args"], spec["worker_id"], output_dir, logger)
    items = [Item.from_dict(data) for data in spec["items"]]
    worker.start()
    try:
        worker.work_init()
        started = time.perf_counter()
        for item, result in zip(items, worker.works(items), strict=False):
            if not isinstance(result, dict):  # the client reads results as given: check them here
                raise TypeError(f"{worker_cls.__name__} returned a {type(result).__name__} for item {item.id}, "
                                "not a dict")
            now = time.perf_counter()
            outcome["items"].append({"id": item.id, "seconds": now - started, "result": result})
            started = now
        if len(outcome["items"]) != len(items):
            raise RuntimeError(f"works() yielded {len(outcome['items'])} results for {len(items)} items")
    finally:
        worker.stop()


def run_task(spec: dict[str, Any], emit: Emit | None = None) -> dict[str, Any]:
    """Run ``spec["items"]`` on this worker; never raises: failures come back in ``error``."""
    emit = emit or (lambda kind, payload: None)
    outcome: dict[str, Any] = {
        "worker_id": spec["worker_id"], "host": socket.gethostname(), "pid": os.getpid(),
        "items": [], "files": {}, "log": "", "error": None, "seconds": 0.0,
    }
    # ``output_dir``: the run's own directory, when the task runs in the client (local mode);
    # elsewhere the files travel back in the outcome.
    in_place = bool(spec.get("output_dir"))
    output_dir = Path(spec["output_dir"]) if in_place else Path(tempfile.mkdtemp(prefix=f"agilab-{spec['run_id']}-"))
    started = time.perf_counter()
    emit("worker", {"worker": spec["worker_id"], "state": "started", "items": len(spec["items"])})
    with _captured(spec["worker_id"], emit) as lines:
        try:
            _work(spec, outcome, output_dir)
        except Exception as exc:  # whatever the app raises belongs in the record, not in the client
            outcome["error"] = f"{type(exc).__name__}: {exc}"
            traceback.print_exc()  # into the captured log
    if not in_place:
        outcome["files"] = _collect_files(output_dir)
        shutil.rmtree(output_dir, ignore_errors=True)
    outcome["log"] = "\n".join(lines)
    outcome["seconds"] = time.perf_counter() - started
    state = "failed" if outcome["error"] else "finished"
    emit("worker", {"worker": spec["worker_id"], "state": state, "seconds": outcome["seconds"]})
    return outcome


def run_dask_task(spec: dict[str, Any]) -> dict[str, Any]:
    """Entry point of the Dask task: log lines travel as worker events on the run's topic."""
    from distributed import get_worker

    dask_worker = get_worker()
    topic = spec["topic"]

    def emit(kind: str, payload: dict[str, Any]) -> None:
        dask_worker.log_event(topic, {"kind": kind, **payload})

    outcome = run_task(spec, emit)
    outcome["address"] = dask_worker.address
    return outcome


def init_pool(queue: Any) -> None:
    """Initializer of pool processes: remember the queue log lines go to."""
    global _pool_queue
    _pool_queue = queue


def run_pool_task(spec: dict[str, Any]) -> dict[str, Any]:
    """Entry point of a pool task: log lines travel on the queue given to ``init_pool``."""

    run_id = spec["run_id"]  # a warm pool serves many runs: the client routes lines by run

    def emit(kind: str, payload: dict[str, Any]) -> None:
        if _pool_queue is not None:
            _pool_queue.put({"kind": kind, "run_id": run_id, **payload})

    return run_task(spec, emit)
