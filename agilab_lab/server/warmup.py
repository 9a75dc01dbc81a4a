"""One-time work done in a thread when the server starts, not on the event loop at a user's first request.

Without it the first ``openapi.json`` built the document on the event loop (20-40 ms) and the
first designer request loaded and validated the capability catalogue there (~70 ms): stalls of
every request in flight.
"""

from __future__ import annotations

import json
from typing import Any


def openapi_document(cache: dict[str, Any], base_url: str) -> tuple[str, str]:
    """The served OpenAPI body and its strong ETag for ``base_url``, built once into ``cache``."""
    import hashlib

    from . import all_routes
    from .openapi import build_openapi

    if base_url not in cache:
        body = json.dumps(build_openapi(all_routes(), base_url), default=str)
        cache.setdefault(base_url, (body, '"' + hashlib.sha256(body.encode()).hexdigest()[:32] + '"'))
    return cache[base_url]


def warm_up(extension_settings: dict[str, Any], base_url: str) -> None:
    """Build what the first requests would otherwise build on the event loop (blocking: run it in a thread)."""
    from ..agents.catalogue import default_catalogue

    openapi_document(extension_settings.setdefault("openapi", {}), base_url)
    default_catalogue()
