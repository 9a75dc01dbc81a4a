"""Health and the OpenAPI document."""

from __future__ import annotations

import tornado.web
from pydantic import BaseModel

from .._version import __version__
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


def cluster_state(settings) -> dict:
    """What the runtime reports about its cluster, without starting one."""
    try:
        from ..runtime.cluster import describe_cluster
    except ImportError:
        target = "ssh" if settings.ssh_hosts else ("scheduler" if settings.scheduler_address else "local")
        return {"target": target, "address": settings.scheduler_address or None, "running": False}
    return describe_cluster(settings)


class HealthHandler(BaseAPIHandler):
    @tornado.web.authenticated
    async def get(self):
        lab = self.lab
        health = Health(
            status="ok",
            version=__version__,
            database=DatabaseInfo(kind=lab.store.kind, revision=lab.store.revision),
            queue=await self._in_thread(lab.queue.depth),
            cluster=cluster_state(lab.settings),
        )
        self.finish_json(health.model_dump())

    async def _in_thread(self, fn):
        import asyncio

        return await asyncio.get_running_loop().run_in_executor(None, fn)


class OpenAPIHandler(BaseAPIHandler):
    @tornado.web.authenticated
    def get(self):
        from . import all_routes
        from .openapi import build_openapi

        self.finish_json(build_openapi(all_routes(), self.base_url))


ROUTES = [
    Route("health", HealthHandler, {"get": Op("Server health: version, database, queue, cluster", response=Health)}),
    Route("openapi.json", OpenAPIHandler, {"get": Op("This OpenAPI 3.1 document")}),
]
