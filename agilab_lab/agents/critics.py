"""Technical and cost critics: they read a plan, never change it, and say what is wrong.

A *blocking* finding sends the planner back for another round (it names the options to rule
out); warnings are reported but do not block.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from .catalogue import Catalogue
from .costing import Demand, quote
from .overheads import overhead_lines
from .planner import ONLINE_PATH, PlanResult, serving_mode
from .types import Constraints, CostEstimate, CostLine, Plan

#: Rough share of a p99 that lower percentiles take, for checking a p50/p90/p95 SLO.
PERCENTILE_SHARE = {50: 0.5, 90: 0.75, 95: 0.85, 99: 1.0}
UTILISATION_WARNING = 0.7
#: GPUs in one training node (p4d / a2-highgpu-8g / ND96asr class): more means a distributed job.
GPUS_PER_NODE = 8


class Finding(BaseModel):
    critic: Literal["technical", "cost"]
    kind: str  # latency | throughput | volume | budget | unmet | bottleneck | spof | cadence | need | preference | window | scale_out
    message: str
    capability: str | None = None
    subject: str | None = None  # what a need or preference finding is about ("dbt", "gpu", "generate")
    option_ids: list[str] = Field(default_factory=list)
    blocking: bool = True


class TechnicalReport(BaseModel):
    passed: bool
    findings: list[Finding] = Field(default_factory=list)
    latency_budget: dict | None = None


class CostReport(BaseModel):
    passed: bool
    estimate: CostEstimate
    findings: list[Finding] = Field(default_factory=list)


def latency_budget(plan: Plan, constraints: Constraints, catalogue: Catalogue) -> dict | None:
    """p99 of each request-path component plus network hops, against the SLO."""
    if serving_mode(constraints) != "online":
        return None
    path = [c for cap in ONLINE_PATH if (c := plan.component(cap)) and c.latency_ms is not None]
    hops = (len(path) + 1) * catalogue.assumptions.network_hop_ms
    p99 = sum(c.latency_ms or 0.0 for c in path) + hops
    slo = constraints.latency_slo
    estimate = p99 * PERCENTILE_SHARE[slo.percentile] if slo else p99
    return {"components": [{"capability": c.capability, "option_id": c.option_id, "p99_ms": c.latency_ms}
                           for c in path],
            "network_ms": hops, "estimate_ms": round(estimate, 1),
            "percentile": slo.percentile if slo else 99, "slo_ms": slo.ms if slo else None,
            "within_slo": (estimate <= slo.ms) if slo else None}


def _envelope_findings(plan: Plan, demand: Demand, catalogue: Catalogue) -> list[Finding]:
    findings = []
    per_region = demand.peak_rps / max(len(plan.regions), 1)
    for comp in plan.components:
        option = catalogue.get(comp.option_id)
        if option.max_rps and comp.capability in (*ONLINE_PATH, "stream") and per_region:
            load = per_region / option.max_rps
            if load > 1:
                findings.append(Finding(critic="technical", kind="throughput", capability=comp.capability,
                                        option_ids=[comp.option_id],
                                        message=f"{comp.service} tops out at {option.max_rps:,.0f} rps; "
                                                f"{per_region:,.0f} rps per region are needed"))
            elif load > UTILISATION_WARNING:
                findings.append(Finding(critic="technical", kind="bottleneck", capability=comp.capability,
                                        blocking=False, option_ids=[comp.option_id],
                                        message=f"{comp.service} runs at {load:.0%} of its envelope at peak"))
        if option.max_gb_per_day and demand.gb_per_day > option.max_gb_per_day:
            findings.append(Finding(critic="technical", kind="volume", capability=comp.capability,
                                    option_ids=[comp.option_id],
                                    message=f"{comp.service} handles up to {option.max_gb_per_day:,.0f} GB/day; "
                                            f"{demand.gb_per_day:,.0f} GB/day planned"))
    return findings


def _resilience_findings(plan: Plan, constraints: Constraints, catalogue: Catalogue) -> list[Finding]:
    findings = []
    if serving_mode(constraints) != "online":
        return findings
    for comp in plan.components:
        always_on = catalogue.get(comp.option_id).cost.kind == "instance_hours"
        if comp.capability in ONLINE_PATH and always_on and comp.sizing.get("units", 0) < 2 * len(plan.regions):
            findings.append(Finding(critic="technical", kind="spof", capability=comp.capability, blocking=False,
                                    option_ids=[comp.option_id],
                                    message=f"{comp.service} runs as a single unit: one failure stops serving"))
    if len(plan.regions) == 1:
        findings.append(Finding(critic="technical", kind="spof", blocking=False,
                                message=f"online serving lives in one region ({plan.region}): "
                                        "a regional outage stops it; document the recovery path"))
    return findings


def _cadence_findings(plan: Plan, demand: Demand, catalogue: Catalogue) -> list[Finding]:
    train = plan.component("train")
    if train is None:
        return []
    cost = catalogue.get(train.option_id).cost
    interval = catalogue.assumptions.hours_per_month / demand.runs_per_month
    if demand.gpu_hours_per_run is not None and cost.gpu_price(plan.cloud) is not None:
        gpus = demand.gpu_hours_per_run / interval
        if gpus <= GPUS_PER_NODE:
            return []
        return [Finding(critic="technical", kind="cadence", capability="train", blocking=False,
                        option_ids=[train.option_id],
                        message=f"one {demand.cadence} training run needs {demand.gpu_hours_per_run:,.0f} GPU-hours: "
                                f"finishing before the next run starts ({interval:,.0f} h) takes about "
                                f"{gpus:,.0f} GPUs in parallel")]
    hours = demand.training_gb_per_run / ((cost.gb_per_unit_hour or 1) * cost.min_units)
    if hours <= interval:
        return []
    return [Finding(critic="technical", kind="cadence", capability="train", blocking=False,
                    option_ids=[train.option_id],
                    message=f"one {demand.cadence} training run reads {demand.training_gb_per_run:,.0f} GB "
                            f"(~{hours:,.1f} h on one node) but runs start every {interval:,.1f} h: "
                            "train incrementally or distribute the job")]


def technical_review(result: PlanResult, constraints: Constraints, catalogue: Catalogue) -> TechnicalReport:
    """Envelopes, bottlenecks, single points of failure and the latency budget."""
    plan = result.plan
    findings = [Finding(critic="technical", kind="unmet", capability=cap,
                        option_ids=[c.option_id] if (c := plan.component(cap)) else [],
                        message=f"no {cap} option passes the hard filters"
                                + (f" ({result.unmet_reasons[cap]})" if cap in result.unmet_reasons else "")
                                + "; the closest one was kept")
                for cap in result.unmet]
    findings += _envelope_findings(plan, result.demand, catalogue)
    budget = latency_budget(plan, constraints, catalogue)
    if budget and budget["within_slo"] is False:
        slowest = sorted(budget["components"], key=lambda c: -(c["p99_ms"] or 0))
        findings.append(Finding(critic="technical", kind="latency", capability=slowest[0]["capability"],
                                option_ids=[c["option_id"] for c in slowest],
                                message=f"request path p{budget['percentile']} is about {budget['estimate_ms']:g} ms "
                                        f"against an SLO of {budget['slo_ms']:g} ms"))
    findings += _resilience_findings(plan, constraints, catalogue) + _cadence_findings(plan, result.demand, catalogue)
    from .needs import workload_findings  # needs.py builds on this module's Finding

    findings += workload_findings(result, constraints, catalogue)
    return TechnicalReport(passed=not any(f.blocking for f in findings), findings=findings, latency_budget=budget)


def cost_estimate(plan: Plan, demand: Demand, catalogue: Catalogue) -> CostEstimate:
    """Monthly USD per component, priced from the catalogue (not trusted from the plan), plus the
    overhead lines no component carries (networking, egress, logs, audit, writes, monitoring)."""
    lines = []
    for comp in plan.components:
        q = quote(catalogue.get(comp.option_id), plan.cloud, demand, catalogue)
        lines.append(CostLine(capability=comp.capability, service=comp.service,
                              monthly_usd=q.monthly_usd, basis=q.basis))
    lines += overhead_lines(plan, demand, catalogue)
    total = round(sum(line.monthly_usd for line in lines), 2)
    return CostEstimate(monthly_usd=total, breakdown=lines, price_date=catalogue.price_date)


def cost_review(result: PlanResult, constraints: Constraints, catalogue: Catalogue) -> CostReport:
    """The estimate, and a blocking finding naming the priciest components when over budget."""
    estimate = cost_estimate(result.plan, result.demand, catalogue)
    budget = constraints.budget_monthly_usd
    findings = []
    if budget is not None and estimate.monthly_usd > budget:
        priciest = sorted(estimate.breakdown, key=lambda line: -line.monthly_usd)
        ids = [c.option_id for line in priciest[:2] if (c := result.plan.component(line.capability))]
        findings.append(Finding(critic="cost", kind="budget", option_ids=ids, capability=priciest[0].capability,
                                message=f"estimated ${estimate.monthly_usd:,.0f}/month exceeds the "
                                        f"${budget:,.0f} budget; largest: {priciest[0].service} "
                                        f"(${priciest[0].monthly_usd:,.0f})"))
    return CostReport(passed=not findings, estimate=estimate, findings=findings)
