"""Handler base classes: authentication, one JSON error format, body parsing, SSE.

Handlers stay thin: parse the request, call the Python API (``self.lab``), serialise.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
from dataclasses import dataclass, field
from typing import Any, TypeVar

import tornado.web
from jupyter_server.base.handlers import APIHandler
from pydantic import BaseModel, ValidationError
from tornado.iostream import StreamClosedError

from ..core import Lab
from .bounds import MAX_EVENT_ID, BoundsError, bounded_int, load_json

log = logging.getLogger(__name__)
ModelT = TypeVar("ModelT", bound=BaseModel)

API_PREFIX = "agilab-lab/api"
GLOBAL_QUERY = {"token", "_xsrf", "no_track_activity"}  # Jupyter's own, valid on every route
STREAM_QUERY = {"after", "last_event_id", "follow"}
LENIENT_BODY_TYPES = {"application/json", "text/plain", "application/x-www-form-urlencoded"}


class ApiError(BoundsError):
    """An error the client caused (4xx) or a conflict, rendered as ``{"error": {...}}``;
    ``details`` join the error object (a conflict's ``current`` status)."""

    def __init__(self, status: int, code: str, message: str, **details: Any):
        super().__init__(status, code, message)
        self.details = details


@dataclass
class Op:
    """One operation of a route, as documented in the OpenAPI document."""

    summary: str
    body: type[BaseModel] | None = None
    response: type[BaseModel] | None = None
    status: int = 200
    stream: bool = False
    # name -> description (a string), or {"description": ..., "required"?: bool, **JSON Schema of the value}
    query: dict[str, str | dict[str, Any]] = field(default_factory=dict)
    binary: str | None = None  # media type of a non-JSON response


@dataclass
class Route:
    path: str  # relative to the API prefix, with {name} placeholders
    handler: type[tornado.web.RequestHandler]
    ops: dict[str, Op]

    @property
    def pattern(self) -> str:
        regex = self.path
        for name in _placeholders(self.path):
            part = "(?P<{0}>.+)" if name == "path" else "(?P<{0}>[^/]+)"
            regex = regex.replace("{" + name + "}", part.format(name))
        return f"/{API_PREFIX}/{regex}"


def _placeholders(path: str) -> list[str]:
    return [part[1:-1] for part in path.replace("/", " / ").split() if part.startswith("{")]


def validation_message(exc: ValidationError) -> str:
    """Field paths and reasons only: input values are never echoed (they may hold secrets)."""
    parts = []
    for error in exc.errors()[:10]:
        where = ".".join(str(p) for p in error["loc"]) or "body"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


class BaseAPIHandler(APIHandler):
    """Authenticated JSON handler with the project's error format."""

    route: Route | None = None

    def initialize(self, route: Route | None = None) -> None:
        self.route = route

    async def prepare(self) -> None:
        await super().prepare()
        self._check_nul()
        self._check_query()

    def _check_nul(self) -> None:
        """No NUL in a path or query value (the body's strings are checked by ``load_json``)."""
        values = [value.encode() for value in self.path_kwargs.values()]
        values += [value for values_ in self.request.query_arguments.values() for value in values_]
        if any(b"\x00" in value for value in values):
            raise ApiError(400, "nul_character", "paths and query arguments must not contain NUL (%00)")

    def _check_query(self) -> None:
        """A query argument the route does not document is a 400, like an unknown body field."""
        op = self.route.ops.get((self.request.method or "").lower()) if self.route else None
        if op is None:
            return
        allowed = set(op.query) | GLOBAL_QUERY | (STREAM_QUERY if op.stream else set())
        # JupyterLab's ServerConnection appends a bare timestamp (`?1733212345678`) to every
        # uncached GET: a cache-buster, not an argument.
        given = {name for name, values in self.request.query_arguments.items()
                 if not (name.isdigit() and values in ([b""], []))}
        if given - allowed:
            names = ", ".join(sorted(set(op.query) | (STREAM_QUERY if op.stream else set()))) or "none"
            raise ApiError(400, "unknown_query", f"unknown query argument; this route takes: {names}")

    @property
    def lab(self) -> Lab:
        base: Lab = self.settings["agilab_lab"]["lab"]
        return base.for_owner(self.owner(base))

    def owner(self, base: Lab) -> str:
        """Whose rows a request sees: the Hub user under JupyterHub, else the server's one owner.

        A plain Jupyter server mints a fresh random user for every token request that carries
        no cookie, so its usernames cannot scope data; a Hub identity is stable.
        """
        if os.environ.get("JUPYTERHUB_USER"):
            return getattr(self.current_user, "username", None) or os.environ["JUPYTERHUB_USER"]
        return base.owner

    @property
    def max_body_bytes(self) -> int:
        return self.settings["agilab_lab"]["lab"].settings.max_body_bytes

    def parse_body(self, model: type[ModelT]) -> ModelT:
        """Validate the JSON body against ``model`` or raise a 4xx ``ApiError``."""
        self._check_content_type()
        data = load_json(self.request.body or b"", self.max_body_bytes)
        if not isinstance(data, dict):
            raise ApiError(400, "bad_body", "request body must be a JSON object")
        try:
            return model.model_validate(data)
        except ValidationError as exc:
            raise ApiError(422, "invalid_body", validation_message(exc)) from None

    def bounded_query(self, name: str, default: int, low: int, high: int) -> int:
        """An integer query argument within ``[low, high]``, or a 400 ``bad_<name>``."""
        raw = self.get_query_argument(name, None)
        return default if raw is None else bounded_int(raw, name, low, high)

    def get_login_url(self) -> str:
        """No login page for the API: a request without valid credentials is a 401 JSON error."""
        raise tornado.web.HTTPError(401, "authentication required: send 'Authorization: token <token>'")

    def check_xsrf_cookie(self) -> None:
        # No credentials at all: say so before any XSRF complaint. (Tornado calls this once before
        # ``prepare`` has resolved the user; Jupyter's check then waits for the second call.)
        if getattr(self, "_jupyter_current_user", True) is None:
            raise tornado.web.HTTPError(401, "authentication required: send 'Authorization: token <token>'")
        super().check_xsrf_cookie()

    def _check_content_type(self) -> None:
        """A body is JSON. Clients that send none, or the defaults of curl -d, fetch and Tornado, are read
        as JSON too; any other declared type (a form upload, XML, ...) is a 415."""
        kind = self.request.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if kind and kind not in LENIENT_BODY_TYPES and not kind.endswith("+json"):
            raise ApiError(415, "unsupported_media_type", "send the body as application/json")

    def finish_json(self, data: Any, status: int = 200) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(data, default=str))

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        exc = kwargs.get("exc_info", (None, None, None))[1]
        if isinstance(exc, BoundsError):
            status_code, code, message = exc.status, exc.code, exc.message
        elif isinstance(exc, tornado.web.HTTPError):
            code = {401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed"}.get(status_code, "http_error")
            message = exc.log_message or self._reason or "request failed"
            if exc.args and "%" in message:
                message = message % exc.args
        else:
            code, message = "internal", "internal server error (see the server log)"
        self.set_status(status_code)
        self.set_header("Content-Type", "application/json")
        if status_code == 401:
            self.set_header("WWW-Authenticate", 'token realm="agilab-lab"')
        details = getattr(exc, "details", None) or {}
        self.finish(json.dumps({"error": {**details, "code": code, "message": message}}))

    def _handle_request_exception(self, e: BaseException) -> None:
        if isinstance(e, BoundsError):
            self.send_error(e.status, exc_info=(type(e), e, e.__traceback__))
            return
        super()._handle_request_exception(e)


class NotFoundHandler(BaseAPIHandler):
    """Any path under the API prefix that no route matched."""

    @tornado.web.authenticated
    def get(self):
        raise ApiError(404, "not_found", f"no API route {self.request.path}")

    post = put = delete = patch = get


class EventStreamHandler(BaseAPIHandler):
    """Server-sent events over the event log, with ``Last-Event-ID`` resume and heartbeats.

    Subclasses implement :meth:`topic` (checking that the resource exists for this user).
    ``?follow=0`` sends the whole backlog, page by page, and closes (handy for curl and tests).
    The resume point is the ``Last-Event-ID`` header, else the ``after`` (or ``last_event_id``)
    query argument: an integer from 0 to 2**53, anything else is a 400.
    """

    poll_s = 0.25
    heartbeat_s = 15.0
    page_size = 500
    ended = False  # set once the topic can have no further events: the stream closes

    def topic(self, **path_args: str) -> str:
        """The resource's event topic (blocking: it runs in a thread)."""
        raise NotImplementedError

    def is_terminal(self, kind: str, payload: dict[str, Any]) -> bool:
        """Whether an event is its topic's last (e.g. a run's final status); none by default."""
        return False

    @tornado.web.authenticated
    async def get(self, **path_args: str) -> None:
        last_id = self._last_event_id()
        follow = self._follow()
        topic = await asyncio.to_thread(self.topic, **path_args)  # a database read: off the event loop
        self.set_header("Content-Type", "text/event-stream")
        self.set_header("Cache-Control", "no-cache")
        self.set_header("X-Accel-Buffering", "no")
        idle = 0.0
        try:
            while True:
                last_id, sent = await self._send_page(topic, last_id)
                if sent == self.page_size:
                    continue  # more backlog: page on without waiting
                if self.ended:
                    break
                if sent:
                    idle = 0.0
                if not follow:
                    break
                if idle >= self.heartbeat_s:
                    self.write(": heartbeat\n\n")
                    await self.flush()
                    idle = 0.0
                await asyncio.sleep(self.poll_s)
                idle += self.poll_s
        except StreamClosedError:
            return
        self.finish(set_content_type="text/event-stream")

    async def _send_page(self, topic: str, last_id: int) -> tuple[int, int]:
        """Write the next page of events after ``last_id``; return the new last id and the count."""
        lab = self.lab
        events = await asyncio.to_thread(lab.events.since, topic, last_id, owner=lab.owner, limit=self.page_size)
        for event in events:
            data = {"id": event.id, "kind": event.kind, "payload": event.payload, "ts": event.created_at.isoformat()}
            self.write(f"id: {event.id}\nevent: {event.kind}\ndata: {json.dumps(data, default=str)}\n\n")
            last_id = event.id
            self.ended = self.ended or self.is_terminal(event.kind, event.payload)
        if events:
            await self.flush()
        return last_id, len(events)

    def _follow(self) -> bool:
        raw = self.get_query_argument("follow", "1")
        if raw not in ("0", "1"):
            raise ApiError(400, "bad_follow", "follow must be 0 or 1")
        return raw == "1"

    def _last_event_id(self) -> int:
        raw = self.request.headers.get("Last-Event-ID")
        if raw is None:
            raw = self.get_query_argument("after", None) or self.get_query_argument("last_event_id", "0")
        return bounded_int(raw, "last_event_id", 0, MAX_EVENT_ID)
