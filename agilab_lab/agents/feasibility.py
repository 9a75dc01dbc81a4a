"""The critic loop's bookkeeping: what the next planning round changes, and, when rounds run
out, which constraints conflict and what relaxing each one would cost."""

from __future__ import annotations

from dataclasses import replace

from pydantic import BaseModel, Field

from .catalogue import Catalogue
from .critics import Finding, cost_estimate, latency_budget
from .placement import placement_problem
from .planner import PlanningError, Weights, cheapest_variant, fastest_variant, make_plan
from .types import Constraints, LatencySLO

MAX_ROUNDS = 3


class Relaxation(BaseModel):
    constraint: str
    conflict: str
    relax_to: str
    monthly_usd_after: float | None = None


class Infeasibility(BaseModel):
    summary: str
    rounds: int
    relaxations: list[Relaxation] = Field(default_factory=list)


def next_round(findings: list[Finding], excluded: list[str], weights: Weights) -> tuple[list[str], Weights]:
    """Rule out the options blocking findings name and weigh what failed more heavily."""
    blocking = [f for f in findings if f.blocking]
    ruled_out = sorted({*excluded, *(i for f in blocking for i in f.option_ids[:1])})
    kinds = {f.kind for f in blocking}
    if "budget" in kinds:
        weights = replace(weights, cost=weights.cost * 3)
    if "latency" in kinds:
        weights = replace(weights, latency=weights.latency * 3)
    if "preference" in kinds:  # a stated tool lost on score: weigh preferences until it wins
        weights = replace(weights, preference=weights.preference * 4)
    return ruled_out, weights


def _plan_cost(constraints: Constraints, catalogue: Catalogue, variant=make_plan) -> float | None:
    try:
        result = variant(constraints, catalogue)
    except PlanningError:
        return None
    return cost_estimate(result.plan, result.demand, catalogue).monthly_usd


def _region_relaxations(constraints: Constraints, catalogue: Catalogue, findings: list[Finding]) -> list[Relaxation]:
    """For a stated region that lacks a needed service: the nearest region that has them all."""
    missing = [f for f in findings if f.kind == "unmet" and "not offered in" in f.message]
    if not missing or not constraints.regions or constraints.cloud is None:
        return []
    cloud, stated = constraints.cloud, constraints.regions[0]
    here = catalogue.region(cloud, stated)
    capabilities = sorted({f.capability or "" for f in missing})
    unstated = constraints.model_copy(update={"regions": []})
    candidates = [r for r in catalogue.regions.get(cloud, {}).values()
                  if r.code != stated and placement_problem(r, r.code, constraints, catalogue) is None
                  and not any(all(catalogue.unavailable(o, cloud, r.code) for o in catalogue.options_for(c, cloud))
                              for c in capabilities)]
    if not candidates:
        return []
    # nearest: same country, then same zone, then the same authorisation level (GovCloud stays GovCloud)
    near = min(candidates, key=lambda r: (here is None or r.country != here.country,
                                          here is None or r.geo != here.geo,
                                          here is None or r.fedramp != here.fedramp, r.multiplier, r.code))
    moved = unstated.model_copy(update={"regions": [near.code]})
    return [Relaxation(constraint="regions", monthly_usd_after=_plan_cost(moved, catalogue),
                       conflict=f"{stated} does not offer a {', '.join(capabilities)} service the plan needs",
                       relax_to=f"use {near.code} ({near.city}), the nearest region that offers them")]


def _workload_relaxations(findings: list[Finding]) -> list[Relaxation]:
    """Trade-offs for unmet preferences, needs and windows (issue 10 critics)."""
    out = []
    blocking = [f for f in findings if f.blocking]
    tools = sorted({f.subject or "" for f in blocking if f.kind == "preference"})
    if tools:
        out.append(Relaxation(constraint="tooling_prefer", conflict=f"no plan within the other constraints uses "
                                                                      f"{', '.join(tools)}",
                              relax_to=f"drop the preference for {', '.join(tools)} or relax the budget/latency"))
    needs = sorted({f"{f.capability} ({f.subject})" for f in blocking if f.kind == "need"})
    if needs:
        out.append(Relaxation(constraint="workloads", conflict=f"no eligible component for {', '.join(needs)}",
                              relax_to="allow another service for it or narrow the workload"))
    if any(f.kind == "window" for f in blocking):
        out.append(Relaxation(constraint="retrain_cadence", conflict="a batch job cannot finish in its window",
                              relax_to="lengthen the window or the cadence, or process less data a run"))
    return out


def explain(constraints: Constraints, catalogue: Catalogue, findings: list[Finding], rounds: int) -> Infeasibility:
    """Which constraints conflict, and what relaxing each would cost (priced from the catalogue)."""
    kinds = {f.kind for f in findings if f.blocking}
    relaxations: list[Relaxation] = []
    budget = constraints.budget_monthly_usd
    if "budget" in kinds and budget is not None:
        floor = _plan_cost(constraints, catalogue, cheapest_variant)
        relaxations.append(Relaxation(
            constraint="budget_monthly_usd", monthly_usd_after=floor,
            conflict=f"the cheapest plan the catalogue allows costs ${floor:,.0f}/month against ${budget:,.0f}",
            relax_to=f"raise the budget to ${floor:,.0f}/month (+${floor - budget:,.0f})"))
    if "latency" in kinds and constraints.latency_slo:
        fastest = fastest_variant(constraints, catalogue)
        reach = latency_budget(fastest.plan, constraints, catalogue) or {}
        reach_ms = float(reach.get("estimate_ms") or constraints.latency_slo.ms)
        relaxed = constraints.model_copy(update={"latency_slo": LatencySLO(
            percentile=constraints.latency_slo.percentile, ms=max(reach_ms, constraints.latency_slo.ms))})
        relaxations.append(Relaxation(
            constraint="latency_slo", monthly_usd_after=_plan_cost(relaxed, catalogue),
            conflict=f"the fastest request path in the catalogue is about {reach_ms:g} ms "
                     f"(p{constraints.latency_slo.percentile}) against {constraints.latency_slo.ms:g} ms",
            relax_to=f"allow p{constraints.latency_slo.percentile} {reach_ms:g} ms"))
    if kinds & {"throughput", "unmet"} and constraints.throughput_rps:
        names = sorted({f.capability or "" for f in findings if f.kind in ("throughput", "unmet")})
        relaxations.append(Relaxation(
            constraint="throughput_rps", conflict=f"no eligible {', '.join(names)} option carries "
                                                  f"{constraints.throughput_rps:,.0f} rps",
            relax_to="lower the peak or shard traffic across more regions"))
    relaxations += _workload_relaxations(findings)
    relaxations += _region_relaxations(constraints, catalogue, findings)
    if len(constraints.regions) > 1 and kinds & {"budget", "latency", "throughput"}:
        single = constraints.model_copy(update={"regions": constraints.regions[:1]})
        relaxations.append(Relaxation(
            constraint="regions", monthly_usd_after=_plan_cost(single, catalogue),
            conflict=f"serving from {len(constraints.regions)} regions multiplies the online path",
            relax_to=f"serve from {constraints.regions[0]} only"))
    conflicting = ", ".join(r.constraint for r in relaxations) or ", ".join(sorted(kinds))
    summary = (f"No plan satisfied the critics after {rounds} rounds; conflicting constraints: {conflicting}. "
               + " ".join(f.message + "." for f in findings if f.blocking))
    return Infeasibility(summary=summary, rounds=rounds, relaxations=relaxations)
