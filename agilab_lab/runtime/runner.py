"""Execute one run end to end: plan, package, dispatch, aggregate, record.

``Runner`` holds no global state: it gets the ``Lab`` (database, events, home), the cluster pool
and the dispatcher from the AGI facade, and a clock, so tests can drive every collaborator.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, TypeAdapter

from ..core import Lab
from ..store.event_buffer import EventBuffer
from ..store.ids import new_id, utcnow
from .app_settings import AppSettings
from .apps import AppSpec, resolve_app
from .backends import Backend
from .backends.clusters import ClusterPool, DaskTarget
from .backends.local import LocalBackend
from .contract import BaseManager, ItemResult, WorkItem
from .dispatcher import Dispatcher, Distribution
from .errors import BadArgs, RunNotFound
from .gc_scope import collections_skip_older_objects
from .packaging import CodeSnapshot, WorkerArtifact, build_artifact, snapshot
from .predictor import CapacityPredictor
from .records import RunRecord, run_dir, run_store, write_manifest
from .requests import RunRequest

if TYPE_CHECKING:  # the CLI's light store runs without SQLAlchemy
    from sqlalchemy.orm import Session

EventCallback = Callable[[str, dict[str, Any]], None]

# One call per list, not per item: a model_dump or model_construct per item cost 1-2 us each.
_WORK_ITEMS = TypeAdapter(list[WorkItem])
_ITEM_RESULTS = TypeAdapter(list[ItemResult])


class RunEvents:
    """A run's events: buffered (log lines go in batches), the run's end written at once.

    ``flush_task_ends``: a worker's task ending is written at once too. Not in local mode: there
    the run's final transaction follows the last task and writes what waits (one transaction
    less on every run); the buffer's flusher still writes a long run's events within its delay.
    """

    def __init__(self, buffer: EventBuffer, topic: str, on_event: EventCallback | None = None,
                 flush_task_ends: bool = True):
        self.buffer, self.topic, self.on_event = buffer, topic, on_event
        self.flush_task_ends = flush_task_ends

    def emit(self, kind: str, payload: dict[str, Any], session: Session | None = None) -> None:
        """Queue an event; one that ends something is written now (in ``session`` if given)."""
        flush = _ends_run(kind, payload) or (self.flush_task_ends and _ends_task(kind, payload))
        self.buffer.add(self.topic, kind, payload, flush=flush, session=session)
        if self.on_event is not None:
            self.on_event(kind, payload)

    def ended(self, record: RunRecord, session: Session | None = None) -> None:
        self.emit("status", {"state": record.status, "seconds": record.seconds, "error": record.error}, session)

    def flush(self) -> None:
        self.buffer.flush()


@dataclass
class Prepared:
    """Everything decided before any work runs (what ``get_distrib`` previews)."""

    request: RunRequest
    spec: AppSpec
    manager: BaseManager
    args: BaseModel
    backend: Backend
    distribution: Distribution
    code: CodeSnapshot  # read once: the plan's code hash and the artifact's files


class Runner:
    def __init__(self, lab: Lab, clusters: ClusterPool, dispatcher: Dispatcher,
                 clock: Callable[[], float] = time.monotonic, allow_app_paths: bool = True):
        # a run's own rows and events go through the light store when the database allows it
        self.lab, self.clusters, self.dispatcher, self.clock = lab.light(), clusters, dispatcher, clock
        self.allow_app_paths = allow_app_paths
        self.runs = run_store(self.lab.store, self.lab.owner)
        self.predictor = CapacityPredictor(self.lab.store, self.lab.owner)

    # -- planning -------------------------------------------------------------------------

    def validate(self, request: RunRequest) -> tuple[AppSpec, BaseModel]:
        """Resolve the app and validate its arguments (``BadArgs``/``AppNotFound`` otherwise)."""
        spec = resolve_app(request.app, self.lab.home, self.allow_app_paths)
        return spec, AppSettings(spec, self.lab.home).validate(request.args)

    def backend(self, request: RunRequest) -> Backend:
        settings = self.lab.settings
        if request.mode == "local":
            return LocalBackend(request.workers if isinstance(request.workers, int) else 1)
        if request.mode == "pool":
            from .backends.pool import PoolBackend  # multiprocessing only when used

            return PoolBackend(request.workers if isinstance(request.workers, int) else settings.n_workers,
                               home=str(self.lab.home))
        target = DaskTarget(
            scheduler=request.scheduler or settings.scheduler_address or None,
            ssh_hosts=tuple(sorted(request.workers.items())) if isinstance(request.workers, dict) else (),
            n_workers=request.workers if isinstance(request.workers, int) else settings.n_workers,
            threads_per_worker=settings.threads_per_worker,
        )
        from .backends.dask import DaskBackend  # cloudpickle and distributed only when used

        return DaskBackend(self.clusters, target, self.clock)

    def prepare(self, request: RunRequest, validated: tuple[AppSpec, BaseModel] | None = None) -> Prepared:
        spec, args = validated or self.validate(request)
        manager = spec.manager_class()(args)
        backend = self.backend(request)
        slots = backend.slots()
        capacities = self.predictor.capacities(spec.name, [s.name for s in slots])
        code = snapshot(spec)
        try:
            distribution = self.dispatcher.distribute(spec.name, code.code_hash, manager, slots, capacities)
        except ValueError as exc:  # the manager refused its inputs (e.g. an empty data directory)
            raise BadArgs(f"{spec.name} cannot plan this run: {exc}") from exc
        return Prepared(request, spec, manager, args, backend, distribution, code)

    # -- running --------------------------------------------------------------------------

    def create(self, request: RunRequest) -> str:
        """A ``queued`` run row for a validated request (the server creates it before enqueueing)."""
        return self._create(request, *self.validate(request))

    def _create(self, request: RunRequest, spec: AppSpec, args: BaseModel, run_id: str | None = None,
                **values: Any) -> str:
        extra = {"request": request.model_dump(mode="json", exclude={"args"})}
        return self.runs.create(spec.name, request.mode, args.model_dump(mode="json"), extra, run_id, **values)

    def _failed(self, request: RunRequest, run_id: str, validated: tuple[AppSpec, BaseModel] | None,
                **values: Any) -> None:
        """Record a run that failed before its workers' results: its row, written now if planning
        failed before an in-process run's row was."""
        try:
            self.runs.update(run_id, **values)
        except RunNotFound:
            if validated is None:
                raise
            self._create(request, *validated, run_id, **values)

    def run(self, request: RunRequest, run_id: str | None = None,
            on_event: EventCallback | None = None) -> RunRecord:
        from ..tracking import MlflowTracker

        validated = None
        if run_id is None:  # validated once, for the row and the plan; the row is written once planned
            validated = self.validate(request)
            run_id = new_id()
        events = RunEvents(EventBuffer(self.lab.events, self.lab.owner), f"run:{run_id}", on_event,
                           flush_task_ends=request.mode != "local")
        tracker = MlflowTracker.from_settings(self.lab.settings)
        started = self.clock()
        # log lines go in batches; whatever is left is written however the run ends
        with collections_skip_older_objects(), events.buffer:
            try:
                # Without tracking, the terminal event commits with the run's final row.
                record = self._execute(request, run_id, events, started, validated, ended_in_finish=tracker is None)
            except Exception as exc:
                # Planning or infrastructure failed before any worker ran: record why, then re-raise.
                error = f"{type(exc).__name__}: {exc}"
                self._failed(request, run_id, validated, status="failed", error=error,
                             seconds=self.clock() - started, finished_at=utcnow())
                events.emit("status", {"state": "failed", "error": error})
                raise
            if tracker is not None:  # the tracking event comes before the terminal one
                record = self._track(tracker, record, events.emit)
                events.ended(record)
        return record

    def _track(self, tracker, record: RunRecord, emit: EventCallback) -> RunRecord:
        """Log the finished run to MLflow (best effort: never fails the run)."""
        try:
            info = tracker.log(record, run_dir(self.lab.home, record.id))
        except Exception as exc:  # a tracking store down must not lose the run's own record
            info = {"error": f"{type(exc).__name__}: {exc}"}
        emit("tracking", {"mlflow": info})
        self.runs.update(record.id, extra={**record.extra, "mlflow": info})
        return self.runs.get(record.id)

    def _execute(self, request: RunRequest, run_id: str, events: RunEvents, started: float,
                 validated: tuple[AppSpec, BaseModel] | None = None, ended_in_finish: bool = False) -> RunRecord:
        timings: dict[str, Any] = {}
        emit = events.emit
        emit("status", {"state": "planning"})
        prepared = self.prepare(request, validated)
        timings["plan_s"] = self.clock() - started
        plan = prepared.distribution.summary()
        if validated is None:  # the row was created (queued) by whoever enqueued the run
            self.runs.start(run_id, plan)
        else:
            self._create(request, prepared.spec, prepared.args, run_id, status="running", plan=plan,
                         started_at=utcnow())
        emit("status", {"state": "running", "plan": plan})

        mark = self.clock()
        artifact = build_artifact(prepared.spec, self.lab.home / "packages", prepared.code)
        timings["package_s"] = self.clock() - mark

        mark = self.clock()
        tasks = self._tasks(prepared, run_id)
        outcomes = prepared.backend.execute(artifact, tasks, emit, request.timeout_s, request.retries)
        timings["execute_s"] = self.clock() - mark

        return self._record(prepared, run_id, artifact, tasks, outcomes, timings, started,
                            events if ended_in_finish else None)

    def _record(self, prepared: Prepared, run_id: str, artifact: WorkerArtifact, tasks: list[dict[str, Any]],
                outcomes: list[dict[str, Any]], timings: dict[str, Any], started: float,
                events: RunEvents | None = None) -> RunRecord:
        """Aggregate (when every worker succeeded), write the run directory, then in one transaction
        the workers' timings, the final row and (given ``events``) the run's terminal event."""
        directory = run_dir(self.lab.home, run_id)
        results = _save_outputs(directory, tasks, outcomes)
        errors = [f"worker {o['worker_id']}: {o['error']}" for o in outcomes if o["error"]]
        summary: dict[str, Any] = {}
        if not errors:
            mark = self.clock()
            summary = prepared.manager.aggregate(results, directory)
            timings["aggregate_s"] = self.clock() - mark
        timings["workers"] = [_worker_timing(task, o) for task, o in zip(tasks, outcomes, strict=True)]

        log = "\n".join(f"[{o['worker_id']}] {line}" for o in outcomes for line in o["log"].splitlines())
        (directory / "log.txt").write_text(log + "\n")
        manifest = write_manifest(directory)
        extra = {
            "request": prepared.request.model_dump(mode="json", exclude={"args"}),
            "artifact": {"file": artifact.filename, "hash": artifact.content_hash,
                         "shipped_to": getattr(prepared.backend, "shipped_to", [])},
            "plan_key": prepared.distribution.key,
        }
        with _joined(events), self._unit() as session:  # the events still waiting commit with the row
            self._record_stats(prepared.spec.name, run_id, tasks, outcomes, session)
            record = self.runs.finish(
                run_id, manifest, session, status="failed" if errors else "succeeded", result=summary,
                timings=timings, extra=extra, log=log, error="\n".join(errors) or None,
                seconds=self.clock() - started, finished_at=utcnow(),
            )
            if events is not None:
                events.ended(record, session)
        return record

    def _tasks(self, prepared: Prepared, run_id: str) -> list[dict[str, Any]]:
        args = prepared.args.model_dump(mode="json")
        in_place = {}
        if prepared.backend.mode == "local":  # in this process: workers write into the run directory
            outputs = run_dir(self.lab.home, run_id) / "outputs"
            outputs.mkdir(parents=True, exist_ok=True)
            in_place = {"output_dir": str(outputs)}
        return [
            {
                "run_id": run_id, "topic": f"agilab-run-{run_id}", "app": prepared.spec.name,
                "worker_id": a.worker, "address": a.address, "package": prepared.spec.worker_package,
                "worker_class": prepared.manager.worker_class, "args": args,
                "items": _WORK_ITEMS.dump_python(a.items, mode="json"),
                "weight": a.weight, **in_place,
            }
            for a in prepared.distribution.assignments
            if a.items
        ]

    def _unit(self):
        """One transaction for a run's final writes (the light store of the CLI has its own)."""
        return self.lab.store.transaction() if getattr(self.lab.store, "lite", False) else self.lab.store.session()

    def _record_stats(self, app: str, run_id: str, tasks, outcomes, session: Session | None) -> None:
        measured = [
            (task["worker_id"], len(task["items"]), task["weight"], sum(item["seconds"] for item in outcome["items"]))
            for task, outcome in zip(tasks, outcomes, strict=True)
            # a failed or moved task says nothing about the planned worker's speed
            if not outcome["error"] and not outcome.get("retried_on")
        ]
        self.predictor.record_many(app, run_id, measured, session)


def _save_outputs(directory: Path, tasks, outcomes) -> list[ItemResult]:
    """Write the workers' files and every item's result; return the results sorted by item id."""
    outputs = directory / "outputs"
    outputs.mkdir(parents=True, exist_ok=True)
    results = []
    for task, outcome in zip(tasks, outcomes, strict=True):
        for relative, data in outcome["files"].items():
            target = (outputs / relative).resolve()
            if not target.is_relative_to(outputs.resolve()):
                raise ValueError(f"worker {task['worker_id']} wrote outside its output directory: {relative}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        results += [{"id": i["id"], "worker": task["worker_id"], "result": i["result"]} for i in outcome["items"]]
    results.sort(key=lambda r: r["id"])
    # No indent: json's C encoder only serves compact output (indent=1 ran the pure-Python one).
    # Plain dicts dumped, then validated in one call: a model per result dumped one by one cost more.
    (directory / "items.json").write_text(json.dumps(results, default=str))
    return _ITEM_RESULTS.validate_python(results)


def _worker_timing(task: dict[str, Any], outcome: dict[str, Any]) -> dict[str, Any]:
    return {
        "worker": task["worker_id"], "items": len(task["items"]), "done": len(outcome["items"]),
        "weight": task["weight"], "seconds": outcome["seconds"], "host": outcome["host"],
        "retried_on": outcome.get("retried_on"), "error": outcome["error"],
    }


def _joined(events: RunEvents | None):
    """The events flushed into the final transaction wait again if it fails (nothing else to do
    when the terminal event is written later, after tracking)."""
    return events.buffer.joined() if events is not None else nullcontext()


def _ends_task(kind: str, payload: dict[str, Any]) -> bool:
    return kind == "worker" and payload.get("state") in ("finished", "failed")


def _ends_run(kind: str, payload: dict[str, Any]) -> bool:
    """The whole run ended (other events wait for the buffer, <= 0.5 s)."""
    return kind == "status" and payload.get("state") in ("succeeded", "failed")
