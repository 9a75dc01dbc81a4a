"""The designer service: projects, versioned decision sets, and the graph runs behind them.

One decision set is one LangGraph thread (``thread_id`` = decision-set id). Starting a design
creates a new version of the project's decision set (``parent_id`` = the previous one); a
revision at the approval gate ends its version and starts the next. Every status change is
written with optimistic locking (a stale ``lock_version`` raises :class:`Conflict`) and logged
as an event on the project's topic. LangGraph is imported only when a graph actually runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from sqlalchemy import delete, select
from sqlalchemy.orm.exc import StaleDataError

from ..core import Lab
from ..redaction import redact, redact_tree
from ..store.models import Approval, CostEstimateRow, DecisionSet, Project
from .catalogue import Catalogue, default_catalogue
from .recorder import StoreRecorder, project_topic
from .state import ApprovalDecision, ClarifyAnswer, DesignState
from .types import Constraints, ReasonCard
from .views import SETTLED

Progress = Callable[[str], None]


class DesignerError(Exception):
    """A request the designer refuses; ``status`` and ``code`` map to the API error format."""

    status, code = 400, "bad_request"

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class NotFound(DesignerError):
    status, code = 404, "not_found"


class Conflict(DesignerError):
    status, code = 409, "conflict"


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

    # -- decision sets --------------------------------------------------------------------
    def list_decision_sets(self, project_id: str) -> list[DecisionSet]:
        self.get_project(project_id)
        with self.lab.store.read() as session:
            query = select(DecisionSet).where(DecisionSet.project_id == project_id).order_by(DecisionSet.version)
            return list(session.scalars(query))

    def get_decision_set(self, decision_set_id: str) -> DecisionSet:
        with self.lab.store.read() as session:
            ds = session.get(DecisionSet, decision_set_id)
            if ds is None or ds.owner != self.lab.owner:
                raise NotFound(f"no decision set {decision_set_id!r}")
            return ds

    def new_decision_set(self, project_id: str, *, text: str = "", constraints: dict | None = None,
                         auto_approve: bool = False, out_dir: str | None = None) -> DecisionSet:
        """Queue the next version of ``project_id``'s design from text or typed constraints."""
        if not text.strip() and constraints is None:
            raise DesignerError("give requirements text or constraints")
        text = redact(text)  # the original never reaches the row, the checkpoint or an event
        if constraints is not None:
            try:
                constraints = Constraints.model_validate(redact_tree(constraints)).model_dump(mode="json")
            except ValidationError as exc:
                raise DesignerError(f"invalid constraints: {_short(exc)}") from exc
        self.get_project(project_id)
        with self.lab.store.session() as session:
            latest = session.scalar(select(DecisionSet).where(DecisionSet.project_id == project_id)
                                    .order_by(DecisionSet.version.desc()).limit(1))
            ds = DecisionSet(owner=self.lab.owner, project_id=project_id, parent_id=latest.id if latest else None,
                             version=(latest.version + 1) if latest else 1, status="queued",
                             requirements_text=text, constraints=constraints or {},
                             extra={"auto_approve": auto_approve, "out_dir": out_dir,
                                    "constraints_given": constraints is not None})
            session.add(ds)
            session.flush()
            self.lab.events.append(self.lab.owner, project_topic(project_id), "decision_set.created",
                                   {"decision_set_id": ds.id, "version": ds.version, "parent_id": ds.parent_id},
                                   session=session)
        return ds

    def design(self, project_id: str, *, text: str = "", constraints: dict | None = None,
               auto_approve: bool = False, out_dir: str | None = None) -> DecisionSet:
        """Create the next version and run it until it settles (the CLI path)."""
        ds = self.new_decision_set(project_id, text=text, constraints=constraints,
                                   auto_approve=auto_approve, out_dir=out_dir)
        return self.run(ds.id)

    def run(self, decision_set_id: str) -> DecisionSet:
        """Start (or, after a crash mid-run, continue) a queued decision set's graph."""
        ds = self.get_decision_set(decision_set_id)
        if ds.status in SETTLED:
            return ds
        extra = ds.extra or {}
        graph_input = {
            "requirements_text": ds.requirements_text,
            "constraints": Constraints.model_validate(ds.constraints) if extra.get("constraints_given") else None,
            "auto_approve": bool(extra.get("auto_approve")), "out_dir": self._out_dir(ds),
            "project_id": ds.project_id, "project_name": self.get_project(ds.project_id).name,
            "decision_set_id": ds.id, "version": ds.version}
        continuing = ds.status == "running"  # a worker died mid-run: continue from its checkpoint
        self._transition(ds.id, "running")
        return self._drive(ds.id, ds.project_id, graph_input, continuing=continuing)

    def answer(self, decision_set_id: str, payload: dict[str, Any], *, lock_version: int | None = None) -> DecisionSet:
        """Resume a waiting decision set: an approval decision, or answers to clarifying questions.

        Returns the decision set the answer leads to: for ``revise`` that is the new version.
        """
        ds = self.get_decision_set(decision_set_id)
        if lock_version is not None and lock_version != ds.lock_version:
            raise Conflict(f"decision set changed (lock_version {ds.lock_version}, you sent {lock_version})")
        model = {"awaiting_approval": ApprovalDecision, "awaiting_input": ClarifyAnswer}.get(ds.status)
        if model is None:
            raise Conflict(f"decision set is {ds.status}; nothing is waiting for an answer")
        try:
            resume = model.model_validate(payload).model_dump(mode="json")
        except ValidationError as exc:
            raise DesignerError(f"invalid answer: {_short(exc)}") from exc
        self._transition(ds.id, "running", expect_lock=ds.lock_version, approval=resume if model is ApprovalDecision else None)
        from langgraph.types import Command

        done = self._drive(ds.id, ds.project_id, Command(resume=resume))
        if model is ApprovalDecision and resume["decision"] == "revise":
            return self._revise(done, resume)
        return done

    def regenerate(self, decision_set_id: str) -> DecisionSet:
        """Generate the repository again for an approved, generated decision set."""
        ds = self.get_decision_set(decision_set_id)
        if ds.status not in ("generated", "failed") or not (ds.extra or {}).get("approval"):
            raise Conflict(f"decision set is {ds.status}; only approved designs can be generated")
        from .graph import compile_graph, open_checkpointer

        with open_checkpointer(self.lab.home, self.lab.settings.database_url) as saver:
            graph = compile_graph(saver)
            config = {"configurable": {"thread_id": ds.id}}
            graph.update_state(config, {"status": "generating"}, as_node="approval")
            self._transition(ds.id, "generating")
        return self._drive(ds.id, ds.project_id, None)

    # -- internals ------------------------------------------------------------------------
    def _out_dir(self, ds: DecisionSet) -> str:
        given = (ds.extra or {}).get("out_dir")
        return str(Path(given) if given else self.lab.home / "projects" / ds.project_id / ds.id)

    def _revise(self, ds: DecisionSet, decision: dict[str, Any]) -> DecisionSet:
        """The next version: new constraint values win; a comment alone on a text-based design
        is read as more requirements text, so "use europe-west4 instead" changes the design."""
        comment, extra = decision.get("comment", "").strip(), ds.extra or {}
        if decision.get("constraints") or extra.get("constraints_given") or not ds.requirements_text:
            merged = {**(ds.constraints or {}), **(decision.get("constraints") or {})}
            child = self.new_decision_set(ds.project_id, text=ds.requirements_text, constraints=merged,
                                          out_dir=extra.get("out_dir"))
        else:
            child = self.new_decision_set(ds.project_id, text=f"{ds.requirements_text}\n\n{comment}",
                                          out_dir=extra.get("out_dir"))
        with self.lab.store.session() as session:
            row = session.get(DecisionSet, child.id)
            row.extra = {**row.extra, "revision_of": ds.id, "revision_comment": decision.get("comment", "")}
        return self.run(child.id)

    def _transition(self, ds_id: str, status: str, *, expect_lock: int | None = None,
                    approval: dict | None = None) -> None:
        try:
            with self.lab.store.session() as session:
                ds = session.get(DecisionSet, ds_id)
                if expect_lock is not None and ds.lock_version != expect_lock:
                    raise Conflict("decision set changed while answering; reload it")
                ds.status = status
                if approval is not None:
                    session.add(Approval(owner=self.lab.owner, decision_set_id=ds_id, decision=approval["decision"],
                                         comment=approval.get("comment", ""), constraints=approval.get("constraints")))
                self.lab.events.append(self.lab.owner, project_topic(ds.project_id), "decision_set.status",
                                       {"decision_set_id": ds_id, "status": status,
                                        **({"approval": approval["decision"]} if approval else {})}, session=session)
        except StaleDataError as exc:
            raise Conflict("decision set changed concurrently; reload it") from exc

    def _drive(self, ds_id: str, project_id: str, graph_input: Any, *, continuing: bool = False) -> DecisionSet:
        from .graph import compile_graph, open_checkpointer
        from .state import DesignContext

        recorder = StoreRecorder(self.lab, project_id, ds_id, self.on_card)
        config = {"configurable": {"thread_id": ds_id}}
        with open_checkpointer(self.lab.home, self.lab.settings.database_url) as saver:
            graph = compile_graph(saver)
            if continuing and graph.get_state(config).values:
                graph_input = None
            try:
                context = DesignContext(catalogue=self.catalogue, provider=self.provider, recorder=recorder,
                                        generate=self.generate, home=self.lab.home)
                for chunk in graph.stream(graph_input, config, context=context, stream_mode="updates"):
                    self._report(chunk)
                    if (chunk.get("approval") or {}).get("status") == "generating":
                        self._transition(ds_id, "generating")
            except Exception as exc:
                # Keep what the run had decided before it broke, then mark it failed.
                self._persist(ds_id, graph.get_state(config).values, [], failure=exc)
                raise
            snapshot = graph.get_state(config)
        return self._persist(ds_id, snapshot.values, [i.value for i in snapshot.interrupts])

    def _report(self, chunk: dict[str, Any]) -> None:
        if self.progress:
            for node in chunk:
                self.progress("waiting for input" if node == "__interrupt__" else f"{node} done")

    def _persist(self, ds_id: str, values: dict[str, Any], interrupts: list[dict],
                 failure: Exception | None = None) -> DecisionSet:
        state = DesignState.model_validate(values)
        waiting = {"clarify": "awaiting_input", "approval": "awaiting_approval"}
        status = waiting.get(interrupts[0].get("kind"), "running") if interrupts else state.status
        if failure is not None:
            status = "failed"
        with self.lab.store.session() as session:
            ds = session.get(DecisionSet, ds_id)
            _apply_state(ds, state, status, interrupts)
            if failure is not None:
                ds.error = f"{type(failure).__name__}: {failure}"[:2000]
            session.execute(delete(CostEstimateRow).where(CostEstimateRow.decision_set_id == ds_id))
            if state.cost:
                estimate = state.cost.estimate
                session.add(CostEstimateRow(owner=self.lab.owner, decision_set_id=ds_id, monthly_usd=estimate.monthly_usd,
                                            breakdown=[line.model_dump() for line in estimate.breakdown],
                                            price_date=estimate.price_date))
            self.lab.events.append(self.lab.owner, project_topic(ds.project_id), "decision_set.status",
                                   {"decision_set_id": ds_id, "status": status,
                                    **({"error": ds.error} if ds.error else {})}, session=session)
        return self.get_decision_set(ds_id)


def _apply_state(ds: DecisionSet, state: DesignState, status: str, interrupts: list[dict]) -> None:
    """Copy what the graph knows onto the decision-set row."""
    ds.status, ds.error = status, None
    if state.constraints:
        ds.constraints = state.constraints.model_dump(mode="json")
    ds.plan = state.plan.model_dump(mode="json") if state.plan else {}
    ds.policy = state.policy.model_dump(mode="json") if state.policy else {}
    ds.critics = _critics(state)
    ds.sections = [s.model_dump(mode="json") for s in state.sections]
    ds.summary_md = state.summary_md
    generation = state.generation or {}
    ds.validation = generation.get("validation") or {}
    ds.zip_path, ds.zip_sha256 = generation.get("zip"), generation.get("zip_sha256")
    ds.extra = {**(ds.extra or {}), "assumptions": state.assumptions, "rounds": state.rounds,
                "infeasible": state.infeasible.model_dump(mode="json") if state.infeasible else None,
                "approval": state.approval.model_dump(mode="json") if state.approval else None,
                "waiting_for": interrupts[0] if interrupts else None}


def _critics(state: DesignState) -> dict[str, Any]:
    if not (state.technical and state.cost):
        return {}
    cost = state.cost
    return {"technical": state.technical.model_dump(mode="json"),
            "cost": {**cost.estimate.model_dump(mode="json"), "passed": cost.passed,
                     "findings": [f.model_dump(mode="json") for f in cost.findings]},
            "rounds": len(state.rounds)}


def _short(exc: ValidationError) -> str:
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'body'}: {e['msg']}" for e in exc.errors()[:5])
