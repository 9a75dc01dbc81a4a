"""The designer service: projects, versioned decision sets, and every rule about their lifecycle.

One decision set is one LangGraph thread (``thread_id`` = decision-set id). Starting a design
creates a new version of the project's decision set (``parent_id`` = the previous one); a
revision at the approval gate ends its version and starts the next. The ``Designer`` decides
which transition a request or a job asks for; :mod:`.lifecycle` performs it atomically (a
conditional UPDATE: of two concurrent decisions exactly one wins, the other gets
:class:`Conflict` with the current status); :mod:`.driver` runs the graph, whose nodes only
compute. Work that a job does is enqueued in the same transaction as the transition that asks
for it, keyed by that transition, and the job's key owns the transient status it leads to, so
a retried job continues its own transition. LangGraph is imported only when a graph runs.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import Lab
from ..redaction import redact, redact_tree
from ..store.models import Approval, DecisionSet, Project, new_id
from . import lifecycle
from .catalogue import Catalogue, default_catalogue
from .driver import drive, graph_input
from .errors import Conflict, DesignerError, InvalidAnswer, NotFound, StaleVersion
from .lifecycle import Status
from .recorder import project_topic
from .state import ApprovalDecision, ClarifyAnswer
from .types import Constraints, ReasonCard

__all__ = ["Conflict", "Decided", "Designer", "DesignerError", "NotFound", "StaleVersion", "JOB_KIND"]

Progress = Callable[[str], None]
JOB_KIND = "design"  # registered in agents.jobs


@dataclass(frozen=True)
class Decided:
    """What a transition asked of a job: the key that owns the row now, and the queued job."""

    decision_set_id: str
    status: str
    job_key: str
    job_id: str | None = None
    child_id: str | None = None
    answer: dict | None = None


def reached_gate(ds: DecisionSet) -> bool:
    """The design passed its policy (a failure after that may be decided again)."""
    return bool((ds.policy or {}).get("passed")) and ds.infeasible is None


def approved(ds: DecisionSet) -> bool:
    return (ds.approval or {}).get("decision") == "approve"


def _valid(model: type[BaseModel], payload: dict[str, Any]) -> dict[str, Any]:
    try:
        return model.model_validate(payload).model_dump(mode="json")  # free text comes back redacted
    except ValidationError as exc:
        raise InvalidAnswer(f"invalid answer: {_short(exc)}") from exc


class Designer:
    """Designer operations for one lab owner."""

    def __init__(self, lab: Lab, *, provider: Any = None, catalogue: Catalogue | None = None,
                 generate: Callable[..., dict] | None = None, progress: Progress | None = None,
                 on_card: Callable[[ReasonCard], None] | None = None) -> None:
        self.lab, self._provider, self.generate = lab, provider, generate
        self.catalogue = catalogue or default_catalogue()
        self.progress, self.on_card = progress, on_card

    @property
    def provider(self) -> Any:
        """The LLM provider, resolved from the settings on first use (requests never need it)."""
        if self._provider is None:
            from .providers import get_provider

            self._provider = get_provider(self.lab.settings)
        return self._provider

    # -- projects -------------------------------------------------------------------------
    def create_project(self, name: str, description: str = "") -> Project:
        name, description = redact(name), redact(description)
        with self.lab.store.session() as session:
            project = Project(owner=self.lab.owner, name=name, description=description)
            session.add(project)
            session.flush()
            self.lab.events.append(self.lab.owner, project_topic(project.id), "project.created",
                                   {"name": name}, session=session)
        return project

    def list_projects(self) -> list[Project]:
        with self.lab.store.read() as session:
            query = select(Project).where(Project.owner == self.lab.owner).order_by(Project.created_at.desc())
            return list(session.scalars(query))

    def get_project(self, project_id: str) -> Project:
        with self.lab.store.read() as session:
            project = session.get(Project, project_id)
            if project is None or project.owner != self.lab.owner:
                raise NotFound(f"no project {project_id!r}")
            return project

    # -- decision sets: reads --------------------------------------------------------------
    def list_decision_sets(self, project_id: str) -> list[DecisionSet]:
        self.get_project(project_id)
        with self.lab.store.read() as session:
            query = select(DecisionSet).where(DecisionSet.project_id == project_id).order_by(DecisionSet.version)
            return list(session.scalars(query))

    def get_decision_set(self, decision_set_id: str) -> DecisionSet:
        with self.lab.store.read() as session:
            return self._own(session, decision_set_id)

    def _own(self, session: Session, decision_set_id: str) -> DecisionSet:
        ds = session.get(DecisionSet, decision_set_id)
        if ds is None or ds.owner != self.lab.owner:
            raise NotFound(f"no decision set {decision_set_id!r}")
        return ds

    # -- starting a version -----------------------------------------------------------------
    def new_decision_set(self, project_id: str, *, text: str = "", constraints: dict | None = None,
                         auto_approve: bool = False, out_dir: str | None = None) -> DecisionSet:
        """Create the next (queued) version of ``project_id``'s design; nothing runs it yet."""
        with self.lab.store.session() as session:
            return self._create(session, project_id, text=text, constraints=constraints,
                                auto_approve=auto_approve, out_dir=out_dir)[0]

    def start(self, project_id: str, *, text: str = "", constraints: dict | None = None,
              auto_approve: bool = False) -> tuple[DecisionSet, str]:
        """Create the next version and queue its run job (one transaction); returns (row, job id)."""
        with self.lab.store.session() as session:
            return self._create(session, project_id, text=text, constraints=constraints,
                                auto_approve=auto_approve, enqueue=True)

    def design(self, project_id: str, *, text: str = "", constraints: dict | None = None,
               auto_approve: bool = False, out_dir: str | None = None) -> DecisionSet:
        """Create the next version and run it until it settles (the CLI path)."""
        ds = self.new_decision_set(project_id, text=text, constraints=constraints,
                                   auto_approve=auto_approve, out_dir=out_dir)
        return self.run(ds.id)

    def _create(self, session: Session, project_id: str, *, text: str, constraints: dict | None,
                auto_approve: bool = False, out_dir: str | None = None, revision_of: str | None = None,
                revision_comment: str = "", enqueue: bool = False) -> tuple[DecisionSet, str | None]:
        text = redact(text)  # the original never reaches the row, the checkpoint or an event
        if not text.strip() and constraints is None:
            raise DesignerError("give requirements text or constraints")
        if constraints is not None:
            try:
                constraints = Constraints.model_validate(redact_tree(constraints)).model_dump(mode="json")
            except ValidationError as exc:
                raise DesignerError(f"invalid constraints: {_short(exc)}") from exc
        project = session.get(Project, project_id)
        if project is None or project.owner != self.lab.owner:
            raise NotFound(f"no project {project_id!r}")
        latest = session.scalar(select(DecisionSet).where(DecisionSet.project_id == project_id)
                                .order_by(DecisionSet.version.desc()).limit(1))
        ds_id = new_id()
        key = f"design:{ds_id}:run" if enqueue else None
        ds = DecisionSet(id=ds_id, owner=self.lab.owner, project_id=project_id, parent_id=latest.id if latest else None,
                         version=(latest.version + 1) if latest else 1, status=Status.QUEUED.value,
                         requirements_text=text, constraints=constraints or {}, auto_approve=auto_approve,
                         out_dir=out_dir, constraints_given=constraints is not None, revision_of=revision_of,
                         revision_comment=redact(revision_comment), job_key=key)
        session.add(ds)
        session.flush()
        self.lab.events.append(self.lab.owner, project_topic(project_id), "decision_set.created",
                               {"decision_set_id": ds.id, "version": ds.version, "parent_id": ds.parent_id},
                               session=session)
        job_id = self._enqueue(session, ds.id, key, {"action": "run"}) if enqueue else None
        return ds, job_id

    def _enqueue(self, session: Session, ds_id: str, key: str, payload: dict[str, Any]) -> str:
        job = self.lab.queue.enqueue(JOB_KIND, {"decision_set_id": ds_id, **payload}, owner=self.lab.owner,
                                     key=key, session=session)
        return job.id

    # -- transitions a person asks for ----------------------------------------------------
    def decide(self, decision_set_id: str, payload: dict[str, Any], *, lock_version: int | None = None,
               job_key: str | None = None, enqueue: bool = True) -> Decided:
        """An approval decision, as one atomic transition: approve -> generating, reject/revise ->
        rejected (revise also creates the next version). Concurrent decisions: one wins, the
        others get :class:`Conflict` with the current status. Accepted at the gate, and after a
        failure past the gate (a generation that died can be approved again)."""
        with self.lab.store.session() as session:
            ds = self._own(session, decision_set_id)
            if ds.status not in lifecycle.DECIDABLE or (ds.status == Status.FAILED and not reached_gate(ds)):
                raise Conflict(f"decision set is {ds.status}; nothing waits for an approval",
                               current=ds.status, lock_version=ds.lock_version)
            decision = _valid(ApprovalDecision, payload)
            key = self._check_version(ds, lock_version, job_key, "decide")
            to = Status.GENERATING if decision["decision"] == "approve" else Status.REJECTED
            lifecycle.transition(self.lab, session, ds.id, to, frm=ds.status, lock_version=ds.lock_version,
                                 new_job=key, values={"approval": decision, "waiting_for": None, "error": None},
                                 event={"approval": decision["decision"]})
            session.add(Approval(owner=self.lab.owner, decision_set_id=ds.id, decision=decision["decision"],
                                 comment=decision["comment"], constraints=decision.get("constraints")))
            job_id = self._enqueue(session, ds.id, key, {"action": "resume"}) if enqueue else None
            child = self._revision(session, ds, decision, enqueue) if decision["decision"] == "revise" else None
        return Decided(ds.id, to.value, key, job_id, child.id if child else None)

    def answer_questions(self, decision_set_id: str, payload: dict[str, Any], *, lock_version: int | None = None,
                         enqueue: bool = True) -> Decided:
        """Answers to the clarifying questions: awaiting_input -> running, resumed by a job."""
        with self.lab.store.session() as session:
            ds = self._own(session, decision_set_id)
            if ds.status != Status.AWAITING_INPUT:
                raise Conflict(f"decision set is {ds.status}, not awaiting_input", current=ds.status,
                               lock_version=ds.lock_version)
            answer = _valid(ClarifyAnswer, payload)
            key = self._check_version(ds, lock_version, None, "answer")
            lifecycle.transition(self.lab, session, ds.id, Status.RUNNING, frm=ds.status, lock_version=ds.lock_version,
                                 new_job=key, values={"waiting_for": None})
            job_id = self._enqueue(session, ds.id, key, {"action": "resume", "answer": answer}) if enqueue else None
        return Decided(ds.id, Status.RUNNING.value, key, job_id, answer=answer)

    def request_generation(self, decision_set_id: str, *, enqueue: bool = True) -> Decided:
        """Generate an approved design's repository again (generated or failed -> generating)."""
        with self.lab.store.session() as session:
            ds = self._own(session, decision_set_id)
            if ds.status not in (Status.GENERATED, Status.FAILED) or not approved(ds):
                raise Conflict(f"decision set is {ds.status}; only approved designs can be generated",
                               current=ds.status, lock_version=ds.lock_version)
            key = self._check_version(ds, None, None, "generate")
            lifecycle.transition(self.lab, session, ds.id, Status.GENERATING, frm=ds.status,
                                 lock_version=ds.lock_version, new_job=key, values={"error": None})
            job_id = self._enqueue(session, ds.id, key, {"action": "resume"}) if enqueue else None
        return Decided(ds.id, Status.GENERATING.value, key, job_id)

    def _check_version(self, ds: DecisionSet, lock_version: int | None, job_key: str | None, action: str) -> str:
        if lock_version is not None and lock_version != ds.lock_version:
            raise StaleVersion(f"decision set is at lock_version {ds.lock_version}, not {lock_version}",
                               current=ds.status, lock_version=ds.lock_version)
        return job_key or f"design:{ds.id}:{action}:{ds.lock_version}"

    def _revision(self, session: Session, ds: DecisionSet, decision: dict[str, Any], enqueue: bool) -> DecisionSet:
        """The next version: new constraint values win; a comment alone on a text-based design
        is read as more requirements text, so "use europe-west4 instead" changes the design."""
        comment = decision.get("comment", "").strip()
        if decision.get("constraints") or ds.constraints_given or not ds.requirements_text:
            text, constraints = ds.requirements_text, {**(ds.constraints or {}), **(decision.get("constraints") or {})}
        else:
            text, constraints = f"{ds.requirements_text}\n\n{comment}", None
        return self._create(session, ds.project_id, text=text, constraints=constraints, out_dir=ds.out_dir,
                            revision_of=ds.id, revision_comment=decision.get("comment", ""), enqueue=enqueue)[0]

    # -- what jobs (or the synchronous paths) run --------------------------------------------
    def run(self, decision_set_id: str, *, job_key: str | None = None) -> DecisionSet:
        """Start a queued decision set's graph, or continue the run its own job started."""
        ds = self.get_decision_set(decision_set_id)
        if ds.status in lifecycle.SETTLED:
            return ds
        if ds.status == Status.QUEUED:
            with self.lab.store.session() as session:
                lifecycle.transition(self.lab, session, ds.id, Status.RUNNING, frm=Status.QUEUED, job=job_key,
                                     new_job=job_key)
        elif ds.job_key != job_key:
            raise Conflict(f"decision set is {ds.status} under another job", current=ds.status,
                           lock_version=ds.lock_version)
        out_dir = ds.out_dir or str(self.lab.home / "projects" / ds.project_id / ds.id)
        return drive(self, ds, job_key=job_key, fresh=graph_input(ds, self.get_project(ds.project_id).name, out_dir))

    def resume(self, decision_set_id: str, job_key: str, answer: dict | None = None) -> DecisionSet:
        """Carry out the transition ``job_key`` owns (idempotent: a retry continues it)."""
        ds = self.get_decision_set(decision_set_id)
        if ds.job_key != job_key:
            return ds  # superseded: a later transition owns the row
        if ds.status == Status.RUNNING:
            return drive(self, ds, job_key=job_key, resume=answer)
        if ds.status == Status.GENERATING:
            return drive(self, ds, job_key=job_key, resume=ds.approval, again=True)
        if ds.status == Status.REJECTED:  # close the thread: the approval node records the decision
            return drive(self, ds, job_key=job_key, resume=ds.approval)
        return ds

    def fail(self, decision_set_id: str, job_key: str, reason: str) -> bool:
        """The job owning the row died (dead-lettered): the design ends ``failed`` with the reason."""
        with self.lab.store.session() as session:
            try:
                lifecycle.transition(self.lab, session, decision_set_id, Status.FAILED,
                                     frm=(Status.QUEUED, Status.RUNNING, Status.GENERATING), job=job_key,
                                     new_job=None, values={"error": reason[:2000]}, event={"error": reason[:500]})
            except Conflict:
                return False  # the row moved on without that job: nothing to end
        return True

    # -- synchronous conveniences (CLI, magics) ----------------------------------------------
    def answer(self, decision_set_id: str, payload: dict[str, Any], *, lock_version: int | None = None) -> DecisionSet:
        """Answer a waiting decision set and carry the answer out in this process.

        Returns the decision set the answer leads to: for ``revise`` that is the new version."""
        ds = self.get_decision_set(decision_set_id)
        if ds.status == Status.AWAITING_INPUT:
            asked = self.answer_questions(ds.id, payload, lock_version=lock_version, enqueue=False)
            return self.resume(ds.id, asked.job_key, asked.answer)
        decided = self.decide(ds.id, payload, lock_version=lock_version, enqueue=False)
        done = self.resume(ds.id, decided.job_key)
        return self.run(decided.child_id) if decided.child_id else done

    def regenerate(self, decision_set_id: str) -> DecisionSet:
        """Generate the repository again for an approved design, in this process."""
        return self.resume(decision_set_id, self.request_generation(decision_set_id, enqueue=False).job_key)

    def report(self, chunk: dict[str, Any]) -> None:
        if self.progress:
            for node in chunk:
                self.progress("waiting for input" if node == "__interrupt__" else f"{node} done")


def _short(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
