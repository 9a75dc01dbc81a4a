"""Cost lines no component carries (data/overheads.toml): networking, egress, log ingestion, audit
logs, feature-store writes and monitoring jobs. Each line names its driver quantity, the
assumption behind it and the list price, like component lines do."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, Field

from .catalogue import Catalogue
from .costing import Demand
from .planner import LLM_WORKLOADS
from .types import CostLine, Plan

Driver = Literal["nat_gb", "external_gb", "egress_gb", "log_gb", "audit_million", "feature_writes_million",
                 "monitor_job_hours"]
#: providers of components that run inside a cloud (anything else is a public API on the internet)
IN_CLOUD_PROVIDERS = frozenset({"aws", "gcp", "azure", "oss"})
#: KB leaving the cloud per answer: a prediction, an LLM answer
PREDICTION_KB, ANSWER_KB = 1.0, 4.0
#: KB of an LLM API call through NAT (prompt with context and answer)
LLM_CALL_KB = 8.0
NAT_SHARE = 0.1
LOG_GB_PER_SERVICE_DAY, LOG_GB_PER_JOB_HOUR = 0.5, 0.05
AUDIT_BASE_MILLION, AUDIT_EVENTS_PER_RUN = 1.0, 5000
DEFAULT_ENTITY_ROWS = 1_000_000
MONITOR_HOURS_PER_RUN = 0.25


class OverheadLine(BaseModel):
    capability: str
    service: str
    when: str
    driver: Driver
    unit: str
    unit_price_usd: float = Field(ge=0)
    base_monthly_usd: float = Field(default=0.0, ge=0)


class CloudOverheads(BaseModel):
    price_date: str
    lines: list[OverheadLine]


@lru_cache(maxsize=1)
def load_overheads() -> dict[str, CloudOverheads]:
    raw = tomllib.loads(resources.files("agilab_lab.agents").joinpath("data/overheads.toml").read_text())
    return {cloud: CloudOverheads(**table) for cloud, table in raw.items()}


def _online(plan: Plan) -> bool:
    serve = plan.component("serve")
    return bool(serve and serve.sizing.get("mode") == "online") or plan.component("generate") is not None


def external_apis(plan: Plan) -> list[str]:
    """Services of the plan that are public APIs outside every cloud (a public LLM API): the
    generated stack reaches them through a NAT (repogen/egress.py)."""
    return [c.service for c in plan.components if c.provider.lower() not in IN_CLOUD_PROVIDERS]


def _flat_rate_features(plan: Plan, catalogue: Catalogue) -> bool:
    feature = plan.component("feature")
    return feature is not None and catalogue.get(feature.option_id).cost.kind != "requests"


def drivers(plan: Plan, demand: Demand, entity_rows: float, catalogue: Catalogue) -> dict[str, tuple[float, str]]:
    """Monthly quantity of each driver and how it was counted."""
    requests = demand.requests_per_month
    llm = bool(LLM_WORKLOADS & set(plan.workloads)) or plan.component("generate") is not None
    answer_kb = ANSWER_KB if llm else PREDICTION_KB
    api = plan.component("generate") is not None and plan.component("generate").provider != "oss"
    replicas = max(len(plan.regions) - 1, 0)
    always_on = sum(1 for c in plan.components if c.service not in external_apis(plan)
                    and catalogue.get(c.option_id).cost.kind == "instance_hours")
    job_hours = sum((c.sizing.get("run_hours") or 0) * c.sizing.get("units", 1)
                    * (demand.runs_per_month if c.capability == "train" else 30) for c in plan.components)
    runs = 730 if _online(plan) else 30
    streamed = requests if "streaming" in plan.workloads else 0.0
    external = bool(external_apis(plan))
    return {
        "external_gb": (requests * LLM_CALL_KB / 1e6 if external else 0.0,
                        f"{requests / 1e6:,.2f}M calls to the public API x {LLM_CALL_KB:g} KB"),
        "nat_gb": (demand.gb_per_day * 30 * NAT_SHARE + (requests * LLM_CALL_KB / 1e6 if api else 0.0),
                   f"{NAT_SHARE:.0%} of {demand.gb_per_day:g} GB/day x 30"
                   + (f" + {requests / 1e6:,.2f}M LLM calls x {LLM_CALL_KB:g} KB" if api else "")),
        "egress_gb": (requests * answer_kb / 1e6 + demand.gb_per_day * 30 * replicas,
                      f"{requests / 1e6:,.2f}M responses x {answer_kb:g} KB"
                      + (f" + {demand.gb_per_day:g} GB/day x 30 copied to {replicas} other region(s)" if replicas else "")),
        "log_gb": (always_on * LOG_GB_PER_SERVICE_DAY * 30 + job_hours * LOG_GB_PER_JOB_HOUR,
                   f"{always_on} always-on service(s) x {LOG_GB_PER_SERVICE_DAY:g} GB/day x 30 + "
                   f"{job_hours:,.0f} job-hours x {LOG_GB_PER_JOB_HOUR:g} GB"),
        "audit_million": (AUDIT_BASE_MILLION + demand.pipeline_runs_per_month * AUDIT_EVENTS_PER_RUN / 1e6,
                          f"{AUDIT_BASE_MILLION:g}M baseline events + {demand.pipeline_runs_per_month:g} "
                          f"pipeline runs x {AUDIT_EVENTS_PER_RUN:,}"),
        "feature_writes_million": ((entity_rows * 30 + streamed) / 1e6,
                                   f"{entity_rows:,.0f} entity rows a day x 30"
                                   + (f" + {streamed / 1e6:,.1f}M streamed events" if streamed else "")),
        "monitor_job_hours": (runs * MONITOR_HOURS_PER_RUN,
                              f"{runs} monitoring runs ({'hourly' if runs == 730 else 'daily'}) x "
                              f"{MONITOR_HOURS_PER_RUN:g} h"),
    }


def overhead_lines(plan: Plan, demand: Demand, catalogue: Catalogue) -> list[CostLine]:
    """The overhead cost lines of ``plan`` (none for a cloud the data file does not describe)."""
    table = load_overheads().get(plan.cloud)
    if table is None:
        return []
    rows = demand.entity_rows or DEFAULT_ENTITY_ROWS
    quantities = drivers(plan, demand, rows, catalogue)
    multiplier = catalogue.multiplier(plan.cloud, plan.region)
    regions = max(len(plan.regions), 1)
    lines = []
    for line in table.lines:
        if line.when == "external_api":
            if not external_apis(plan):
                continue
        elif line.when not in ("always", "online") and plan.component(line.when) is None:
            continue
        if line.driver == "feature_writes_million" and _flat_rate_features(plan, catalogue):
            continue  # an in-memory store billed by the hour takes writes at no extra charge
        if line.when == "online" and not _online(plan):
            continue
        quantity, how = quantities[line.driver]
        usd = (quantity * line.unit_price_usd + line.base_monthly_usd * regions) * multiplier
        base = f" + ${line.base_monthly_usd:g} a month x {regions} region(s)" if line.base_monthly_usd else ""
        lines.append(CostLine(capability=line.capability, service=line.service, monthly_usd=round(usd, 2),
                              basis=f"{quantity:,.1f} {line.unit} ({how}) at ${line.unit_price_usd:g}{base} "
                                    f"(list price of {table.price_date})"))
    return lines
