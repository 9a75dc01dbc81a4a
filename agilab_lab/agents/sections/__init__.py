"""The 23 section agents: build their context, run them in order, keep the shared memory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..costing import Demand
from ..critics import TechnicalReport
from ..planner import required_regimes, serving_mode
from ..types import Constraints, CostEstimate, Plan, PolicyReport, Section
from .agent import run_section
from .memory import LogEntry, record
from .registry import SECTIONS, SectionSpec

__all__ = ["SECTIONS", "SectionSpec", "build_context", "write_sections", "report_markdown"]


def build_context(constraints: Constraints, plan: Plan, demand: Demand, cost: CostEstimate,
                  technical: TechnicalReport, policy: PolicyReport, assumptions: list[str],
                  regions: dict[str, str]) -> dict[str, Any]:
    """Everything a playbook template may use (see agents/playbooks/README.md)."""
    return {
        "c": constraints, "plan": plan, "demand": demand, "cost": cost, "tech": technical,
        "policy": policy, "assumptions": assumptions,
        "comp": {comp.capability: comp for comp in plan.components},
        "cost_by": {line.capability: line for line in cost.breakdown},
        "mode": serving_mode(constraints), "online": serving_mode(constraints) == "online",
        "w": set(constraints.workloads), "regimes": sorted(required_regimes(constraints)),
        "city": regions.get(plan.region, plan.region),
        "budget_share": (cost.monthly_usd / constraints.budget_monthly_usd
                         if constraints.budget_monthly_usd else None),
        "memory": [],
    }


def _state_slice(spec: SectionSpec, context: dict[str, Any]) -> dict[str, Any]:
    """What an LLM writing ``spec`` is shown: the constraints plus the slices it reads."""
    mapping = {"plan": "plan", "cost": "cost", "technical": "tech", "policy": "policy", "memory": "memory"}
    out: dict[str, Any] = {"constraints": context["c"].model_dump(exclude={"evidence"})}
    for name in spec.reads:
        value = context[mapping[name]]
        out[name] = value.model_dump() if hasattr(value, "model_dump") else [
            e.model_dump() if hasattr(e, "model_dump") else e for e in value]
    return out


def write_sections(context: dict[str, Any], memory: list[LogEntry], provider: Any = None,
                   on_section: Callable[[Section], None] | None = None) -> tuple[list[Section], list[LogEntry]]:
    """Run the 23 section agents in order; each sees the decision log of those before it."""
    sections: list[Section] = []
    for spec in SECTIONS:
        context = {**context, "memory": memory}
        section = run_section(spec, context, _state_slice(spec, context), provider)
        memory = record(memory, spec.key, section.decisions)
        sections.append(section)
        if on_section:
            on_section(section)
    return sections, memory


def report_markdown(title: str, sections: list[Section]) -> str:
    """The architecture report: every section in order, under one title."""
    body = "\n\n".join(s.markdown.strip() for s in sections)
    return f"# {title}\n\n{body}\n"
