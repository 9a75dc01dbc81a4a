"""``AGI``: the runtime's Python API (the CLI, the REST handlers and the magics all use it).

    agi = AGI(Lab.open())
    agi.get_distrib("flight_telemetry", mode="dask", flights=40)   # the plan run() will execute
    record = agi.run("flight_telemetry", mode="pool", flights=40)

Unlike AGILab's ``AGI`` class this is an ordinary object: build one per ``Lab``. What the process
shares is the pool of Dask clusters (starting one is expensive) and the plan cache.
``allow_app_paths=False`` (the server, queued jobs) accepts app names only, never a directory.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from typing import Any

from ..core import Lab
from .app_settings import AppSettings
from .apps import AppSpec, list_apps, resolve_app
from .backends.clusters import ClusterPool, default_cluster_pool
from .dispatcher import Dispatcher, Distribution, shared_dispatcher
from .packaging import build_artifact, missing_requirements, worker_requirements
from .records import RunRecord
from .requests import RunRequest
from .runner import EventCallback, Runner


def args_schema(model: type) -> dict[str, Any]:
    """The JSON Schema of an app's arguments model (a fresh copy: callers may change it)."""
    return json.loads(_args_schema_json(model))


@functools.lru_cache(maxsize=64)
def _args_schema_json(model: type) -> str:
    # Generating a schema costs milliseconds; `GET apps` needs every app's on every call. A changed
    # app's manager is re-imported as a new class, hence a new key.
    return json.dumps(model.model_json_schema())


class AGI:
    def __init__(self, lab: Lab, clusters: ClusterPool | None = None, dispatcher: Dispatcher | None = None,
                 clock: Callable[[], float] = time.monotonic, allow_app_paths: bool = True):
        self.lab = lab
        self.clusters = clusters or default_cluster_pool()
        self.runner = Runner(lab, self.clusters, dispatcher or shared_dispatcher(), clock, allow_app_paths)

    # -- apps -----------------------------------------------------------------------------

    def apps(self) -> list[dict[str, Any]]:
        return [self.describe(spec) for spec in list_apps(self.lab.home).values()]

    def app(self, app: str) -> AppSpec:
        return resolve_app(app, self.lab.home, self.runner.allow_app_paths)

    def describe(self, spec: AppSpec | str) -> dict[str, Any]:
        spec = spec if isinstance(spec, AppSpec) else self.app(spec)
        manager = spec.manager_class()
        return {
            "name": spec.name, "builtin": spec.builtin, "path": str(spec.path),
            "description": manager.description, "args_schema": args_schema(manager.Args),
            "worker_requirements": worker_requirements(spec),
        }

    def settings(self, app: str) -> AppSettings:
        return AppSettings(self.app(app), self.lab.home)

    # -- install, plan, run ---------------------------------------------------------------

    def install(self, app: str, mode: str = "local", scheduler: str | None = None,
                workers: int | dict[str, int] | None = None) -> dict[str, Any]:
        """Seed the settings, build the worker artifact and, for dask, ship it to the workers."""
        request = RunRequest.parse({"app": app, "mode": mode, "scheduler": scheduler, "workers": workers})
        spec = self.app(app)
        settings = AppSettings(spec, self.lab.home)
        settings.ensure_seeded()
        artifact = build_artifact(spec, self.lab.home / "packages")
        shipped: list[str] = []
        if mode == "dask":
            shipped = self.runner.backend(request).ship(artifact)
        self.lab.events.append(self.lab.owner, f"app:{spec.name}", "install",
                               {"artifact": artifact.filename, "mode": mode, "shipped_to": shipped})
        return {
            "app": spec.name, "settings": str(settings.path), "artifact": artifact.filename,
            "hash": artifact.content_hash, "shipped_to": shipped,
            "missing_requirements": missing_requirements(spec),
        }

    def get_distrib(self, app: str, mode: str = "local", scheduler: str | None = None,
                    workers: int | dict[str, int] | None = None, **args: Any) -> Distribution:
        """Preview the plan ``run`` executes with the same arguments (nothing runs)."""
        request = RunRequest.parse({"app": app, "mode": mode, "scheduler": scheduler,
                                    "workers": workers, "args": args})
        return self.runner.prepare(request).distribution

    def run(self, app: str, mode: str = "local", scheduler: str | None = None,
            workers: int | dict[str, int] | None = None, *, timeout_s: float | None = None,
            retries: int = 1, on_event: EventCallback | None = None, **args: Any) -> RunRecord:
        request = RunRequest.parse({
            "app": app, "mode": mode, "scheduler": scheduler, "workers": workers, "args": args,
            "timeout_s": timeout_s or self.lab.settings.run_timeout_s, "retries": retries,
        })
        return self.submit(request, on_event=on_event)

    def submit(self, request: RunRequest, run_id: str | None = None,
               on_event: EventCallback | None = None) -> RunRecord:
        """Run a prepared request (``run_id``: a run row created earlier, e.g. by the server)."""
        return self.runner.run(request, run_id=run_id, on_event=on_event)

    def create_run(self, request: RunRequest) -> str:
        """Validate ``request`` and record it as ``queued`` (the job then runs it)."""
        return self.runner.create(request)

    # -- records and cluster --------------------------------------------------------------

    def get_run(self, run_id: str) -> RunRecord:
        return self.runner.runs.get(run_id)

    def run_status(self, run_id: str) -> str:
        """A run's status without its record and artifacts (the SSE route's check)."""
        return self.runner.runs.status(run_id)

    def list_runs(self, app: str | None = None, limit: int = 50) -> list[RunRecord]:
        return self.runner.runs.list(app=app, limit=limit)

    def cluster(self) -> dict[str, Any]:
        from .cluster import published_clusters

        clusters = self.clusters.describe() + published_clusters(self.lab.home)  # + the job workers'
        return {"clusters": clusters, "scheduler_address": self.lab.settings.scheduler_address}

    # -- async versions for the server (asyncio imported here: ~20 ms a CLI run does not need) --

    async def ainstall(self, app: str, **kwargs: Any) -> dict[str, Any]:
        import asyncio

        return await asyncio.to_thread(self.install, app, **kwargs)

    async def aget_distrib(self, app: str, **kwargs: Any) -> Distribution:
        import asyncio

        return await asyncio.to_thread(self.get_distrib, app, **kwargs)

    async def arun(self, app: str, **kwargs: Any) -> RunRecord:
        import asyncio

        return await asyncio.to_thread(self.run, app, **kwargs)
