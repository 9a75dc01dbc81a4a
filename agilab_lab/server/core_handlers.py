"""Health and the OpenAPI document."""

from __future__ import annotations

import asyncio
import json

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
        health = Health(
            status="ok",
            version=__version__,
            database=DatabaseInfo(kind=lab.store.kind, revision=lab.store.revision),
            queue=await asyncio.to_thread(lab.queue.depth),
            cluster=describe_cluster(lab.settings),
        )
        self.finish_json(health.model_dump())


class OpenAPIHandler(BaseAPIHandler):
    """The document is built once per server (routes do not change while it runs), then served."""

    @tornado.web.authenticated
    def get(self):
        from . import all_routes
        from .openapi import build_openapi

        cache = self.settings["agilab_lab"].setdefault("openapi", {})
        if self.base_url not in cache:
            cache[self.base_url] = json.dumps(build_openapi(all_routes(), self.base_url), default=str)
        self.set_header("Content-Type", "application/json")
        self.finish(cache[self.base_url])


ROUTES = [
    Route("health", HealthHandler, {"get": Op("Server health: version, database, queue, cluster", response=Health)}),
    Route("openapi.json", OpenAPIHandler, {"get": Op("This OpenAPI 3.1 document")}),
]
