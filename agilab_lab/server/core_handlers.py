"""Health and the OpenAPI document."""

from __future__ import annotations

import asyncio

import tornado.web
from pydantic import BaseModel

from .._version import __version__
from ..runtime.cluster import describe_cluster
from .base import BaseAPIHandler, Op, Route


class DatabaseInfo(BaseModel):
    kind: str
    revision: str | None


class Health(BaseModel):
    status: str
    version: str
    database: DatabaseInfo
    queue: dict[str, int]
    cluster: dict


class HealthHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self):
        lab = self.lab

        def health() -> Health:  # a database query and a look at the published clusters: in a thread
            return Health(
                status="ok",
                version=__version__,
                database=DatabaseInfo(kind=lab.store.kind, revision=lab.store.revision),
                queue=lab.queue.depth(),
                cluster=describe_cluster(lab.settings),
            )

        self.finish_json((await asyncio.to_thread(health)).model_dump())


class OpenAPIHandler(BaseAPIHandler):
    """The document is built once per server (routes do not change while it runs), then served with
    a strong ETag: a client that sends it back in ``If-None-Match`` gets a 304 without a body."""

    @tornado.web.authenticated
    def get(self):
        body, self._etag = self._document()
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-cache")  # revalidate: cheap with the ETag
        self.finish(body)

    def compute_etag(self) -> str | None:
        return getattr(self, "_etag", None)  # Tornado's default hashes the whole body on every request

    def _document(self) -> tuple[str, str]:
        from .warmup import openapi_document

        return openapi_document(self.settings["agilab_lab"].setdefault("openapi", {}), self.base_url)


ROUTES = [
    Route("health", HealthHandler, {"get": Op("Server health: version, database, queue, cluster", response=Health)}),
    Route("openapi.json", OpenAPIHandler, {"get": Op("This OpenAPI 3.1 document")}),
]
