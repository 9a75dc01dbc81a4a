"""Demand derived from constraints, and the monthly price of one option under that demand.

Every figure comes from the catalogue (unit prices, region multipliers, sizing assumptions);
the ``basis`` string of a :class:`Quote` says which price, unit count and assumption it used,
so the cost critic's breakdown can be audited line by line.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from . import sizing
from .catalogue import Catalogue, Option
from .types import Constraints

#: Capabilities on the online request path: replicated in every serving region.
REPLICATED = frozenset({"serve", "feature", "vector", "stream"})
#: Capabilities billed on the whole demand wherever they run (token APIs are not split by region).
PER_TOKEN = frozenset({"generate", "embed"})


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
    # workload sizing (sizing.py): LLM requests and tokens, corpus and index, images, windows
    requests_per_month: float = 0.0
    prompt_tokens: float = 0.0
    answer_tokens: float = 0.0
    corpus_tokens: float = 0.0
    corpus_basis: str = ""
    index_gb: float = 0.0
    images_per_day: float | None = None
    model_params_billion: float | None = None
    latency_tokens: float = 0.0  # output tokens a latency target waits for (0: first token only)
    batch_window_hours: float = 8.0
    training_interval_hours: float = 168.0
    entity_rows: float = 0.0  # counted entities (stores, users...): feature rows written a day
    assumed: list[str] = Field(default_factory=list)


class Quote(BaseModel):
    monthly_usd: float
    units: int
    basis: str
    run_hours: float | None = None  # batch jobs: hours one run takes with ``units``
    window_hours: float | None = None  # batch jobs: hours a run may take


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
    elif sizing.stated_as_average(constraints):  # "14 million answers a month" is an average
        peak = peak / a.avg_to_peak_ratio
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
    llm = bool({"rag", "llm"} & set(constraints.workloads)) or constraints.tokens_per_request is not None
    prompt, answer = sizing.request_tokens(constraints, a, assumed) if llm else (0.0, 0.0)
    tokens, corpus_basis = sizing.corpus_tokens(constraints, a, a.tokens_per_gb)
    if "rag" in constraints.workloads and not tokens:
        tokens, corpus_basis = 10_000 * a.tokens_per_document, f"10,000 documents x {a.tokens_per_document:g}"
        assumed.append("a corpus of 10,000 documents (size not stated)")
    return Demand(
        requests_per_month=peak * a.avg_to_peak_ratio * a.seconds_per_month,
        prompt_tokens=prompt, answer_tokens=answer,
        latency_tokens=0.0 if sizing.first_token_slo(constraints) else answer, corpus_tokens=tokens, corpus_basis=corpus_basis,
        index_gb=sizing.index_gb(tokens, a), images_per_day=sizing.images_per_day(constraints, gb, a),
        model_params_billion=constraints.model_params_billion, batch_window_hours=a.batch_window_hours,
        training_interval_hours=a.hours_per_month / runs, entity_rows=sum(constraints.entity_counts.values()),
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


def _tokens_quote(option: Option, demand: Demand, catalogue: Catalogue, price: float) -> tuple[float, int, str]:
    """An LLM or embedding API billed per token (catalogue ``tokens`` kind)."""
    a, cost = catalogue.assumptions, option.cost
    millions = demand.requests_per_month / 1e6
    if option.capability == "embed":
        refresh = demand.corpus_tokens * a.corpus_refresh_per_month
        queries = demand.requests_per_month * a.query_tokens
        usd = (refresh + queries) * price / 1e6 + cost.base_monthly_usd
        once = demand.corpus_tokens * price / 1e6
        return usd, 1, (f"({demand.corpus_tokens / 1e6:,.0f}M corpus tokens [{demand.corpus_basis}] x "
                        f"{a.corpus_refresh_per_month:g} re-embedded a month + {millions:,.2f}M queries x "
                        f"{a.query_tokens:g} tokens) x ${price:g} per 1M tokens; first embedding ${once:,.0f} once")
    usd = millions * (demand.prompt_tokens * price + demand.answer_tokens * cost.output_price_usd) + cost.base_monthly_usd
    return usd, 1, (f"{millions:,.2f}M requests x ({demand.prompt_tokens:,.0f} input tokens x ${price:g} + "
                    f"{demand.answer_tokens:,.0f} output tokens x ${cost.output_price_usd:g}) per 1M tokens")


def _gpu_tokens_quote(option: Option, demand: Demand, catalogue: Catalogue, price: float,
                      share: float) -> tuple[float, int, str]:
    cost, hours = option.cost, catalogue.assumptions.hours_per_month
    replicas, gpus, basis = sizing.gpu_replicas(cost, demand.peak_rps * share, demand.prompt_tokens,
                                                demand.answer_tokens, demand.model_params_billion)
    units = replicas * gpus
    return (units * hours * price + cost.base_monthly_usd, units,
            f"{basis}: {units} x {cost.unit} at ${price:g} x {hours:g} h")


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
    run_hours = window = None
    if option.cost.kind == "job_hours" and not (option.cost.per_run == "training" and demand.gpu_hours_per_run):
        _, _, run_hours, window, _, _ = job_timing(option, demand, catalogue)
    return Quote(monthly_usd=round(total, 2), units=units_total, basis="; ".join(bases) + f" ({date})",
                 run_hours=run_hours, window_hours=window)


def _quote_one(option: Option, cloud: str, demand: Demand, catalogue: Catalogue,
               share: float) -> tuple[float, int, str]:
    """USD, units and basis in the reference region for one copy of the service."""
    a, cost = catalogue.assumptions, option.cost
    price, base = cost.unit_price(cloud), cost.base_monthly_usd
    extra = f" + ${base:g} base" if base else ""
    if cost.kind == "instance_hours":
        units, index = cost.min_units, ""
        if cost.rps_per_unit:
            units = max(units, math.ceil(demand.peak_rps * share / cost.rps_per_unit))
        if cost.index_gb_per_unit and demand.index_gb:
            units = max(units, math.ceil(demand.index_gb / cost.index_gb_per_unit))
            index = f" (index {demand.index_gb:,.1f} GB at {cost.index_gb_per_unit:g} GB a unit)"
        usd = units * a.hours_per_month * price + base
        return usd, units, f"{units} x {cost.unit} at ${price:g} x {a.hours_per_month:g} h{index}{extra}"
    if cost.kind == "tokens":
        return _tokens_quote(option, demand, catalogue, price)
    if cost.kind == "gpu_tokens":
        return _gpu_tokens_quote(option, demand, catalogue, price, share)
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
        return _job_quote(option, demand, cloud, price, base, extra, catalogue)
    if cost.kind == "per_run":
        runs = demand.pipeline_runs_per_month
        return runs * price + base, 1, f"{runs:g} x {cost.unit} at ${price:g}{extra}"
    return base, 1, f"{cost.unit}: ${base:g} a month"


def job_timing(option: Option, demand: Demand, catalogue: Catalogue) -> tuple[float, int, float, float, str, str]:
    """(runs a month, units, hours a run, window hours, what a run processes, scale-out note) of a
    ``job_hours`` option: images when the option has an image throughput and the workload has
    images, else GB; units grow until a run fits its window (sizing.fit_window)."""
    cost, a = option.cost, catalogue.assumptions
    training = cost.per_run == "training"
    runs = demand.runs_per_month if training else 30.0
    window = demand.training_interval_hours if training else demand.batch_window_hours
    if cost.images_per_unit_hour and demand.images_per_day:
        if training:  # a labelled training set is sampled from the window, up to its cap
            images = min(demand.images_per_day * a.training_window_days[demand.cadence],
                         a.max_training_images) * a.training_epochs
        else:
            images = demand.images_per_day
        work, what = images / cost.images_per_unit_hour, f"{images:,.0f} images per run"
    else:
        gb = demand.training_gb_per_run if training else demand.gb_per_day
        work, what = gb / (cost.gb_per_unit_hour or 1), f"{gb:,.0f} GB per run"
    units, hours, note = sizing.fit_window(work, cost, window)
    return runs, units, hours, window, what, note


def _job_quote(option: Option, demand: Demand, cloud: str, price: float, base: float,
               extra: str, catalogue: Catalogue) -> tuple[float, int, str]:
    cost = option.cost
    gpu_price = cost.gpu_price(cloud)
    if cost.per_run == "training" and demand.gpu_hours_per_run is not None and gpu_price is not None:
        runs, hours = demand.runs_per_month, demand.gpu_hours_per_run
        usd = runs * hours * gpu_price + base
        return usd, cost.min_units, (f"{runs:g} runs x {hours:,.0f} GPU-hours at ${gpu_price:g} "
                                     f"({demand.gpu_basis}){extra}")
    runs, units, hours, _, what, note = job_timing(option, demand, catalogue)
    usd = runs * hours * units * price + base
    basis = f"{runs:g} runs x {hours:.2f} h x {units} {cost.unit} at ${price:g} ({what}){note}{extra}"
    return usd, units, basis
