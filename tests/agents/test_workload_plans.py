"""Plans that cover the whole workload (issue 10): LLM generation, embeddings and vector stores
for RAG, GPUs for vision, batch jobs that fit their window, the cost lines every bill has,
critics that block on unmet needs and preferences, and residency per data population."""

from __future__ import annotations

import pytest

from agilab_lab.agents import policy
from agilab_lab.agents.catalogue import CLOUDS, default_catalogue
from agilab_lab.agents.critics import cost_estimate, cost_review, latency_budget, technical_review
from agilab_lab.agents.planner import Weights, make_plan
from agilab_lab.agents.sizing import fit_window
from agilab_lab.agents.types import Constraints, DataPopulation

CAT = default_catalogue()
RAG = Constraints(cloud="azure", regions=["westeurope"], budget_monthly_usd=25000, workloads=["rag"],
                  latency_slo={"percentile": 95, "ms": 4000}, throughput_rps=5.4, corpus_pages=2e6,
                  evidence={"throughput_rps": "14 million answers a month"})
VISION = Constraints(cloud="aws", regions=["eu-central-1"], budget_monthly_usd=30000, batch_volume_gb_per_day=300,
                     workloads=["computer_vision", "batch_inference", "training"], retrain_cadence="weekly")


def _findings(result, constraints):
    return technical_review(result, constraints, CAT).findings


def test_every_cloud_offers_generation_embeddings_and_gpus_with_formulas():
    for cloud in CLOUDS:
        for capability in ("generate", "embed", "vector"):
            assert CAT.options_for(capability, cloud), (cloud, capability)
        assert any(o.accelerator == "gpu" for o in CAT.options_for("train", cloud))
        assert any(o.accelerator == "gpu" and "batch" in o.modes for o in CAT.options_for("serve", cloud))
    assert all(o.formula() and o.price_date for o in CAT.options)
    assert all(o.gpu for o in CAT.options if o.accelerator == "gpu")


def test_rag_plan_prices_tokens_and_waits_for_generation():
    result = make_plan(RAG, CAT)
    caps = {c.capability for c in result.plan.components}
    assert {"generate", "embed", "vector"} <= caps
    # 14 M answers a month were stated as a monthly figure: that many requests are priced
    assert result.demand.requests_per_month == pytest.approx(14e6, rel=0.02)
    lines = {line.capability: line for line in cost_estimate(result.plan, result.demand, CAT).breakdown}
    assert "input tokens x $" in lines["generate"].basis and "output tokens" in lines["generate"].basis
    assert lines["generate"].monthly_usd > 1000  # the dominant cost is no longer invisible
    assert "corpus tokens" in lines["embed"].basis and "first embedding" in lines["embed"].basis
    budget = latency_budget(result.plan, RAG, CAT)
    path = {c["capability"]: c["p99_ms"] for c in budget["components"]}
    assert {"embed", "vector", "generate"} <= path.keys() and path["generate"] > 1000
    assert budget["estimate_ms"] > path["generate"] * 0.85


def test_a_first_token_target_holds_generation_to_its_time_to_first_token():
    ttft = RAG.model_copy(update={"evidence": {**RAG.evidence, "latency_slo": "first token within 800 ms"}})
    generate = make_plan(ttft, CAT).plan.component("generate")
    assert generate.latency_ms == CAT.get(generate.option_id).ttft_ms


def test_vision_trains_and_scores_on_gpus_and_every_job_fits_its_window():
    result = make_plan(VISION, CAT)
    for cap in ("train", "serve"):
        assert result.plan.component(cap).sizing["accelerator"] == "gpu", cap
    jobs = [c for c in result.plan.components if "run_hours" in c.sizing]
    assert jobs and all(c.sizing["run_hours"] <= c.sizing["window_hours"] for c in jobs)
    transform = result.plan.component("transform")
    assert "scaled out" in transform.sizing["cost_basis"] and transform.sizing["units"] > 1
    assert any(f.kind == "scale_out" and not f.blocking for f in _findings(result, VISION))


def test_fit_window_scales_out_only_when_a_run_is_too_long():
    cost = CAT.get("aws.sagemaker_processing").cost
    assert fit_window(4.0, cost, 8.0) == (1, 4.0, "")
    units, hours, note = fit_window(30.0, cost, 8.0)
    assert (units, hours) == (4, 7.5) and "scaled out to 4 units" in note


def test_a_missing_generation_component_or_a_cpu_for_vision_blocks():
    rag = make_plan(RAG, CAT)
    assert not [f for f in _findings(rag, RAG) if f.kind == "need"]
    rag.plan.components = [c for c in rag.plan.components if c.capability != "generate"]
    need = [f for f in _findings(rag, RAG) if f.kind == "need"]
    assert need and need[0].blocking and need[0].capability == "generate"
    vision = make_plan(VISION, CAT)
    vision.plan.component("serve").sizing.pop("accelerator")
    assert any(f.kind == "need" and f.subject == "gpu" and f.blocking for f in _findings(vision, VISION))


def test_a_stated_preference_is_honoured_or_named():
    dbt = Constraints(cloud="azure", regions=["northeurope"], workloads=["training", "batch_inference"],
                      batch_volume_gb_per_day=20, budget_monthly_usd=3000, tooling_prefer=["dbt", "synapse"])
    result = make_plan(dbt, CAT)
    assert "dbt" in CAT.get(result.plan.component("transform").option_id).tools
    assert not [f for f in _findings(result, dbt) if f.kind == "preference"]
    # a plan that ignores preferences (as an earlier round might) gets a blocking finding naming dbt
    ignored = make_plan(dbt, CAT, weights=Weights(preference=0.0))
    found = [f for f in _findings(ignored, dbt) if f.kind == "preference"]
    assert found and found[0].subject == "dbt" and found[0].blocking and "dbt" in found[0].message
    # a tool no option uses cannot block, but it is still named
    pinecone = RAG.model_copy(update={"tooling_prefer": ["pinecone", "terraform"]})
    found = [f for f in _findings(make_plan(pinecone, CAT), pinecone) if f.kind == "preference"]
    assert [f.subject for f in found] == ["pinecone"] and not found[0].blocking


def test_overhead_lines_every_bill_has():
    result = make_plan(RAG, CAT)
    lines = {line.capability: line for line in cost_estimate(result.plan, result.demand, CAT).breakdown}
    for cap in ("network", "egress", "logs", "audit", "monitoring_jobs"):
        assert lines[cap].monthly_usd > 0 and "list price of" in lines[cap].basis, cap
    assert "feature_writes" not in lines  # no feature store, no writes
    fraud = Constraints(cloud="aws", regions=["eu-west-1"], workloads=["realtime_inference", "fraud_detection"],
                        throughput_rps=200, entity_counts={"customers": 2_000_000})
    plan = make_plan(fraud, CAT)
    writes = [line for line in cost_estimate(plan.plan, plan.demand, CAT).breakdown if line.capability == "feature_writes"]
    if CAT.get(plan.plan.component("feature").option_id).cost.kind == "requests":
        assert writes and "2,000,000 entity rows" in writes[0].basis
    else:
        assert not writes


def _two_populations(regions: list[str], eu_regions: list[str]) -> Constraints:
    return Constraints(cloud="aws", regions=regions, compliance=["gdpr"], workloads=["realtime_inference"],
                       throughput_rps=300, latency_slo={"percentile": 99, "ms": 200}, budget_monthly_usd=6000,
                       populations=[DataPopulation(name="eu", regions=eu_regions, compliance=["gdpr"]),
                                    DataPopulation(name="us", regions=["us-east-1"])])


def _policy(constraints: Constraints):
    result = make_plan(constraints, CAT)
    cost = cost_review(result, constraints, CAT).estimate
    return policy.evaluate(constraints, result.plan, cost, latency_budget(result.plan, constraints, CAT), CAT)


def test_residency_is_checked_per_data_population():
    valid = _two_populations(["eu-west-1", "us-east-1"], ["eu-west-1"])
    assert _policy(valid).passed
    # the same regions under one design-wide GDPR rule would put EU rules on the US region
    assert not _policy(valid.model_copy(update={"populations": []})).passed
    # EU data pinned to a US region violates its own population's rule
    crossed = _two_populations(["us-east-1"], ["us-east-1"])
    report = _policy(crossed)
    assert not report.passed and any("EU data" in v.message for v in report.violations if v.rule == "residency")


def test_a_warehouse_source_is_read_by_a_warehouse_reader_not_copied_as_files():
    from agilab_lab.agents.extract import extract_constraints

    text = ("Fraud model on AWS eu-west-1. The source is our transactions warehouse, 50 GB per day, "
            "weekly retraining, batch scoring nightly.")
    constraints = extract_constraints(text)
    ingest = make_plan(constraints, CAT).plan.component("ingest")
    assert "warehouse" in CAT.get(ingest.option_id).tools
    # the same text without the warehouse gets the file-copy default
    plain = extract_constraints(text.replace("The source is our transactions warehouse, ", ""))
    assert "warehouse" not in CAT.get(make_plan(plain, CAT).plan.component("ingest").option_id).tools
