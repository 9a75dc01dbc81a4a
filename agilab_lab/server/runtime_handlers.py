"""REST routes of the runtime: apps, their settings, runs (with SSE events and artifacts), cluster.

Handlers parse, call :class:`agilab_lab.runtime.AGI` in a thread, and serialise; runtime errors
map to their 4xx status (``RuntimeFailure.status``/``code``).
"""

from __future__ import annotations

import asyncio
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import tornado.web
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..notebooks import export_run_notebook
from ..runtime import AGI
from ..runtime.errors import RuntimeFailure
from ..runtime.jobs import FINISHED, enqueue_run
from ..runtime.records import RunRecord, safe_artifact_path
from ..runtime.requests import TARGET_RULES_SCHEMA, Mode, RunRequest, TimeoutS, Workers
from .base import ApiError, BaseAPIHandler, EventStreamHandler, Op, Route
from .bounds import JsonObject, exactly_one_of, optional_in_schema
from .files import FileSender

MAX_ARGS = 200  # keys of an app's arguments
MAX_RUNS_LISTED = 500


class RunBody(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=TARGET_RULES_SCHEMA)

    mode: Mode = "local"
    scheduler: str | None = Field(default=None, max_length=512)
    workers: Workers = None
    args: JsonObject = Field(default_factory=dict, max_length=MAX_ARGS)
    timeout_s: TimeoutS | None = None
    retries: int = Field(default=1, ge=0, le=3)


class InstallBody(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra=TARGET_RULES_SCHEMA)

    mode: Mode = "local"
    scheduler: str | None = Field(default=None, max_length=512)
    workers: Workers = None


class SettingsBody(BaseModel):
    """Either new ``args`` values (merged, comments kept) or the whole file's ``text``."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=exactly_one_of("args", "text"))

    args: JsonObject = Field(default=None, max_length=MAX_ARGS,  # type: ignore[assignment]
                             json_schema_extra=optional_in_schema)
    text: str = Field(default=None, max_length=200_000, json_schema_extra=optional_in_schema)  # type: ignore[assignment]

    @model_validator(mode="after")
    def _one_of(self) -> SettingsBody:
        if (self.args is None) == (self.text is None):
            raise ValueError("send exactly one of 'args' or 'text'")
        return self


class RunAccepted(BaseModel):
    run_id: str
    job_id: str


def run_json(record: RunRecord, exclude: set[str] | None = None) -> dict[str, Any]:
    """A run as the REST API serves it: its id is ``run_id``, as in every other answer and the CLI."""
    data = record.model_dump(mode="json", exclude=exclude)
    return {"run_id": data.pop("id"), **data}


@contextmanager
def runtime_errors():
    """Runtime errors become the API's JSON errors (never a traceback)."""
    try:
        yield
    except RuntimeFailure as exc:
        raise ApiError(exc.status, exc.code, str(exc)) from None
    except ValueError as exc:  # a manager refusing its inputs while planning
        raise ApiError(400, "bad_args", str(exc)) from None


class RuntimeHandler(BaseAPIHandler):
    @property
    def agi(self) -> AGI:
        return AGI(self.lab, allow_app_paths=False)

    async def call(self, func, *args, **kwargs):
        with runtime_errors():
            return await asyncio.to_thread(func, *args, **kwargs)

    def check_ssh(self, workers) -> None:
        if isinstance(workers, dict) and not self.lab.settings.allow_ssh:
            raise ApiError(403, "ssh_disabled", "SSH clusters are disabled on this server (allow_ssh)")


class AppsHandler(RuntimeHandler):
    @tornado.web.authenticated
    async def get(self):
        self.finish_json({"apps": await self.call(self.agi.apps)})


class AppHandler(RuntimeHandler):
    @tornado.web.authenticated
    async def get(self, app: str):
        self.finish_json(await self.call(self.agi.describe, app))


class AppSettingsHandler(RuntimeHandler):
    def _view(self, app: str) -> dict[str, Any]:
        settings = self.agi.settings(app)
        return {"app": app, "path": str(settings.path), "text": settings.text(), "args": settings.args()}

    @tornado.web.authenticated
    async def get(self, app: str):
        self.finish_json(await self.call(self._view, app))

    @tornado.web.authenticated
    async def put(self, app: str):
        body = self.parse_body(SettingsBody)

        def update() -> dict[str, Any]:
            settings = self.agi.settings(app)
            if body.args is not None:
                settings.update(body.args)
            else:
                settings.replace_text(body.text)
            self.lab.events.append(self.lab.owner, f"app:{app}", "settings", {"keys": sorted(body.args or {})})
            return self._view(app)

        self.finish_json(await self.call(update))


class InstallHandler(RuntimeHandler):
    @tornado.web.authenticated
    async def post(self, app: str):
        body = self.parse_body(InstallBody)
        self.check_ssh(body.workers)
        self.finish_json(await self.call(self.agi.install, app, **body.model_dump()))


class AppRunsHandler(RuntimeHandler):
    @tornado.web.authenticated
    async def post(self, app: str):
        body = self.parse_body(RunBody)
        self.check_ssh(body.workers)
        data = body.model_dump()
        data["timeout_s"] = data["timeout_s"] or self.lab.settings.run_timeout_s
        with runtime_errors():
            request = RunRequest.parse({"app": app, **data})
        run_id, job_id = await self.call(enqueue_run, self.agi, request)
        self.finish_json(RunAccepted(run_id=run_id, job_id=job_id).model_dump(), status=202)


class RunsHandler(RuntimeHandler):
    @tornado.web.authenticated
    async def get(self):
        app = self.get_query_argument("app", None)
        limit = self.bounded_query("limit", 50, 1, MAX_RUNS_LISTED)
        runs = await self.call(self.agi.list_runs, app=app, limit=limit)
        self.finish_json({"runs": [run_json(r, exclude={"artifacts", "log"}) for r in runs]})


class RunHandler(RuntimeHandler):
    @tornado.web.authenticated
    async def get(self, id: str):  # `id`: the placeholder of DESIGN.md's runs/{id}
        record = await self.call(self.agi.get_run, id)
        self.finish_json(run_json(record))


class RunEventsHandler(EventStreamHandler):
    """A run's events; the stream closes after the run's final status (also one ended by the reaper)."""

    def topic(self, id: str) -> str:
        with runtime_errors():
            status = AGI(self.lab, allow_app_paths=False).run_status(id)  # 404 for a run this user does not own
        self.ended = status in FINISHED  # a finished run: send the backlog, then close
        return f"run:{id}"

    def is_terminal(self, kind: str, payload: dict[str, Any]) -> bool:
        return kind == "status" and payload.get("state") in FINISHED


class RunArtifactHandler(FileSender, RuntimeHandler):
    @tornado.web.authenticated
    async def get(self, id: str, path: str):
        def locate():
            self.agi.get_run(id)
            return safe_artifact_path(self.lab.home, id, path)

        await self.send_file(await self.call(locate))


class NotebookCreated(BaseModel):
    path: str = Field(description="the notebook, relative to the Jupyter root (open it with docmanager)")


class RunNotebookHandler(RuntimeHandler):
    @tornado.web.authenticated
    async def post(self, id: str):
        root = Path(self.settings.get("server_root_dir") or Path.cwd()).expanduser().resolve()
        path = await self.call(export_run_notebook, self.agi, id, root=root)
        self.finish_json(NotebookCreated(path=path.relative_to(root).as_posix()).model_dump(), status=201)


class DesignAppBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=64, pattern=r"^[a-z][a-z0-9_]*$",
                      description="app name (a lower-case Python identifier)")


class DesignAppCreated(BaseModel):
    app: str
    path: str


class DesignAppHandler(RuntimeHandler):
    """A generated design's training / batch pipeline as a runtime app (``new-app --from-design``)."""

    @tornado.web.authenticated
    async def post(self, id: str):
        body = self.parse_body(DesignAppBody)
        lab = self.lab

        def create() -> Path:
            from ..runtime.bridge import create_app_from_design, design_ref

            return create_app_from_design(design_ref(lab, id), body.name, lab.home / "design-apps", lab.home)

        path = await self.call(create)
        self.finish_json(DesignAppCreated(app=body.name, path=str(path)).model_dump(), status=201)


class ClusterHandler(RuntimeHandler):
    @tornado.web.authenticated
    async def get(self):
        self.finish_json(await self.call(self.agi.cluster))


ROUTES = [
    Route("apps", AppsHandler, {"get": Op("List the runtime apps")}),
    Route("apps/{app}", AppHandler, {"get": Op("Describe an app (arguments schema, worker requirements)")}),
    Route("apps/{app}/settings", AppSettingsHandler, {
        "get": Op("The app's working app_settings.toml"),
        "put": Op("Update the app's settings (validated; comments kept)", body=SettingsBody),
    }),
    Route("apps/{app}/install", InstallHandler, {
        "post": Op("Seed settings, build the worker artifact, ship it to Dask workers", body=InstallBody),
    }),
    Route("apps/{app}/runs", AppRunsHandler, {
        "post": Op("Queue a run of the app", body=RunBody, response=RunAccepted, status=202),
    }),
    Route("runs", RunsHandler, {"get": Op("List runs", query={
        "app": "app name", "limit": {"description": "max runs", "type": "integer", "minimum": 1,
                                     "maximum": MAX_RUNS_LISTED, "default": 50}})}),
    Route("runs/{id}", RunHandler, {"get": Op("A run record with its artifacts")}),
    Route("runs/{id}/events", RunEventsHandler, {"get": Op("Run events (SSE)", stream=True)}),
    Route("runs/{id}/artifacts/{path}", RunArtifactHandler, {
        "get": Op("A file of the run directory, under its own media type (HTML, SVG and unknown types as"
                  " attachments)", binary="*/*"),
    }),
    Route("runs/{id}/notebook", RunNotebookHandler, {
        "post": Op("Export the run as a notebook under the Jupyter root (agilab-runs/)",
                   response=NotebookCreated, status=201),
    }),
    Route("decision-sets/{id}/app", DesignAppHandler, {
        "post": Op("Turn a generated design's training / batch pipeline into a runtime app",
                   body=DesignAppBody, response=DesignAppCreated, status=201),
    }),
    Route("cluster", ClusterHandler, {"get": Op("Open Dask clusters and their workers")}),
]
