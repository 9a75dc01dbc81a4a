"""The OpenAPI 3.1 document, built from the routes every handler module declares."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from .._version import __version__
from .base import API_PREFIX, Route, _placeholders
from .bounds import MAX_EVENT_ID, MAX_SAFE_INT, NO_NUL

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        }
    },
}


EVENT_ID = {"type": "integer", "minimum": 0, "maximum": MAX_EVENT_ID}
STREAM_PARAMETERS = [
    {"name": "Last-Event-ID", "in": "header", "required": False, "schema": EVENT_ID,
     "description": "resume after this event id (wins over the query arguments)"},
    {"name": "after", "in": "query", "required": False, "schema": EVENT_ID, "description": "resume after this event id"},
    {"name": "last_event_id", "in": "query", "required": False, "schema": EVENT_ID, "description": "same as after"},
    {"name": "follow", "in": "query", "required": False, "schema": {"type": "string", "enum": ["0", "1"]},
     "description": "0: send the whole backlog and close; 1 (default): keep streaming with heartbeats"},
]
_ERROR = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def _schema_ref(model: type[BaseModel], components: dict[str, Any]) -> dict[str, str]:
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(schema.pop("$defs", {}))
    components[model.__name__] = schema
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _query_parameter(name: str, spec: str | dict[str, Any]) -> dict[str, Any]:
    if isinstance(spec, str):
        return {"name": name, "in": "query", "required": False, "schema": {"type": "string"}, "description": spec}
    schema = {k: v for k, v in spec.items() if k not in ("description", "required")}
    return {"name": name, "in": "query", "required": bool(spec.get("required")), "schema": schema,
            "description": spec.get("description", "")}


def _operation(route: Route, method: str, op, components: dict[str, Any]) -> dict[str, Any]:
    operation: dict[str, Any] = {
        "summary": op.summary,
        "operationId": f"{method}_{route.path}".replace("/", "_").replace("{", "").replace("}", "").replace("-", "_"),
        "parameters": [
            {"name": name, "in": "path", "required": True, "schema": {"type": "string"}}
            for name in _placeholders(route.path)
        ]
        + [_query_parameter(name, spec) for name, spec in op.query.items()],
        "responses": {
            "401": {"description": "no or invalid credentials", **_ERROR},
            "4XX": {"description": "client error", **_ERROR},
        },
    }
    if op.stream:
        operation["parameters"] += STREAM_PARAMETERS
    state_bounds(operation["parameters"])
    if op.body is not None:
        operation["responses"]["413"] = {"description": "body larger than the server's max_body_bytes", **_ERROR}
        operation["responses"]["415"] = {"description": "body declared as something other than JSON", **_ERROR}
    if op.body is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": _schema_ref(op.body, components)}},
        }
    if op.stream:
        content = {"text/event-stream": {"schema": {"type": "string"}}}
    elif op.binary:
        content = {op.binary: {"schema": {"type": "string", "format": "binary"}}}
    elif op.response is not None:
        content = {"application/json": {"schema": _schema_ref(op.response, components)}}
    else:
        content = {"application/json": {"schema": {"type": "object"}}}
    operation["responses"][str(op.status)] = {"description": op.summary, "content": content}
    return operation


def state_bounds(schema: Any) -> None:
    """State the body parser's rules in every schema (see bounds.py): numbers within +-2**53, no NUL
    in strings or object keys."""
    if isinstance(schema, list):
        for item in schema:
            state_bounds(item)
        return
    if not isinstance(schema, dict):
        return
    kind = schema.get("type")
    if kind in ("number", "integer"):
        if "minimum" not in schema and "exclusiveMinimum" not in schema:
            schema["minimum"] = -MAX_SAFE_INT
        if "maximum" not in schema and "exclusiveMaximum" not in schema:
            schema["maximum"] = MAX_SAFE_INT
    elif kind == "string" and not {"pattern", "enum", "const", "format"} & set(schema):
        schema["pattern"] = NO_NUL
    elif kind == "object" and schema.get("additionalProperties", True) is not False:
        schema.setdefault("propertyNames", {}).setdefault("pattern", NO_NUL)
    for value in schema.values():
        state_bounds(value)


def build_openapi(routes: list[Route], base_url: str = "/") -> dict[str, Any]:
    components: dict[str, Any] = {"Error": ERROR_SCHEMA}
    paths: dict[str, Any] = {}
    for route in routes:
        item = paths.setdefault(f"/{API_PREFIX}/{route.path}", {})
        for method, op in route.ops.items():
            item[method] = _operation(route, method, op, components)
    state_bounds(components)
    return {
        "openapi": "3.1.0",
        "info": {"title": "agilab-lab", "version": __version__,
                 "description": "Runtime and designer API of the agilab-lab Jupyter server extension."},
        "servers": [{"url": base_url.rstrip("/") or "/"}],
        "security": [{"token": []}],
        "paths": paths,
        "components": {
            "schemas": components,
            "securitySchemes": {"token": {"type": "apiKey", "in": "header", "name": "Authorization"}},
        },
    }
