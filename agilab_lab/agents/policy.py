"""The policy engine: hard rules a plan must pass before anyone may approve it.

Each rule reads the constraints, the plan, the cost estimate and the latency budget, and
returns violations with a reason. Errors block approval; warnings are reported only.
"""

from __future__ import annotations

from collections.abc import Callable

from .catalogue import Catalogue
from .placement import placement_problem, population_problems
from .planner import DATA_HOLDING, REGIME_OF_DATA_CLASS, required_regimes
from .types import Constraints, CostEstimate, Plan, PolicyReport, Violation

SENSITIVE = frozenset({"pii", "phi", "pci", "confidential"})


class PolicyInput:
    """Everything the rules may read, bundled so each rule has one argument."""

    def __init__(self, constraints: Constraints, plan: Plan, cost: CostEstimate,
                 latency: dict | None, catalogue: Catalogue) -> None:
        self.constraints, self.plan, self.cost = constraints, plan, cost
        self.latency, self.catalogue = latency, catalogue


def budget_rule(p: PolicyInput) -> list[Violation]:
    budget = p.constraints.budget_monthly_usd
    if budget is None or p.cost.monthly_usd <= budget:
        return []
    return [Violation(rule="budget", message=f"estimated ${p.cost.monthly_usd:,.0f}/month exceeds the "
                                             f"${budget:,.0f}/month budget")]


def region_rule(p: PolicyInput) -> list[Violation]:
    """Stated regions, residency (stated or a regime's), excluded areas, per-region authorisation."""
    out = []
    stated = set(p.constraints.regions)
    if stated and not set(p.plan.regions) <= stated:
        extra = sorted(set(p.plan.regions) - stated)
        out.append(Violation(rule="region", message=f"plan uses {', '.join(extra)} outside the stated regions"))
    if p.constraints.populations:  # residency per data population, each against its own rules
        for name, code, problem in population_problems(p.constraints, p.plan.regions, p.plan.cloud, p.catalogue):
            out.append(Violation(rule="residency", message=f"{name.upper()} data would be processed in {code}: "
                                                            f"{problem}"))
        return out
    for code in p.plan.regions:
        problem = placement_problem(p.catalogue.region(p.plan.cloud, code), code, p.constraints, p.catalogue)
        if problem:
            out.append(Violation(rule="residency", message=f"data would be processed in {code}: {problem}"))
    return out


def latency_rule(p: PolicyInput) -> list[Violation]:
    if not p.latency or p.latency.get("within_slo") is not False:
        return []
    return [Violation(rule="latency", message=f"request path estimate {p.latency['estimate_ms']:g} ms misses the "
                                              f"p{p.latency['percentile']} SLO of {p.latency['slo_ms']:g} ms")]


def data_handling_rule(p: PolicyInput) -> list[Violation]:
    """Every component touching PHI/PCI data must be a service certified for that regime.

    Personal data needs no certified service: its rules are encryption with customer-managed
    keys and private access (the encryption and exposure rules), plus the obligations named here.
    """
    out = []
    if "pii" in p.constraints.data_classes:
        out.append(Violation(rule="pii-handling", severity="warning",
                             message="personal data: collect only the fields the model needs, pseudonymise "
                                     "identifiers before training, restrict access, honour deletion requests"))
    for data_class in p.constraints.data_classes:
        regime = REGIME_OF_DATA_CLASS.get(data_class)
        if regime is None:
            continue
        for comp in p.plan.components:
            if regime not in p.catalogue.get(comp.option_id).compliance:
                out.append(Violation(rule=f"{data_class}-handling",
                                     message=f"{comp.service} is not {regime.upper()}-eligible but would handle "
                                             f"{data_class.upper()} data"))
    return out


def compliance_rule(p: PolicyInput) -> list[Violation]:
    """Certifications need certified services (and authorised regions); laws and organisational
    regimes are obligations the report names, checked through encryption and exposure."""
    out = []
    for name in sorted(required_regimes(p.constraints)):
        regime = p.catalogue.regime(name)
        if regime.kind != "certification":
            out.append(Violation(rule="compliance", severity="warning",
                                 message=f"{name.upper()} ({regime.kind.replace('_', ' ')}): {regime.obligations}"))
            continue
        missing = [c.service for c in p.plan.components if name not in p.catalogue.get(c.option_id).compliance]
        if missing:
            out.append(Violation(rule="compliance", message=f"{name.upper()} requires eligible services; "
                                                            f"not eligible: {', '.join(missing)}"))
    return out  # a region outside an authorisation (FedRAMP) is the region rule's finding


def encryption_rule(p: PolicyInput) -> list[Violation]:
    out = []
    for comp in p.plan.components:
        if comp.sizing.get("encryption_in_transit") is None:
            out.append(Violation(rule="encryption", message=f"{comp.service} has no TLS setting"))
        if comp.capability in DATA_HOLDING and comp.sizing.get("encryption_at_rest") != "customer-managed key":
            severity = "error" if set(p.constraints.data_classes) & SENSITIVE else "warning"
            out.append(Violation(rule="encryption", severity=severity,
                                 message=f"{comp.service} stores data without a customer-managed key"))
    return out


def exposure_rule(p: PolicyInput) -> list[Violation]:
    out = []
    for comp in p.plan.components:
        exposure = comp.sizing.get("exposure", "private")
        if exposure == "public":
            out.append(Violation(rule="public-exposure", message=f"{comp.service} is reachable without authentication"))
        elif exposure == "authenticated" and comp.capability != "serve":
            out.append(Violation(rule="public-exposure", severity="warning",
                                 message=f"{comp.service} has a public endpoint; only serving should"))
    return out


RULES: dict[str, Callable[[PolicyInput], list[Violation]]] = {
    "budget": budget_rule, "region": region_rule, "latency": latency_rule,
    "data-handling": data_handling_rule, "compliance": compliance_rule,
    "encryption": encryption_rule, "public-exposure": exposure_rule,
}


def evaluate(constraints: Constraints, plan: Plan, cost: CostEstimate, latency: dict | None,
             catalogue: Catalogue) -> PolicyReport:
    """Run every rule; the plan passes when no violation is an error."""
    subject = PolicyInput(constraints, plan, cost, latency, catalogue)
    violations = [v for rule in RULES.values() for v in rule(subject)]
    return PolicyReport(passed=not any(v.severity == "error" for v in violations),
                        violations=violations, checked=list(RULES))
