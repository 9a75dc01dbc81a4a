import pytest

from agilab_lab.agents.catalogue import default_catalogue
from agilab_lab.agents.planner import PlanningError, make_plan, required_capabilities
from agilab_lab.agents.types import Constraints

from .designer_samples import FORECAST, FRAUD, RAG_AZURE


@pytest.fixture(scope="module")
def catalogue():
    return default_catalogue()


def test_fraud_plan_honours_region_compliance_avoid_and_preference(catalogue):
    plan = make_plan(FRAUD, catalogue).plan
    assert (plan.cloud, plan.region, plan.regions) == ("aws", "eu-west-1", ["eu-west-1"])
    for comp in plan.components:
        option = catalogue.get(comp.option_id)
        assert "kubernetes" not in option.tools
        assert {"pci-dss", "gdpr"} <= set(option.compliance)
    assert "mlflow" in catalogue.get(plan.component("govern").option_id).tools
    assert plan.component("serve").sizing["mode"] == "online"
    assert plan.component("feature") is not None


def test_every_alternative_says_why_it_lost(catalogue):
    plan = make_plan(FRAUD, catalogue).plan
    reasons = {a.option_id: a.reason_lost for c in plan.components for a in c.alternatives}
    assert reasons["aws.sagemaker_mlflow"] == "not eligible for PCI-DSS"
    assert "kubernetes" in reasons["oss.kserve"]
    assert reasons["aws.sagemaker_batch_transform"].startswith("batch only")
    assert all(reasons.values())


def test_batch_forecast_has_batch_serving_and_no_online_feature_store(catalogue):
    plan = make_plan(FORECAST, catalogue).plan
    assert plan.cloud == "gcp" and plan.region == "europe-west1"
    assert plan.component("serve").sizing["mode"] == "batch"
    assert plan.component("feature") is None and plan.component("vector") is None


def test_rag_gets_a_vector_store_and_no_training_without_a_cadence(catalogue):
    needed = required_capabilities(RAG_AZURE)
    assert "vector" in needed and "train" not in needed and needed["serve"] == "online"
    plan = make_plan(RAG_AZURE, catalogue).plan
    assert plan.component("vector").provider == "azure" or plan.component("vector").option_id.startswith("oss.")


def test_avoiding_a_platform_removes_all_its_options(catalogue):
    avoid = FRAUD.model_copy(update={"tooling_avoid": ["sagemaker", "kubernetes"], "tooling_prefer": []})
    plan = make_plan(avoid, catalogue).plan
    assert not any("sagemaker" in catalogue.get(c.option_id).tools for c in plan.components)


def test_unstated_region_is_an_assumption_not_a_constraint(catalogue):
    constraints = Constraints(cloud="gcp", compliance=["gdpr"], workloads=["batch_inference"])
    result = make_plan(constraints, catalogue)
    assert catalogue.region("gcp", result.plan.region).geo == "eu"
    assert any("assumed" in a for a in result.assumptions)
    assert constraints.regions == []


def test_planning_without_a_cloud_is_refused(catalogue):
    with pytest.raises(PlanningError):
        make_plan(Constraints(workloads=["training"]), catalogue)


def test_excluded_options_are_not_chosen_again(catalogue):
    first = make_plan(FRAUD, catalogue).plan.component("serve").option_id
    again = make_plan(FRAUD, catalogue, excluded={first}).plan.component("serve")
    assert again.option_id != first
    assert any(a.option_id == first and "critics" in a.reason_lost for a in again.alternatives)
