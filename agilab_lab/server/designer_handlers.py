"""REST routes of the designer: projects, decision sets, approval, generation, zip, diff, SSE.

Handlers validate, call :class:`agilab_lab.agents.designer.Designer` in a thread and serialise;
the designer owns every rule (a refused transition is a 409 naming the ``current`` status).
Graph runs happen in the job worker (``design`` jobs), never in a request. LangGraph is not
imported here: the designer imports it only when a graph runs.
"""

from __future__ import annotations

import asyncio
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import tornado.web
from pydantic import BaseModel, ConfigDict, Field, model_validator

from ..agents.designer import Decided, Designer, DesignerError
from ..agents.diffing import diff_decision_sets
from ..agents.recorder import project_topic
from ..agents.types import Constraints
from ..agents.views import decision_set_view, project_view
from ..repogen.context import slugify
from .base import ApiError, BaseAPIHandler, EventStreamHandler, Op, Route
from .bounds import MAX_SAFE_INT, NOT_BLANK, exactly_one_of, optional_in_schema
from .files import FileSender


class ProjectBody(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=4000)


class ConstraintsBody(BaseModel):
    """Requirements text or typed constraints (exactly one)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra=exactly_one_of("text", "constraints"))

    text: str = Field(default=None, max_length=100_000, pattern=NOT_BLANK,  # type: ignore[assignment]
                      json_schema_extra=optional_in_schema)
    constraints: Constraints = Field(default=None, json_schema_extra=optional_in_schema)  # type: ignore[assignment]
    auto_approve: bool = False

    @model_validator(mode="after")
    def _one_of(self) -> ConstraintsBody:
        if (self.text is None) == (self.constraints is None):
            raise ValueError("give exactly one of 'text' or 'constraints'")
        return self


class ApproveBody(BaseModel):
    """The reviewer's decision; ``version`` is the decision set's ``lock_version`` (409 if stale)."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject", "revise"]
    comment: str = Field(default="", max_length=4000)
    constraints: Constraints | None = None  # only the fields given are changed
    version: int | None = Field(default=None, ge=0, le=MAX_SAFE_INT)


class AnswerBody(BaseModel):
    """Answers to the clarifying questions of a decision set that is ``awaiting_input``."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(default="", max_length=20_000)
    constraints: Constraints | None = None  # only the fields given are changed
    version: int | None = Field(default=None, ge=0, le=MAX_SAFE_INT)


class Accepted(BaseModel):
    job_id: str
    decision_set_id: str


def answer_of(body: ApproveBody | AnswerBody) -> dict[str, Any]:
    """The gate's answer as the job gets it: constraints carry only the fields the client sent."""
    answer = body.model_dump(mode="json", exclude={"version", "constraints"})
    given = body.constraints
    answer["constraints"] = given.model_dump(mode="json", exclude_unset=True) if given is not None else None
    return answer


@contextmanager
def designer_errors():
    """Designer refusals become the API's JSON errors (a conflict names the ``current`` status)."""
    try:
        yield
    except DesignerError as exc:
        raise ApiError(exc.status, exc.code, exc.message, **exc.details) from None


class DesignerHandler(BaseAPIHandler):
    @property
    def designer(self) -> Designer:
        return Designer(self.lab)

    async def call(self, func, *args, **kwargs):
        with designer_errors():
            return await asyncio.to_thread(func, *args, **kwargs)

    def accepted(self, decided: Decided) -> None:
        self.finish_json(Accepted(job_id=decided.job_id, decision_set_id=decided.decision_set_id).model_dump(),
                         status=202)


class ProjectsHandler(DesignerHandler):
    @tornado.web.authenticated
    async def get(self):
        projects = await self.call(self.designer.list_projects)
        self.finish_json({"projects": [project_view(p) for p in projects]})

    @tornado.web.authenticated
    async def post(self):
        body = self.parse_body(ProjectBody)
        project = await self.call(self.designer.create_project, body.name, body.description)
        self.finish_json(project_view(project), status=201)


class ProjectHandler(DesignerHandler):
    @tornado.web.authenticated
    async def get(self, id: str):
        def load():
            project = self.designer.get_project(id)
            sets = self.designer.list_decision_sets(id)
            return {**project_view(project), "decision_sets": [decision_set_view(d, full=False) for d in sets]}

        self.finish_json(await self.call(load))


class ConstraintsHandler(DesignerHandler):
    @tornado.web.authenticated
    async def post(self, id: str):
        body = self.parse_body(ConstraintsBody)
        given = body.constraints.model_dump(mode="json") if body.constraints else None
        ds, job_id = await self.call(self.designer.start, id, text=body.text or "", constraints=given,
                                     auto_approve=body.auto_approve)
        self.finish_json(Accepted(job_id=job_id, decision_set_id=ds.id).model_dump(), status=202)


class DecisionSetsHandler(DesignerHandler):
    @tornado.web.authenticated
    async def get(self, id: str):
        sets = await self.call(self.designer.list_decision_sets, id)
        self.finish_json({"decision_sets": [decision_set_view(d, full=False) for d in sets]})


class DecisionSetHandler(DesignerHandler):
    @tornado.web.authenticated
    async def get(self, id: str):
        self.finish_json(decision_set_view(await self.call(self.designer.get_decision_set, id)))


class ApproveHandler(DesignerHandler):
    @tornado.web.authenticated
    async def post(self, id: str):
        body = self.parse_body(ApproveBody)
        answer = {**answer_of(body), "actor": self.lab.owner}
        self.accepted(await self.call(self.designer.decide, id, answer, lock_version=body.version))


class AnswerHandler(DesignerHandler):
    @tornado.web.authenticated
    async def post(self, id: str):
        body = self.parse_body(AnswerBody)
        self.accepted(await self.call(self.designer.answer_questions, id, answer_of(body), lock_version=body.version))


class GenerateHandler(DesignerHandler):
    @tornado.web.authenticated
    async def post(self, id: str):
        self.accepted(await self.call(self.designer.request_generation, id))


class ZipHandler(FileSender, DesignerHandler):
    @tornado.web.authenticated
    async def get(self, id: str):
        ds = await self.call(self.designer.get_decision_set, id)
        path = Path(ds.zip_path) if ds.zip_path else None
        if path is None or not path.is_file():
            raise ApiError(404, "not_found", f"decision set {id} has no generated zip")
        project = await self.call(self.designer.get_project, ds.project_id)
        # A readable name: the project's, then the version (the project id is in the zip itself).
        await self.send_file(path, f"{slugify(project.name, max_len=40)}-v{ds.version}.zip")


class DiffHandler(DesignerHandler):
    @tornado.web.authenticated
    async def get(self, id: str):
        against = self.get_query_argument("against", "", strip=False)
        if not against:
            raise ApiError(400, "missing_against", "give ?against=<decision set id>")

        def compare():
            designer = self.designer
            return diff_decision_sets(designer.get_decision_set(against), designer.get_decision_set(id),
                                      self.lab.home)

        self.finish_json(await self.call(compare))


class ProjectEventsHandler(EventStreamHandler):
    def topic(self, id: str) -> str:
        with designer_errors():
            Designer(self.lab).get_project(id)
        return project_topic(id)


ROUTES = [
    Route("projects", ProjectsHandler, {
        "get": Op("List the user's designer projects"),
        "post": Op("Create a designer project", body=ProjectBody, status=201)}),
    Route("projects/{id}", ProjectHandler, {"get": Op("A project with its decision-set versions")}),
    Route("projects/{id}/constraints", ConstraintsHandler, {
        "post": Op("Start a new design version from requirements text or constraints", body=ConstraintsBody,
                   response=Accepted, status=202)}),
    Route("projects/{id}/decision-sets", DecisionSetsHandler, {"get": Op("The project's decision sets")}),
    Route("projects/{id}/events", ProjectEventsHandler, {
        "get": Op("Reason cards and status changes (SSE, Last-Event-ID resume, heartbeats)", stream=True)}),
    Route("decision-sets/{id}", DecisionSetHandler, {"get": Op("A decision set: constraints, plan, critics, policy")}),
    Route("decision-sets/{id}/approve", ApproveHandler, {
        "post": Op("Approve, reject or revise a design waiting for approval", body=ApproveBody,
                   response=Accepted, status=202)}),
    Route("decision-sets/{id}/answer", AnswerHandler, {
        "post": Op("Answer the clarifying questions of a design waiting for input", body=AnswerBody,
                   response=Accepted, status=202)}),
    Route("decision-sets/{id}/generate", GenerateHandler, {
        "post": Op("Generate the repository again for an approved design", response=Accepted, status=202)}),
    Route("decision-sets/{id}/zip", ZipHandler, {"get": Op("The generated repository", binary="application/zip")}),
    Route("decision-sets/{id}/diff", DiffHandler, {
        "get": Op("Plan changes, cost delta and file diffs against another decision set",
                  query={"against": {"description": "decision set id to compare with", "required": True,
                                     "type": "string", "minLength": 1}})}),
]
