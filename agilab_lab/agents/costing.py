"""Demand derived from constraints, and the monthly price of one option under that demand.

Every figure comes from the catalogue (unit prices, region multipliers, sizing assumptions);
the ``basis`` string of a :class:`Quote` says which price, unit count and assumption it used,
so the cost critic's breakdown can be audited line by line.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from .catalogue import Catalogue, Option
from .types import Constraints

#: Capabilities on the online request path: replicated in every serving region.
REPLICATED = frozenset({"serve", "feature", "vector", "stream"})


class Demand(BaseModel):
    """The load a plan must carry, with the assumptions used to fill gaps."""

    peak_rps: float
    avg_rps: float
    gb_per_day: float
    cadence: str
    runs_per_month: float
    training_gb_per_run: float
    pipeline_runs_per_month: float
    regions: list[str]
    #: GPU-hours one training run needs, when a model size is stated (else CPU job hours apply)
    gpu_hours_per_run: float | None = None
    gpu_basis: str = ""
    assumed: list[str] = Field(default_factory=list)


class Quote(BaseModel):
    monthly_usd: float
    units: int
    basis: str


def demand_for(constraints: Constraints, catalogue: Catalogue, regions: list[str], *, online: bool) -> Demand:
    """Turn the stated numbers into a load, filling gaps from ``assumptions.toml``.

    A batch-only design that states no request rate carries no online traffic at all.
    """
    a = catalogue.assumptions
    assumed: list[str] = []
    peak = constraints.throughput_rps
    if peak is None and not online:
        peak = 0.0
    elif peak is None:
        peak = a.default_peak_rps
        assumed.append(f"peak load {peak:g} rps (not stated)")
    gb = constraints.batch_volume_gb_per_day
    if gb is None:
        gb = a.default_gb_per_day
        assumed.append(f"data volume {gb:g} GB/day (not stated)")
    cadence = constraints.retrain_cadence
    if cadence is None:
        cadence = a.default_cadence
        assumed.append(f"{cadence} retraining (cadence not stated)")
    runs = a.runs_per_month[cadence]
    training_gb = constraints.training_data_gb or gb * a.training_window_days[cadence]
    gpu_hours, gpu_basis = _gpu_hours(constraints, catalogue, training_gb, assumed)
    return Demand(
        peak_rps=peak,
        avg_rps=peak * a.avg_to_peak_ratio,
        gb_per_day=gb,
        cadence=cadence,
        runs_per_month=runs,
        training_gb_per_run=training_gb,
        pipeline_runs_per_month=runs + 30,
        regions=regions,
        gpu_hours_per_run=gpu_hours,
        gpu_basis=gpu_basis,
        assumed=assumed,
    )


def _gpu_hours(constraints: Constraints, catalogue: Catalogue, training_gb: float,
               assumed: list[str]) -> tuple[float | None, str]:
    """GPU-hours per training run for a stated model size: 6 x parameters x tokens FLOPs.

    Tokens come from the stated corpus, else from the stated daily volume over the training
    window, else from the documented fine-tuning default.
    """
    a, params = catalogue.assumptions, constraints.model_params_billion
    if params is None:
        return None, ""
    if constraints.training_data_gb or constraints.batch_volume_gb_per_day:
        tokens = training_gb * a.tokens_per_gb
    else:
        tokens = a.default_training_tokens_billion * 1e9
        assumed.append(f"{a.default_training_tokens_billion:g}B training tokens per run (corpus size not stated)")
    flops = a.flops_per_param_token * params * 1e9 * tokens
    hours = flops / (a.gpu_peak_tflops * 1e12 * a.gpu_utilisation) / 3600
    basis = (f"{params:g}B parameters x {tokens / 1e9:,.1f}B tokens x {a.flops_per_param_token:g} FLOPs "
             f"at {a.gpu_utilisation:.0%} of {a.gpu_peak_tflops:g} TFLOPS")
    return hours, basis


def _serving_regions(option: Option, demand: Demand) -> list[str]:
    return demand.regions if option.capability in REPLICATED else demand.regions[:1]


def quote(option: Option, cloud: str, demand: Demand, catalogue: Catalogue) -> Quote:
    """Monthly USD for ``option`` on ``cloud`` under ``demand`` (all serving regions)."""
    regions = _serving_regions(option, demand) or [""]
    share = 1.0 / len(regions)  # replicated services split the load between regions
    total, units_total, bases = 0.0, 0, []
    for region in regions:
        usd, units, basis = _quote_one(option, cloud, demand, catalogue, share)
        usd *= catalogue.multiplier(cloud, region)
        total += usd
        units_total += units
        bases.append(f"{region or cloud}: {basis}")
    date = f"list price of {option.price_date}"
    return Quote(monthly_usd=round(total, 2), units=units_total, basis="; ".join(bases) + f" ({date})")


def _quote_one(option: Option, cloud: str, demand: Demand, catalogue: Catalogue,
               share: float) -> tuple[float, int, str]:
    """USD, units and basis in the reference region for one copy of the service."""
    a, cost = catalogue.assumptions, option.cost
    price, base = cost.unit_price(cloud), cost.base_monthly_usd
    extra = f" + ${base:g} base" if base else ""
    if cost.kind == "instance_hours":
        units = cost.min_units
        if cost.rps_per_unit:
            units = max(units, math.ceil(demand.peak_rps * share / cost.rps_per_unit))
        usd = units * a.hours_per_month * price + base
        return usd, units, f"{units} x {cost.unit} at ${price:g} x {a.hours_per_month:g} h{extra}"
    if cost.kind == "requests":
        millions = demand.avg_rps * share * a.seconds_per_month / 1e6
        usd = millions * price + base
        return usd, 1, f"{millions:,.1f} x {cost.unit} at ${price:g}{extra}"
    if cost.kind == "gb_processed":
        gb = demand.gb_per_day * 30
        return gb * price + base, 1, f"{gb:,.0f} {cost.unit} at ${price:g}{extra}"
    if cost.kind == "gb_stored":
        gb = demand.gb_per_day * (cost.retention_days or 0)
        return gb * price + base, 1, f"{gb:,.0f} {cost.unit} ({cost.retention_days} days kept) at ${price:g}{extra}"
    if cost.kind == "job_hours":
        return _job_quote(option, demand, cloud, price, base, extra)
    if cost.kind == "per_run":
        runs = demand.pipeline_runs_per_month
        return runs * price + base, 1, f"{runs:g} x {cost.unit} at ${price:g}{extra}"
    return base, 1, f"{cost.unit}: ${base:g} a month"


def _job_quote(option: Option, demand: Demand, cloud: str, price: float, base: float,
               extra: str) -> tuple[float, int, str]:
    cost = option.cost
    gpu_price = cost.gpu_price(cloud)
    if cost.per_run == "training" and demand.gpu_hours_per_run is not None and gpu_price is not None:
        runs, hours = demand.runs_per_month, demand.gpu_hours_per_run
        usd = runs * hours * gpu_price + base
        return usd, cost.min_units, (f"{runs:g} runs x {hours:,.0f} GPU-hours at ${gpu_price:g} "
                                     f"({demand.gpu_basis}){extra}")
    if cost.per_run == "training":
        runs, gb = demand.runs_per_month, demand.training_gb_per_run
    else:
        runs, gb = 30.0, demand.gb_per_day
    hours = max(cost.min_hours, gb / ((cost.gb_per_unit_hour or 1) * cost.min_units))
    usd = runs * hours * cost.min_units * price + base
    basis = (f"{runs:g} runs x {hours:.2f} h x {cost.min_units} {cost.unit} at ${price:g}"
             f" ({gb:,.0f} GB per run){extra}")
    return usd, cost.min_units, basis
