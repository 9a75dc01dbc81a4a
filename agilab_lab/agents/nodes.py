"""The designer graph's nodes: plain functions from (state, runtime) to a state update.

A node that calls ``interrupt()`` runs again from its top when the graph resumes, so all work
before the interrupt is idempotent (pure computation, card ids that repeat).
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from langgraph.errors import GraphInterrupt
from langgraph.runtime import Runtime
from langgraph.types import interrupt

from . import policy as policy_engine
from .cards import emit, emit_component, emit_section
from .critics import cost_review, technical_review
from .feasibility import explain, next_round
from .planner import PlanResult, Weights, make_plan
from .sections import SECTIONS, build_context, report_markdown, write_sections
from .sections.memory import LogEntry
from .state import ApprovalDecision, ClarifyAnswer, DesignContext, DesignState
from .types import Constraints, RepoSpec

Node = Callable[[DesignState, Runtime[DesignContext]], dict[str, Any]]


def recorded(agent: str) -> Callable[[Node], Node]:
    """Write one agent_runs row per node execution (interrupted, failed or succeeded)."""

    def decorate(node: Node) -> Node:
        @functools.wraps(node)
        def run(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
            context, started = runtime.context, time.perf_counter()
            provider = context.provider
            before = provider.usage() if provider is not None else {}
            status, error = "succeeded", None
            try:
                return node(state, runtime)
            except GraphInterrupt:
                status = "interrupted"
                raise
            except Exception as exc:
                status, error = "failed", f"{type(exc).__name__}: {exc}"
                raise
            finally:
                after = provider.usage() if provider is not None else {}
                context.recorder.agent_run(
                    agent, status=status, seconds=time.perf_counter() - started,
                    provider=getattr(provider, "name", "offline"), error=error,
                    tokens_in=int(after.get("input_tokens", 0) - before.get("input_tokens", 0)),
                    tokens_out=int(after.get("output_tokens", 0) - before.get("output_tokens", 0)))

        return run

    return decorate


def essentials_missing(constraints: Constraints | None) -> list[str]:
    """What planning cannot start without; everything else has a documented assumption."""
    if constraints is None:
        return ["constraints"]
    missing = []
    if constraints.cloud is None:
        missing.append("cloud")
    if not constraints.workloads:
        missing.append("workloads")
    return missing


def _extract(text: str, provider: Any) -> Constraints:
    """The one place the designer calls the extractor."""
    from .extract import extract_constraints

    return extract_constraints(text, provider)


@recorded("extract")
def extract_node(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
    constraints = state.constraints or _extract(state.requirements_text, runtime.context.provider)
    stated = [k for k, v in constraints.model_dump(exclude={"open_questions", "evidence", "confidence",
                                                              "warnings", "residency"}).items() if v]
    emit(state, runtime.context, "extractor", "Constraints extracted",
         f"stated: {', '.join(stated) or 'nothing'}; {len(constraints.open_questions)} open question(s)",
         decision=", ".join(stated), alternatives=constraints.open_questions[:4],
         confidence=min(constraints.confidence.values(), default=0.5),
         risk="high" if essentials_missing(constraints) else ("medium" if constraints.open_questions else "low"))
    return {"constraints": constraints}


@recorded("clarify")
def clarify_node(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
    missing = essentials_missing(state.constraints)
    if not missing:
        return {}
    # Auto-approval never answers this gate: inventing a cloud or a workload is not allowed.
    raw = interrupt({"kind": "clarify", "missing": missing,
                     "questions": state.constraints.open_questions if state.constraints else []})
    answer = ClarifyAnswer.model_validate(raw)
    text = state.requirements_text
    constraints = state.constraints
    if answer.text.strip():
        text = f"{text}\n\n{answer.text}".strip()
        constraints = _extract(text, runtime.context.provider)
    if answer.constraints:
        constraints = Constraints.model_validate({**constraints.model_dump(), **answer.constraints})
    emit(state, runtime.context, "clarify", "Answers received",
         f"still missing: {', '.join(essentials_missing(constraints)) or 'nothing'}")
    return {"constraints": constraints, "requirements_text": text}


def _plan_result(state: DesignState, runtime: Runtime[DesignContext]) -> PlanResult:
    return make_plan(state.constraints, runtime.context.catalogue, excluded=set(state.excluded),
                     weights=Weights(**state.weights))


@recorded("planner")
def plan_node(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
    result = _plan_result(state, runtime)
    for index, component in enumerate(result.plan.components):
        emit_component(state, runtime.context, component, index, component.capability in result.unmet)
    return {"plan": result.plan, "demand": result.demand, "assumptions": result.assumptions, "unmet": result.unmet,
            "unmet_reasons": result.unmet_reasons}


def _current(state: DesignState) -> PlanResult:
    return PlanResult(plan=state.plan, demand=state.demand, assumptions=state.assumptions, unmet=state.unmet,
                      unmet_reasons=state.unmet_reasons)


@recorded("sections")
def sections_node(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
    """The report of the final plan; it reads the critics' and the policy's verdicts (run once)."""
    catalogue = runtime.context.catalogue
    cities = {code: region.city for code, region in catalogue.regions.get(state.plan.cloud, {}).items()}
    context = build_context(state.constraints, state.plan, state.demand, state.cost.estimate, state.technical,
                            state.policy, state.assumptions, cities)
    # The decision log starts with what the critics said in the rounds, so sections (the
    # overall architecture and the critic read the log) explain why the plan changed.
    seed = [LogEntry(agent=f"critics round {r['round']}", decisions=[f["message"] for f in r["blocking"]])
            for r in state.rounds if r["blocking"]]
    counter = iter(range(len(SECTIONS)))
    sections, memory = write_sections(context, seed, runtime.context.provider,
                                      lambda s: emit_section(state, runtime.context, s, next(counter)))
    return {"sections": sections, "memory": memory,
            "summary_md": report_markdown(f"{state.project_name}: architecture report", sections)}


@recorded("critics")
def critics_node(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
    catalogue, result = runtime.context.catalogue, _current(state)
    technical = technical_review(result, state.constraints, catalogue)
    cost = cost_review(result, state.constraints, catalogue)
    findings = technical.findings + cost.findings
    blocking = [f for f in findings if f.blocking]
    emit(state, runtime.context, "technical_critic", "Technical review",
         "; ".join(f.message for f in technical.findings) or "no findings",
         decision="pass" if technical.passed else "revise", index=0,
         risk="high" if not technical.passed else ("medium" if technical.findings else "low"))
    emit(state, runtime.context, "cost_critic", f"Estimated ${cost.estimate.monthly_usd:,.0f}/month",
         "; ".join(f"{line.service}: ${line.monthly_usd:,.0f}" for line in cost.estimate.breakdown),
         decision="pass" if cost.passed else "revise", index=1, risk="low" if cost.passed else "high")
    excluded, weights = next_round(findings, state.excluded, Weights(**state.weights))
    summary = {"round": state.round + 1, "monthly_usd": cost.estimate.monthly_usd,
               "blocking": [f.model_dump() for f in blocking],
               "components": {c.capability: c.option_id for c in state.plan.components}}
    return {"technical": technical, "cost": cost, "round": state.round + 1, "rounds": [*state.rounds, summary],
            "excluded": excluded, "weights": weights.__dict__}


@recorded("infeasible")
def infeasible_node(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
    findings = state.technical.findings + state.cost.findings
    verdict = explain(state.constraints, runtime.context.catalogue, findings, state.round)
    emit(state, runtime.context, "feasibility", "No feasible design", verdict.summary,
         decision="infeasible", alternatives=[f"{r.constraint}: {r.relax_to}" for r in verdict.relaxations],
         confidence=0.9, risk="high")
    return {"infeasible": verdict}


@recorded("policy")
def policy_node(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
    report = policy_engine.evaluate(state.constraints, state.plan, state.cost.estimate,
                                    state.technical.latency_budget, runtime.context.catalogue)
    emit(state, runtime.context, "policy", "Policy passed" if report.passed else "Policy failed",
         "; ".join(f"[{v.rule}] {v.message}" for v in report.violations) or "all rules pass",
         decision="pass" if report.passed else "block", risk="low" if report.passed else "high")
    return {"policy": report}


@recorded("approval")
def approval_node(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
    if state.auto_approve:
        decision = ApprovalDecision(decision="approve", comment="auto-approved", actor="auto")
    else:
        raw = interrupt({"kind": "approval", "decision_set_id": state.decision_set_id,
                         "monthly_usd": state.cost.estimate.monthly_usd, "policy_passed": state.policy.passed})
        decision = ApprovalDecision.model_validate(raw)
    titles = {"approve": "Design approved", "reject": "Design rejected", "revise": "Revision requested"}
    emit(state, runtime.context, "approval", titles[decision.decision], decision.comment or decision.decision,
         decision=decision.decision, risk="low" if decision.decision == "approve" else "medium")
    return {"approval": decision}


def _generate_repository(spec: RepoSpec, out_dir: str, home: Path | None,
                         on_step: Any = None) -> dict[str, Any]:
    """The one place the designer calls the repository generator (issue 6)."""
    from agilab_lab.repogen import generate_and_validate

    zip_path, sha256, report = generate_and_validate(spec, out_dir, home=home, on_step=on_step)
    return {"zip": str(zip_path), "zip_sha256": sha256, "validation": report.model_dump(mode="json")}


@recorded("generate")
def generate_node(state: DesignState, runtime: Runtime[DesignContext]) -> dict[str, Any]:
    spec = RepoSpec(project_id=state.project_id, project_name=state.project_name,
                    decision_set_id=state.decision_set_id, version=state.version, constraints=state.constraints,
                    plan=state.plan, policy=state.policy, cost=state.cost.estimate, sections=state.sections)
    out_dir = state.out_dir or "."
    if runtime.context.generate is not None:
        result = runtime.context.generate(spec, out_dir)
    else:
        recorder = runtime.context.recorder
        # Each validation check streams as it starts and ends (the Lab shows them live).
        on_step = (lambda step: recorder.event("validation_step", step)) if hasattr(recorder, "event") else None
        result = _generate_repository(spec, out_dir, runtime.context.home, on_step)
    validation = result.get("validation") or {}
    checks = validation.get("checks") or []
    # The card names the zip, not where the server keeps it.
    summary = f"{Path(str(result.get('zip') or 'repository')).name}: " + (
        f"{sum(bool(c.get('passed')) for c in checks)}/{len(checks)} validation checks passed" if checks
        else "not validated")
    emit(state, runtime.context, "generator", "Repository generated", summary,
         decision="generated", risk="low" if validation.get("passed", True) else "medium")
    return {"generation": result}
