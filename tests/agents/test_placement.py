"""Where plans run and what regimes ask: region coverage, residency, exclusions, privacy laws
versus certifications, FedRAMP, a stated region that lacks a service, and training scale."""

import shutil
from pathlib import Path

import pytest

from agilab_lab.agents import policy
from agilab_lab.agents.catalogue import default_catalogue, load_catalogue
from agilab_lab.agents.costing import quote
from agilab_lab.agents.critics import cost_review, technical_review
from agilab_lab.agents.extract.data_files import load
from agilab_lab.agents.feasibility import explain
from agilab_lab.agents.planner import make_plan
from agilab_lab.agents.types import Constraints

DATA = Path(__file__).resolve().parents[2] / "agilab_lab" / "agents" / "data"
BATCH = {"workloads": ["batch_inference", "training"], "batch_volume_gb_per_day": 20, "budget_monthly_usd": 5000}


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


def _verdict(constraints, catalogue):
    result = make_plan(constraints, catalogue)
    technical = technical_review(result, constraints, catalogue)
    cost = cost_review(result, constraints, catalogue)
    report = policy.evaluate(constraints, result.plan, cost.estimate, technical.latency_budget, catalogue)
    return result, technical, cost, report


def _errors(report):
    return [f"[{v.rule}] {v.message}" for v in report.violations if v.severity == "error"]


def test_every_region_the_extractor_can_emit_is_in_the_catalogue(catalogue):
    for cloud, regions in load("regions").items():
        missing = sorted(set(regions) - set(catalogue.regions[cloud]))
        assert missing == [], f"{cloud} regions unknown to the catalogue: {missing}"


@pytest.mark.parametrize("cloud,region", [("aws", "us-east-1"), ("gcp", "asia-south1"), ("azure", "southeastasia")])
def test_personal_data_alone_sets_handling_rules_not_eu_residency(catalogue, cloud, region):
    constraints = Constraints(cloud=cloud, regions=[region], data_classes=["pii"], **BATCH)
    _, _, _, report = _verdict(constraints, catalogue)
    assert report.passed, _errors(report)
    assert any(v.rule == "pii-handling" and v.severity == "warning" for v in report.violations)


def test_stated_gdpr_still_keeps_data_in_the_eu(catalogue):
    constraints = Constraints(cloud="aws", regions=["us-east-1"], data_classes=["pii"], compliance=["gdpr"], **BATCH)
    _, _, _, report = _verdict(constraints, catalogue)
    assert any(v.rule == "residency" and "us-east-1" in v.message for v in report.violations)


@pytest.mark.parametrize("cloud,expected", [("aws", "eu-central-1"), ("gcp", "europe-west3"),
                                            ("azure", "germanywestcentral")])
def test_residency_in_a_country_picks_a_region_there(catalogue, cloud, expected):
    constraints = Constraints(cloud=cloud, residency=["de"], **BATCH)
    result, _, _, report = _verdict(constraints, catalogue)
    assert result.plan.regions == [expected]
    assert report.passed, _errors(report)


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
def test_an_excluded_area_is_never_chosen(catalogue, cloud):
    constraints = Constraints(cloud=cloud, excluded_regions=["us"], **BATCH)
    result, _, _, report = _verdict(constraints, catalogue)
    assert catalogue.region(cloud, result.plan.region).geo != "us"
    assert report.passed, _errors(report)


def test_an_excluded_region_code_is_never_chosen_and_a_stated_one_is_flagged(catalogue):
    avoided = Constraints(cloud="aws", excluded_regions=["us-east-1"], **BATCH)
    assert make_plan(avoided, catalogue).plan.region not in ("us-east-1", "")
    stated = avoided.model_copy(update={"regions": ["us-east-1"]})
    _, _, _, report = _verdict(stated, catalogue)
    assert any(v.rule == "residency" and "us-east-1" in v.message for v in report.violations)


@pytest.mark.parametrize("regime,cloud,region", [("ccpa", "gcp", "us-west1"), ("lgpd", "aws", "sa-east-1"),
                                                 ("pipeda", "gcp", "northamerica-northeast2")])
def test_privacy_laws_are_obligations_not_service_certifications(catalogue, regime, cloud, region):
    constraints = Constraints(cloud=cloud, regions=[region], data_classes=["pii"], compliance=[regime], **BATCH)
    result, technical, _, report = _verdict(constraints, catalogue)
    assert result.unmet == [] and technical.passed
    assert report.passed, _errors(report)
    assert any(v.rule == "compliance" and v.severity == "warning" and regime.upper() in v.message
               for v in report.violations)


def test_fedramp_is_met_by_authorised_services_in_authorised_regions(catalogue):
    gov = Constraints(cloud="aws", regions=["us-gov-west-1"], compliance=["fedramp"], **BATCH)
    result, technical, _, report = _verdict(gov, catalogue)
    assert technical.passed and report.passed, _errors(report)
    assert all("fedramp" in catalogue.get(c.option_id).compliance for c in result.plan.components)
    unstated = gov.model_copy(update={"regions": []})
    assert catalogue.region("aws", make_plan(unstated, catalogue).plan.region).fedramp is not None
    abroad = gov.model_copy(update={"regions": ["eu-west-1"]})
    _, _, _, report = _verdict(abroad, catalogue)
    assert any("FEDRAMP authorisation" in v.message for v in report.violations)


def test_a_stated_region_without_a_needed_service_is_kept_and_named(catalogue):
    # the catalogue marks SageMaker unavailable in GovCloud (US-East); batch serving needs it
    constraints = Constraints(cloud="aws", regions=["us-gov-east-1"], **BATCH)
    result, technical, _, _ = _verdict(constraints, catalogue)
    assert result.plan.regions == ["us-gov-east-1"] and "serve" in result.unmet
    unmet = [f for f in technical.findings if f.kind == "unmet"]
    assert any("not offered in us-gov-east-1" in f.message and "SageMaker" in f.message for f in unmet)
    verdict = explain(constraints, catalogue, technical.findings, 3)
    assert any(r.constraint == "regions" and "us-gov-west-1" in r.relax_to for r in verdict.relaxations)


def test_an_option_a_region_lacks_is_rejected_with_that_reason(catalogue):
    constraints = Constraints(cloud="gcp", regions=["europe-west10"], **BATCH)
    train = make_plan(constraints, catalogue).plan.component("train")
    reasons = {a.option_id: a.reason_lost for a in train.alternatives}
    assert train.option_id != "gcp.vertex_training"
    assert "not offered in europe-west10" in reasons["gcp.vertex_training"]


PRETRAIN = Constraints(cloud="gcp", regions=["us-central1"], workloads=["training"], retrain_cadence="weekly",
                       budget_monthly_usd=1000, model_params_billion=70, training_data_gb=20000)


def test_training_a_stated_model_size_is_priced_in_gpu_hours(catalogue):
    result = make_plan(PRETRAIN, catalogue)
    train = result.plan.component("train")
    option, a = catalogue.get(train.option_id), catalogue.assumptions
    tokens = 20000 * a.tokens_per_gb
    gpu_hours = a.flops_per_param_token * 70e9 * tokens / (a.gpu_peak_tflops * 1e12 * a.gpu_utilisation) / 3600
    expected = a.runs_per_month["weekly"] * gpu_hours * option.cost.gpu_price("gcp") + option.cost.base_monthly_usd
    assert train.monthly_usd == pytest.approx(expected, rel=1e-6)
    assert "GPU-hours" in train.sizing["cost_basis"]
    halved = make_plan(PRETRAIN.model_copy(update={"training_data_gb": 10000}), catalogue).plan.component("train")
    assert halved.monthly_usd == pytest.approx((expected - option.cost.base_monthly_usd) / 2
                                               + option.cost.base_monthly_usd, rel=1e-6)


def test_an_underbudgeted_pretraining_ask_is_infeasible_with_the_real_price(catalogue):
    result, technical, cost, _ = _verdict(PRETRAIN, catalogue)
    assert any(f.kind == "budget" for f in cost.findings)
    verdict = explain(PRETRAIN, catalogue, cost.findings + technical.findings, 3)
    floor = next(r for r in verdict.relaxations if r.constraint == "budget_monthly_usd").monthly_usd_after
    assert floor > 1_000_000


def test_gpu_prices_come_from_the_catalogue(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA, data)
    oss = data / "catalogue" / "oss.toml"
    oss.write_text(oss.read_text().replace("gcp = 3.67", "gcp = 7.34"))
    demand = make_plan(PRETRAIN, default_catalogue()).demand
    prices = [quote(c.get("oss.kubeflow_training"), "gcp", demand, c) for c in (default_catalogue(), load_catalogue(data))]
    base = default_catalogue().get("oss.kubeflow_training").cost.base_monthly_usd
    assert prices[1].monthly_usd == pytest.approx((prices[0].monthly_usd - base) * 2 + base, rel=1e-6)
    assert "$7.34" in prices[1].basis
