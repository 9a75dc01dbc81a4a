"""The planner: one catalogue option per needed capability, chosen under the constraints.

Choice is two-staged. Hard filters drop options that cannot be used at all (wrong cloud, not
offered in a required region, not eligible for a required compliance regime, uses a tool the
requirements avoid, wrong mode, throughput or volume envelope too small). The survivors are
scored on cost (relative to the budget), latency (on the online path, relative to the SLO),
operational burden, stated preferences and coherence with the options already picked; lowest
score wins. Every loser is recorded with the reason it lost, which is what reason cards show.

Critic findings from an earlier round come back as ``excluded`` option ids and heavier weights.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from .catalogue import Catalogue, Option
from .costing import Demand, Quote, demand_for, quote
from .placement import plan_regions
from .types import Alternative, Component, Constraints, Plan

REQUEST_WORKLOADS = frozenset({"realtime_inference", "rag", "fraud_detection"})
FLEXIBLE_WORKLOADS = frozenset({"recommendation", "computer_vision"})
BATCH_WORKLOADS = frozenset({"batch_inference", "forecasting"})
#: Workloads that look features up per request (RAG retrieves documents instead).
FEATURE_WORKLOADS = frozenset({"fraud_detection", "recommendation", "anomaly_detection"})
#: Workloads that call a language model (a stated tokens-per-request figure does too).
LLM_WORKLOADS = frozenset({"rag", "llm"})
#: Capabilities a request passes through, in order: their latencies add up.
ONLINE_PATH = ("feature", "embed", "vector", "generate", "serve")
#: Choice order: the data platform first, then what builds on it.
CHOICE_ORDER = ("store", "ingest", "stream", "transform", "train", "serve", "feature",
                "embed", "vector", "generate", "orchestrate", "observe", "govern")
DATA_HOLDING = frozenset({"store", "feature", "vector", "stream", "ingest"})
#: Data classes that need services certified for a regime. Personal data (PII) is not here:
#: privacy laws set handling obligations (encryption, access, deletion), checked by the policy.
REGIME_OF_DATA_CLASS = {"pci": "pci-dss", "phi": "hipaa"}
TOOL_ALIASES = {"k8s": "kubernetes", "eks": "kubernetes", "gke": "kubernetes", "aks": "kubernetes",
                "kubeflow": "kubeflow", "sage maker": "sagemaker", "aws sagemaker": "sagemaker",
                "vertex ai": "vertex", "azure ml": "azureml", "azure machine learning": "azureml",
                "apache kafka": "kafka", "apache airflow": "airflow", "apache spark": "spark"}


def generator_supports(terraform_kind: str, cloud: str) -> bool:
    """Whether the repository generator can render this service (containers always can)."""
    try:
        from agilab_lab.repogen.kinds import UnsupportedKindError, is_terraform_kind, resolve_kind
    except ImportError:  # no generator installed: nothing to be constrained by
        return True
    if not is_terraform_kind(terraform_kind):
        return True
    try:
        resolve_kind(terraform_kind, cloud)
    except UnsupportedKindError:
        return False
    return True


RULED_OUT = "ruled out by the critics in an earlier round"
#: Rejections no planning round can lift: the option could never do what is asked.
PERMANENT = ("avoid", "eligible", "no GPU training", "needs a GPU")


class PlanningError(ValueError):
    """The constraints lack what planning needs (a cloud); clarify first."""


@dataclass(frozen=True)
class Weights:
    """Score weights; critics raise ``cost`` or ``latency`` when a round fails on them."""

    cost: float = 1.0
    latency: float = 0.6
    ops: float = 0.8
    preference: float = 0.5
    coherence: float = 0.15


@dataclass
class PlanResult:
    plan: Plan
    demand: Demand
    assumptions: list[str] = field(default_factory=list)
    unmet: list[str] = field(default_factory=list)  # capabilities with no option passing hard filters
    unmet_reasons: dict[str, str] = field(default_factory=dict)  # capability -> why every option failed


def normalise_tool(name: str) -> str:
    name = name.strip().lower()
    return TOOL_ALIASES.get(name, name)


def required_regimes(constraints: Constraints) -> set[str]:
    """Compliance regimes the design answers to (stated, or implied by PHI/PCI data)."""
    regimes = {c.lower() for c in constraints.compliance}
    regimes |= {REGIME_OF_DATA_CLASS[d] for d in constraints.data_classes if d in REGIME_OF_DATA_CLASS}
    return regimes


def certified_regimes(constraints: Constraints, catalogue: Catalogue) -> set[str]:
    """Regimes every component must be a certified service for (privacy laws are not)."""
    return {r for r in required_regimes(constraints) if catalogue.regime(r).kind == "certification"}


def serving_mode(constraints: Constraints) -> str:
    """"online" when something must answer requests, else "batch".

    Request-driven workloads and a latency SLO mean online; recommendation and computer
    vision are online only when no batch workload says they are scored in batches.
    """
    workloads = set(constraints.workloads)
    if workloads & REQUEST_WORKLOADS or constraints.latency_slo:
        return "online"
    if workloads & FLEXIBLE_WORKLOADS and not workloads & BATCH_WORKLOADS:
        return "online"
    return "batch"


def required_capabilities(constraints: Constraints) -> dict[str, str | None]:
    """Capability -> required mode (None when any mode will do)."""
    workloads = set(constraints.workloads)
    streaming = "streaming" in workloads
    mode = serving_mode(constraints)
    needed: dict[str, str | None] = {"store": None, "ingest": "stream" if streaming else "batch",
                                     "transform": None, "orchestrate": None, "observe": None, "govern": None}
    rag_only = "rag" in workloads and not workloads & (FEATURE_WORKLOADS | BATCH_WORKLOADS | {"training"})
    if not (rag_only and constraints.retrain_cadence is None):
        needed["train"] = None  # a RAG system uses pretrained models unless retraining is asked for
    needed["serve"] = mode
    if streaming:
        needed["stream"] = None
    if mode == "online" and not rag_only and (workloads & FEATURE_WORKLOADS or "realtime_inference" in workloads):
        needed["feature"] = None
    if "rag" in workloads:
        needed["vector"] = None
        needed["embed"] = None
    if workloads & LLM_WORKLOADS or constraints.tokens_per_request is not None:
        needed["generate"] = None
    return {cap: needed[cap] for cap in CHOICE_ORDER if cap in needed}


def gpu_needs(constraints: Constraints, catalogue: Catalogue) -> dict[str, str]:
    """Capability -> why it needs a GPU (``assumptions.toml [gpu_needs]``; "model_size" applies
    when the text states a model size)."""
    needs: dict[str, str] = {}
    reasons = [w for w in constraints.workloads if w in catalogue.assumptions.gpu_needs]
    if constraints.model_params_billion is not None:
        reasons.append("model_size")
    for reason in reasons:
        for capability in catalogue.assumptions.gpu_needs[reason]:
            why = (f"a {constraints.model_params_billion:g}B-parameter model" if reason == "model_size"
                   else reason.replace("_", " "))
            needs.setdefault(capability, why)
    return needs


def _gpu_problem(option: Option, constraints: Constraints, demand: Demand, needs: dict[str, str]) -> str | None:
    why = needs.get(option.capability)
    if why is None or option.accelerator == "gpu":
        return None
    if option.capability == "train" and "parameter" in why:
        return None  # model-size training is priced in GPU-hours (the "no GPU training" rule)
    return f"CPU only: {why} needs a GPU for {option.capability}"


def rejection(option: Option, constraints: Constraints, mode: str | None, regions: list[str],
              demand: Demand, excluded: set[str], catalogue: Catalogue) -> str | None:
    """Why ``option`` cannot be used at all, or None when it passes the hard filters."""
    cloud = constraints.cloud or ""
    missing = [why for r in regions if (why := catalogue.unavailable(option, cloud, r))]
    if missing:
        return "; ".join(missing)
    regimes = certified_regimes(constraints, catalogue) - set(option.compliance)
    if regimes:
        return f"not eligible for {', '.join(sorted(regimes)).upper()}"
    avoided = {normalise_tool(t) for t in constraints.tooling_avoid} & set(option.tools)
    if avoided:
        return f"uses {', '.join(sorted(avoided))}, which the requirements avoid"
    if mode and option.modes and mode not in option.modes:
        return f"{'/'.join(option.modes)} only; {mode} is needed"
    per_region_rps = demand.peak_rps / max(len(regions), 1)
    if option.max_rps and option.capability in ONLINE_PATH + ("stream",) and per_region_rps > option.max_rps:
        return f"tops out at {option.max_rps:,.0f} rps; {per_region_rps:,.0f} rps per region needed"
    if option.max_gb_per_day and demand.gb_per_day > option.max_gb_per_day:
        return f"handles up to {option.max_gb_per_day:,.0f} GB/day; {demand.gb_per_day:,.0f} needed"
    if (option.capability == "train" and demand.gpu_hours_per_run is not None
            and option.cost.gpu_price(constraints.cloud or "") is None):
        return f"no GPU training: cannot train a {constraints.model_params_billion:g}B-parameter model"
    gpu = _gpu_problem(option, constraints, demand, gpu_needs(constraints, catalogue))
    if gpu:
        return gpu
    if option.id in excluded:
        return RULED_OUT
    return None


@dataclass
class _Scored:
    option: Option
    quote: Quote
    score: float
    terms: dict[str, float]


def _score(option: Option, q: Quote, constraints: Constraints, weights: Weights,
           chosen_tools: set[str], demand: Demand) -> _Scored:
    scale = constraints.budget_monthly_usd or 1000.0
    terms = {"cost": weights.cost * q.monthly_usd / max(scale, 1.0),
             "ops": weights.ops * (option.ops_burden - 1) / 4}
    latency = option.latency_for(demand.latency_tokens)
    if option.capability in ONLINE_PATH and latency:
        slo = constraints.latency_slo.ms if constraints.latency_slo else (
            10_000.0 if option.capability == "generate" else 200.0)
        terms["latency"] = weights.latency * latency / slo
    prefer = {normalise_tool(t) for t in constraints.tooling_prefer}
    if prefer & set(option.tools):  # each stated tool the option uses counts ("dbt on Synapse": two)
        terms["preference"] = -weights.preference * len(prefer & set(option.tools))
    if chosen_tools & set(option.tools):
        terms["coherence"] = -weights.coherence
    return _Scored(option, q, sum(terms.values()), terms)


def _p99(option: Option) -> str:
    """An option's catalogue p99 for a sentence; some options (streams, stores) state none."""
    return "unknown" if option.latency_ms_p99 is None else f"{option.latency_ms_p99:g} ms"


def _why_lost(loser: _Scored, winner: _Scored) -> str:
    """The score term that separates ``loser`` from ``winner`` most, in words."""
    gaps = {k: loser.terms.get(k, 0.0) - winner.terms.get(k, 0.0) for k in {*loser.terms, *winner.terms}}
    term = max(gaps, key=lambda k: gaps[k])
    lo, wo = loser.option, winner.option
    if term == "cost":
        return f"costs ${loser.quote.monthly_usd:,.0f}/month vs ${winner.quote.monthly_usd:,.0f}"
    if term == "latency":
        return f"p99 {_p99(lo)} vs {_p99(wo)} on the request path"
    if term == "ops":
        return f"more to operate (ops burden {lo.ops_burden}/5 vs {wo.ops_burden}/5)"
    if term == "preference":
        return f"lost to {wo.service}, which matches a stated tooling preference"
    return f"lost to {wo.service}, which shares tooling with components already chosen"


def _workload_sizing(option: Option, q: Quote, demand: Demand, cloud: str) -> dict:
    """What sizes the component beyond units: GPU class, model, run time against its window."""
    extra: dict = {"covers": [option.capability, *option.covers], "formula": option.formula()}
    gpu_training = option.capability == "train" and demand.gpu_hours_per_run is not None \
        and option.cost.gpu_price(cloud) is not None
    if option.accelerator == "gpu" or gpu_training:
        extra["accelerator"] = "gpu"
        extra["gpu"] = option.gpu or f"A100-class GPU-hours at ${option.cost.gpu_price(cloud):g}"
    if option.model:
        extra["model_id"] = option.model
    if q.run_hours is not None:
        extra["run_hours"], extra["window_hours"] = round(q.run_hours, 2), round(q.window_hours or 0, 2)
    return extra


def _component(capability: str, winner: _Scored, ranked: list[_Scored], rejected: list[tuple[Option, str]],
               cloud: str, mode: str | None, demand: Demand) -> Component:
    alternatives = [Alternative(option_id=s.option.id, service=s.option.service, reason_lost=_why_lost(s, winner),
                                score=round(s.score, 3), monthly_usd=s.quote.monthly_usd) for s in ranked[1:]]
    alternatives += [Alternative(option_id=o.id, service=o.service, reason_lost=why) for o, why in rejected]
    option = winner.option
    sizing = {"units": winner.quote.units, "unit": option.cost.unit, "cost_basis": winner.quote.basis,
              "encryption_at_rest": "customer-managed key" if capability in DATA_HOLDING else "provider-managed key",
              "encryption_in_transit": "tls1.2+",
              "exposure": "authenticated" if capability == "serve" and mode == "online" else "private"}
    sizing.update(_workload_sizing(option, winner.quote, demand, cloud))
    if mode:
        sizing["mode"] = mode
    summary = ", ".join(f"{k} {v:+.2f}" for k, v in sorted(winner.terms.items()))
    return Component(capability=capability, service=option.service, option_id=option.id,
                     provider=option.provider if option.provider != "oss" else cloud,
                     terraform_kind=option.terraform_kind, monthly_usd=winner.quote.monthly_usd,
                     latency_ms=option.latency_for(demand.latency_tokens), max_rps=option.max_rps, sizing=sizing,
                     rationale=f"lowest score {winner.score:.2f} ({summary}) among {len(ranked)} eligible options",
                     alternatives=alternatives, score=round(winner.score, 3))


def _summary(rejected: list[tuple[Option, str]], limit: int = 3) -> str:
    """The distinct reasons options were rejected, a missing service in the region first."""
    reasons = sorted(dict.fromkeys(why for _, why in rejected), key=lambda why: "not offered in" not in why)
    return "; ".join(reasons[:limit])


def _least_bad(rejected: list[tuple[Option, str]]) -> list[Option]:
    """Options to keep when none passes: those only the critics ruled out (they fit the ask but
    failed on cost or latency), else those not rejected for good."""
    return ([o for o, why in rejected if why == RULED_OUT]
            or [o for o, why in rejected if not any(p in why for p in PERMANENT)])


def _prefer_buildable(eligible: list[Option], cloud: str, buildable: Callable[[str, str], bool]
                      ) -> tuple[list[Option], list[tuple[Option, str]]]:
    """Keep options the generator can render, when there is at least one such option."""
    ok = [o for o in eligible if buildable(o.terraform_kind, cloud)]
    if not ok:
        return eligible, []
    return ok, [(o, f"the repository generator has no template for {o.terraform_kind} yet")
                for o in eligible if o not in ok]


def make_plan(constraints: Constraints, catalogue: Catalogue, *, excluded: set[str] | None = None,
              weights: Weights | None = None,
              buildable: Callable[[str, str], bool] = generator_supports) -> PlanResult:
    """Choose one option per required capability; see the module docstring.

    ``buildable`` says whether the repository generator can render an option; options it
    cannot render lose to ones it can, so an approved plan can always be generated.
    """
    if constraints.cloud is None:
        raise PlanningError("no cloud in the constraints: ask which cloud before planning")
    cloud, weights, excluded = constraints.cloud, weights or Weights(), excluded or set()
    capabilities = required_capabilities(constraints)
    regions, assumptions = plan_regions(constraints, catalogue, list(capabilities))
    demand = demand_for(constraints, catalogue, regions, online=serving_mode(constraints) == "online")
    components, unmet, unmet_reasons, chosen_tools = [], [], {}, set()
    for capability, mode in capabilities.items():
        candidates = catalogue.options_for(capability, cloud)
        verdicts = [(o, rejection(o, constraints, mode, regions, demand, excluded, catalogue)) for o in candidates]
        eligible = [o for o, why in verdicts if why is None]
        rejected = [(o, why) for o, why in verdicts if why is not None]
        if not eligible:  # keep the least-bad so critics can explain the conflict
            unmet.append(capability)
            unmet_reasons[capability] = _summary(rejected)
            eligible = _least_bad(rejected) or candidates
            rejected = [(o, why) for o, why in rejected if o not in eligible]
        eligible, unbuildable = _prefer_buildable(eligible, cloud, buildable)
        rejected += unbuildable
        order = {o.id: i for i, o in enumerate(candidates)}  # ties go to the catalogue's first listing
        scored = sorted((_score(o, quote(o, cloud, demand, catalogue), constraints, weights, chosen_tools, demand)
                         for o in eligible), key=lambda s: (round(s.score, 9), order[s.option.id]))
        components.append(_component(capability, scored[0], scored, rejected, cloud, mode, demand))
        chosen_tools |= set(scored[0].option.tools)
    plan = Plan(cloud=cloud, region=regions[0], regions=regions, workloads=list(constraints.workloads),
                components=components)
    return PlanResult(plan=plan, demand=demand, assumptions=assumptions + demand.assumed, unmet=unmet,
                      unmet_reasons=unmet_reasons)


def cheapest_variant(constraints: Constraints, catalogue: Catalogue) -> PlanResult:
    """The plan that only minimises cost (used to say what relaxing the budget would take)."""
    return make_plan(constraints, catalogue, weights=Weights(cost=1.0, latency=0.0, ops=0.0,
                                                              preference=0.0, coherence=0.0))


def fastest_variant(constraints: Constraints, catalogue: Catalogue) -> PlanResult:
    """The plan that only minimises request-path latency."""
    return make_plan(constraints, catalogue, weights=replace(Weights(), cost=0.001, latency=100.0, ops=0.0))
