"""The Jupyter server extension's REST + SSE API under ``{base_url}agilab-lab/api/``."""

from __future__ import annotations

import importlib

from .base import API_PREFIX, NotFoundHandler, Route

# Each module exports ROUTES: the core's, the runtime's, the designer's and the Lab UI's.
ROUTE_MODULES = (
    "agilab_lab.server.core_handlers",
    "agilab_lab.server.runtime_handlers",
    "agilab_lab.server.designer_handlers",
    "agilab_lab.server.lab_handlers",
)


def all_routes() -> list[Route]:
    return [route for name in ROUTE_MODULES for route in importlib.import_module(name).ROUTES]


def handlers() -> list[tuple]:
    """Tornado (pattern, handler, kwargs) rules, relative to the server's base_url."""
    pairs: list[tuple] = [(route.pattern, route.handler, {"route": route}) for route in all_routes()]
    pairs.append((rf"/{API_PREFIX}/.*", NotFoundHandler))
    return pairs
