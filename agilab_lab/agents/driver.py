"""Drives one decision set's graph: picks the input from the checkpoint, streams the graph, and
hands what it decided to the lifecycle (the only place a status changes).

The input is chosen by where the checkpoint stands, so a retried job continues its own
transition instead of being refused by it: a fresh thread starts from the row; a pending
interrupt is resumed with the recorded answer; a run cut short continues from its last step;
a finished thread asked to generate again re-enters after the approval node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, select

from ..store.models import CostEstimateRow, DecisionSet
from . import lifecycle
from .lifecycle import Status
from .recorder import StoreRecorder
from .state import ApprovalDecision, DesignState
from .types import Constraints

if TYPE_CHECKING:
    from .designer import Designer

GATES = ("clarify", "approval")


def graph_input(ds: DecisionSet, project_name: str, out_dir: str) -> dict[str, Any]:
    """A fresh thread's input, from the decision-set row."""
    return {"requirements_text": ds.requirements_text,
            "constraints": Constraints.model_validate(ds.constraints) if ds.constraints_given else None,
            "auto_approve": ds.auto_approve, "out_dir": out_dir, "project_id": ds.project_id,
            "project_name": project_name, "decision_set_id": ds.id, "version": ds.version}


def _choose_input(graph: Any, config: dict, fresh: dict | None, resume: dict | None, again: bool) -> Any:
    from langgraph.types import Command

    snapshot = graph.get_state(config)
    if not snapshot.values:
        return fresh
    if resume is not None and (snapshot.interrupts or any(node in GATES for node in snapshot.next)):
        return Command(resume=resume)
    if snapshot.next:
        return None  # a run cut short: continue from its last completed step
    if again:  # a finished thread asked to generate again: re-enter after the approval node
        approval = snapshot.values.get("approval") or ApprovalDecision.model_validate(resume or {"decision": "approve"})
        graph.update_state(config, {"approval": approval}, as_node="approval")
        return None
    return False  # nothing to run: the thread already ended where the row says


def drive(designer: Designer, ds: DecisionSet, *, job_key: str | None, fresh: dict | None = None,
          resume: dict | None = None, again: bool = False) -> DecisionSet:
    """Run the graph of ``ds`` as far as it goes and settle the row."""
    from .graph import checkpointed_graph
    from .state import DesignContext

    recorder = StoreRecorder(designer.lab, ds.project_id, ds.id, designer.on_card)
    context = DesignContext(catalogue=designer.catalogue, provider=designer.provider, recorder=recorder,
                            generate=designer.generate, home=designer.lab.home)
    config = {"configurable": {"thread_id": ds.id}}
    with checkpointed_graph(designer.lab.home, designer.lab.settings.database_url) as graph:
        graph_in = _choose_input(graph, config, fresh, resume, again)
        try:
            if graph_in is not False:
                for chunk in graph.stream(graph_in, config, context=context, stream_mode="updates"):
                    designer.report(chunk)
                    _auto_approved(designer, ds.id, job_key, chunk)
        except Exception as exc:
            # Keep what the run had decided before it broke, then mark it failed.
            settle(designer, ds.id, graph.get_state(config).values, [], job_key, failure=exc)
            raise
        snapshot = graph.get_state(config)
    return settle(designer, ds.id, snapshot.values, [i.value for i in snapshot.interrupts], job_key)


def _auto_approved(designer: Designer, ds_id: str, job_key: str | None, chunk: dict[str, Any]) -> None:
    """An auto-approved design leaves ``running`` for ``generating`` as the approval node ends."""
    decision = (chunk.get("approval") or {}).get("approval")
    if decision is None or decision.decision != "approve":
        return
    with designer.lab.store.session() as session:
        if session.scalar(select(DecisionSet.status).where(DecisionSet.id == ds_id)) != Status.RUNNING:
            return  # approved by a person (decide() made this transition) or a retry after it
        lifecycle.transition(designer.lab, session, ds_id, Status.GENERATING, frm=Status.RUNNING, job=job_key,
                             values={"approval": decision.model_dump(mode="json")},
                             event={"approval": decision.decision})


def settle(designer: Designer, ds_id: str, values: dict[str, Any], interrupts: list[dict], job_key: str | None,
           failure: Exception | None = None) -> DecisionSet:
    """Copy the graph's results onto the row and move it to where the run stopped."""
    _settle(designer, ds_id, values, interrupts, job_key, failure)
    return designer.get_decision_set(ds_id)


def _settle(designer: Designer, ds_id: str, values: dict[str, Any], interrupts: list[dict], job_key: str | None,
            failure: Exception | None) -> None:
    state = DesignState.model_validate(values)
    to = Status.FAILED if failure is not None else lifecycle.status_after_run(state, interrupts)
    columns = columns_from_state(state, interrupts)
    event = {}
    if failure is not None:
        columns["error"] = event["error"] = f"{type(failure).__name__}: {failure}"[:2000]
    lab = designer.lab
    with lab.store.session() as session:
        current = Status(session.scalar(select(DecisionSet.status).where(DecisionSet.id == ds_id)))
        if to == current:
            lifecycle.record(session, ds_id, current, columns)
        elif current in lifecycle.TRANSIENT and lifecycle.allowed(current, to):
            lifecycle.transition(lab, session, ds_id, to, frm=current, job=job_key, values=columns,
                                 new_job=job_key if to in lifecycle.TRANSIENT else None, event=event)
        else:
            return None  # a stale run: the row has moved on without it
        session.execute(delete(CostEstimateRow).where(CostEstimateRow.decision_set_id == ds_id))
        if state.cost:
            estimate = state.cost.estimate
            session.add(CostEstimateRow(owner=lab.owner, decision_set_id=ds_id, monthly_usd=estimate.monthly_usd,
                                        breakdown=[line.model_dump() for line in estimate.breakdown],
                                        price_date=estimate.price_date))


def columns_from_state(state: DesignState, interrupts: list[dict]) -> dict[str, Any]:
    """What the graph knows, as decision-set columns."""
    generation = state.generation or {}
    columns = {
        "plan": state.plan.model_dump(mode="json") if state.plan else {},
        "policy": state.policy.model_dump(mode="json") if state.policy else {},
        "critics": _critics(state), "sections": [s.model_dump(mode="json") for s in state.sections],
        "summary_md": state.summary_md, "validation": generation.get("validation") or {},
        "zip_path": generation.get("zip"), "zip_sha256": generation.get("zip_sha256"), "error": None,
        "assumptions": state.assumptions, "rounds": state.rounds,
        "infeasible": state.infeasible.model_dump(mode="json") if state.infeasible else None,
        "waiting_for": interrupts[0] if interrupts else None,
    }
    if state.constraints:
        columns["constraints"] = state.constraints.model_dump(mode="json")
    return columns  # ``approval`` is written by the decision's own transition, never copied back


def _critics(state: DesignState) -> dict[str, Any]:
    if not (state.technical and state.cost):
        return {}
    cost = state.cost
    return {"technical": state.technical.model_dump(mode="json"),
            "cost": {**cost.estimate.model_dump(mode="json"), "passed": cost.passed,
                     "findings": [f.model_dump(mode="json") for f in cost.findings]},
            "rounds": len(state.rounds)}
