import pytest

from agilab_lab.agents import policy
from agilab_lab.agents.catalogue import default_catalogue
from agilab_lab.agents.critics import cost_review, technical_review
from agilab_lab.agents.feasibility import explain, next_round
from agilab_lab.agents.planner import Weights, make_plan
from agilab_lab.agents.types import LatencySLO

from .designer_samples import FORECAST, FRAUD, IMPOSSIBLE


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


def _review(constraints, catalogue, **plan_kwargs):
    result = make_plan(constraints, catalogue, **plan_kwargs)
    tech, cost = technical_review(result, constraints, catalogue), cost_review(result, constraints, catalogue)
    report = policy.evaluate(constraints, result.plan, cost.estimate, tech.latency_budget, catalogue)
    return result, tech, cost, report


def test_feasible_designs_pass_both_critics_and_policy(catalogue):
    for constraints in (FRAUD, FORECAST):
        _, tech, cost, report = _review(constraints, catalogue)
        assert tech.passed and cost.passed and report.passed, (tech.findings, cost.findings, report.violations)
        assert cost.estimate.monthly_usd <= constraints.budget_monthly_usd


def test_latency_budget_adds_request_path_components_and_hops(catalogue):
    result, tech, _, _ = _review(FRAUD, catalogue)
    budget = tech.latency_budget
    path = [c["p99_ms"] for c in budget["components"]]
    assert {c["capability"] for c in budget["components"]} == {"feature", "serve"}
    assert budget["estimate_ms"] == pytest.approx(sum(path) + budget["network_ms"])
    assert budget["within_slo"] is True


def test_tight_slo_gives_a_blocking_latency_finding_and_a_policy_error(catalogue):
    tight = FRAUD.model_copy(update={"latency_slo": LatencySLO(percentile=99, ms=10)})
    _, tech, _, report = _review(tight, catalogue)
    latency = [f for f in tech.findings if f.kind == "latency"]
    assert latency and latency[0].blocking and latency[0].option_ids
    assert any(v.rule == "latency" for v in report.violations) and not report.passed


def test_over_budget_names_the_priciest_components(catalogue):
    poor = FRAUD.model_copy(update={"budget_monthly_usd": 500.0})
    result, _, cost, report = _review(poor, catalogue)
    assert not cost.passed
    priciest = max(cost.estimate.breakdown, key=lambda line: line.monthly_usd)
    assert cost.findings[0].option_ids[0] == result.plan.component(priciest.capability).option_id
    assert [v.rule for v in report.violations if v.severity == "error"] == ["budget"]


def test_gdpr_outside_the_eu_is_a_residency_violation(catalogue):
    us = FRAUD.model_copy(update={"regions": ["us-east-1"]})
    _, _, _, report = _review(us, catalogue)
    assert any(v.rule == "residency" for v in report.violations)


def test_public_exposure_and_missing_encryption_are_errors_for_regulated_data(catalogue):
    result, tech, cost, _ = _review(FRAUD, catalogue)
    store = result.plan.component("store")
    store.sizing["encryption_at_rest"] = "none"
    result.plan.component("feature").sizing["exposure"] = "public"
    report = policy.evaluate(FRAUD, result.plan, cost.estimate, tech.latency_budget, catalogue)
    errors = {v.rule for v in report.violations if v.severity == "error"}
    assert {"encryption", "public-exposure"} <= errors and not report.passed


def test_next_round_rules_out_named_options_and_raises_weights(catalogue):
    result, tech, cost, _ = _review(IMPOSSIBLE, catalogue)
    excluded, weights = next_round(tech.findings + cost.findings, [], Weights())
    assert result.plan.component("serve").option_id in excluded or result.plan.component("feature").option_id in excluded
    assert weights.cost == 3 * Weights().cost and weights.latency == 3 * Weights().latency


def test_infeasibility_prices_each_relaxation_from_the_catalogue(catalogue):
    _, tech, cost, _ = _review(IMPOSSIBLE, catalogue)
    verdict = explain(IMPOSSIBLE, catalogue, tech.findings + cost.findings, rounds=3)
    by_constraint = {r.constraint: r for r in verdict.relaxations}
    assert {"budget_monthly_usd", "latency_slo", "regions"} <= set(by_constraint)
    floor = by_constraint["budget_monthly_usd"].monthly_usd_after
    assert floor > IMPOSSIBLE.budget_monthly_usd and f"${floor:,.0f}" in by_constraint["budget_monthly_usd"].relax_to
    assert by_constraint["regions"].monthly_usd_after < cost.estimate.monthly_usd
    assert "3 rounds" in verdict.summary
