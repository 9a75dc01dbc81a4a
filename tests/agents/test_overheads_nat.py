"""The NAT the generated stack renders for a public API outside the cloud is priced, and only
then (agents/data/overheads.toml, when = "external_api")."""

from __future__ import annotations

from agilab_lab.agents.catalogue import default_catalogue
from agilab_lab.agents.overheads import external_apis, overhead_lines
from agilab_lab.agents.planner import make_plan
from agilab_lab.agents.types import Component, Constraints

CAT = default_catalogue()
RAG = Constraints(cloud="aws", regions=["us-east-1"], budget_monthly_usd=25000, workloads=["rag"],
                  throughput_rps=5.0, corpus_pages=1e5)


def _nat(plan, demand):
    return [line for line in overhead_lines(plan, demand, CAT) if line.capability == "nat"]


def test_a_plan_inside_the_cloud_pays_no_nat():
    result = make_plan(RAG, CAT)
    assert external_apis(result.plan) == []
    assert _nat(result.plan, result.demand) == []


def test_a_public_llm_api_adds_the_nat_gateway_and_its_traffic():
    result = make_plan(RAG, CAT)
    plan = result.plan.model_copy(deep=True)
    plan.components.append(Component(capability="generate", service="Anthropic API",
                                     option_id="anthropic.llm", provider="anthropic"))
    assert external_apis(plan) == ["Anthropic API"]
    [line] = _nat(plan, result.demand)
    requests = result.demand.requests_per_month
    gb = requests * 8.0 / 1e6
    multiplier = CAT.multiplier("aws", "us-east-1")
    assert line.monthly_usd == round((gb * 0.045 + 36.5) * multiplier, 2)
    assert "NAT gateway" in line.service and "calls to the public API x 8 KB" in line.basis
    assert "$36.5 a month" in line.basis
