"""Routes the Lab UI needs beyond the runtime's and designer's own: table previews of run
artifacts and unpacking a generated version into the Jupyter root (for Lab's file browser).

Handlers stay thin: :mod:`agilab_lab.runtime.preview` and :mod:`agilab_lab.repogen.unpack` do the work.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import tornado.web
from pydantic import BaseModel

from ..agents.designer import Designer
from ..repogen.unpack import UnpackRefused, unpack_version
from ..runtime import AGI
from ..runtime.preview import MAX_PREVIEW_ROWS, preview_table
from ..runtime.records import safe_artifact_path
from .base import ApiError, BaseAPIHandler, Op, Route
from .designer_handlers import designer_errors
from .runtime_handlers import runtime_errors


class TablePreview(BaseModel):
    path: str
    columns: list[dict[str, str]]
    rows: list[list]
    total_rows: int
    truncated: bool


class Unpacked(BaseModel):
    path: str  # relative to the Jupyter root, as Lab's file browser names it
    files: int
    created: bool
    report: str | None


class PreviewHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self, run_id: str, path: str):
        limit = self.bounded_query("limit", 50, 1, MAX_PREVIEW_ROWS)

        def read():
            AGI(self.lab, allow_app_paths=False).get_run(run_id)  # 404 for a run this user does not own
            return {"path": path, **preview_table(safe_artifact_path(self.lab.home, run_id, path), limit)}

        with runtime_errors():
            self.finish_json(await asyncio.to_thread(read))


class UnpackHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def post(self, id: str):
        root = Path(self.settings.get("server_root_dir") or ".").expanduser()

        def unpack():
            designer = Designer(self.lab)
            ds = designer.get_decision_set(id)
            if ds.status != "generated" or not ds.zip_path:
                raise ApiError(409, "not_generated", f"decision set is {ds.status}; nothing to unpack yet")
            project = designer.get_project(ds.project_id)
            return unpack_version(Path(ds.zip_path), root, project.name, project.id, ds.version)

        with designer_errors():
            try:
                self.finish_json(await asyncio.to_thread(unpack))
            except UnpackRefused as exc:
                raise ApiError(409, "unpack_refused", str(exc)) from None


ROUTES = [
    Route("runs/{run_id}/preview/{path}", PreviewHandler, {
        "get": Op("The first rows of a parquet or CSV artifact as JSON", response=TablePreview,
                  query={"limit": {"description": "rows to return", "type": "integer", "minimum": 1,
                                   "maximum": MAX_PREVIEW_ROWS, "default": 50}}),
    }),
    Route("decision-sets/{id}/unpack", UnpackHandler, {
        "post": Op("Unpack the generated repository under agilab-designs/ in the Jupyter root",
                   response=Unpacked),
    }),
]
