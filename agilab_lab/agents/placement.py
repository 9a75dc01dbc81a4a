"""Where a plan may run: residency areas, excluded areas, per-region authorisations and the
regions where the needed services exist.

The rules read ``regions.toml`` (each region's geo, country, FedRAMP baseline and the services
it lacks) and ``regimes.toml`` (which regimes confine data to an area). A region stated in the
requirements is always kept, even one that lacks a service: the planner then says which
service is missing there instead of moving the design somewhere the text did not ask for.
"""

from __future__ import annotations

from .catalogue import Catalogue, Region
from .types import Constraints, DataPopulation


def stated_regimes(constraints: Constraints) -> list[str]:
    """Regimes named in the requirements, lower-case, in order."""
    return list(dict.fromkeys(c.lower() for c in constraints.compliance))


def residency_rules(constraints: Constraints, catalogue: Catalogue) -> list[tuple[str, set[str]]]:
    """(why, allowed areas) pairs; a region must lie in one area of every pair.

    Stated residency ("data must stay in Germany") is one pair; each stated regime that
    confines data (GDPR: the EU/EEA or an adequate country) is another. Personal data alone
    confines nothing: privacy obligations are about handling, not place.
    """
    rules = []
    if constraints.residency:
        rules.append(("stated residency", {a.lower() for a in constraints.residency}))
    for name in stated_regimes(constraints):
        regime = catalogue.regime(name)
        if regime.residency:
            rules.append((name.upper(), set(regime.residency)))
    return rules


def region_authorisations(constraints: Constraints, catalogue: Catalogue) -> list[tuple[str, str]]:
    """(regime, regions.toml field) pairs a region must carry, e.g. FedRAMP's ``fedramp``."""
    return [(name, regime.region_field) for name in stated_regimes(constraints)
            if (regime := catalogue.regime(name)).region_field]


def placement_problem(region: Region | None, code: str, constraints: Constraints,
                      catalogue: Catalogue) -> str | None:
    """Why data may not be placed in region ``code``, or None when it may."""
    if region is None:
        return None  # an unknown region is the availability check's to explain
    for why, areas in residency_rules(constraints, catalogue):
        if not any(region.in_area(a) for a in areas):
            return f"{why} keeps data in {'/'.join(sorted(a.upper() for a in areas))}; {code} is in {region.city}"
    for entry in constraints.excluded_regions:
        if entry.lower() == code or region.in_area(entry):
            return f"the requirements rule out {entry} ({code} is in {region.city})"
    for name, field in region_authorisations(constraints, catalogue):
        if getattr(region, field) is None:
            return f"{code} is outside the provider's {name.upper()} authorisation"
    return None


def _coverage(cloud: str, region: str, capabilities: list[str], catalogue: Catalogue) -> tuple[int, int]:
    """(needed capabilities with no option offered in ``region``, options not offered there)."""
    options = {cap: catalogue.options_for(cap, cloud) for cap in capabilities}
    missing = {o.id for opts in options.values() for o in opts if catalogue.unavailable(o, cloud, region)}
    gaps = sum(1 for opts in options.values() if all(o.id in missing for o in opts))
    return gaps, len(missing)


def plan_regions(constraints: Constraints, catalogue: Catalogue,
                 capabilities: list[str]) -> tuple[list[str], list[str]]:
    """The plan's regions and the assumptions made choosing them.

    Stated regions are used as they are. Otherwise the cheapest region that every placement
    rule allows and that offers a service for each needed capability is assumed (among equally
    priced ones, the region offering more of the catalogue's services).
    """
    cloud = constraints.cloud or ""
    if constraints.regions:
        return list(constraints.regions), []
    known = catalogue.regions.get(cloud, {})
    allowed = [r for r in known.values() if placement_problem(r, r.code, constraints, catalogue) is None]
    pool = allowed or list(known.values())
    coverage = {r.code: _coverage(cloud, r.code, capabilities, catalogue) for r in pool}
    # a region that can host every capability first, then price, then the fuller service list
    chosen = min(pool, key=lambda r: (coverage[r.code][0] > 0, r.multiplier, coverage[r.code][1], r.code))
    limits = [why for why, _ in residency_rules(constraints, catalogue)]
    limits += [f"no {e.upper() if len(e) == 2 else e}" for e in constraints.excluded_regions]
    limits += [f"{name.upper()}-authorised" for name, _ in region_authorisations(constraints, catalogue)]
    within = f" within {', '.join(limits)}" if limits else ""
    note = f"region {chosen.code} ({chosen.city}) assumed: cheapest {cloud} region{within} (region not stated)"
    if not allowed:
        note += "; no region satisfies every placement rule"
    return [chosen.code], [note]


def population_constraints(constraints: Constraints, population: DataPopulation) -> Constraints:
    """The rules one data population answers to: its own residency and regimes, plus the design's
    residency and regimes that no population claims (those apply to every population's data)."""
    pops = constraints.populations
    claimed_areas = {a.lower() for p in pops for a in p.residency}
    claimed_regimes = {c.lower() for p in pops for c in p.compliance}
    residency = [*population.residency, *(a for a in constraints.residency if a.lower() not in claimed_areas
                                          and a.lower() not in {p.name for p in pops})]
    compliance = [*population.compliance, *(c for c in constraints.compliance if c.lower() not in claimed_regimes)]
    return constraints.model_copy(update={"residency": residency, "compliance": compliance, "populations": []})


def population_problems(constraints: Constraints, plan_regions: list[str], cloud: str,
                        catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """(population, region, why) for every region a population's data would be processed in that
    its rules forbid. A population's data lives in its stated regions, else in every plan region."""
    out = []
    for pop in constraints.populations:
        rules = population_constraints(constraints, pop)
        for code in pop.regions or plan_regions:
            problem = placement_problem(catalogue.region(cloud, code), code, rules, catalogue)
            if problem:
                out.append((pop.name, code, problem))
    return out
