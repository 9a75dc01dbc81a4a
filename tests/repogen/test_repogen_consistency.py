"""The ``consistency`` gate: the repository implements the plan it was priced for.

Each drift test breaks one input of the gate by hand, the way a person editing the zip
would, and sees the gate fail with a message naming the drift.
"""

from __future__ import annotations

import json
import re

import pytest

from agilab_lab.agents.catalogue import default_catalogue
from agilab_lab.agents.planner import make_plan
from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.sizing import priced_sizing
from agilab_lab.repogen.validate.consistency import check_consistency, variable_defaults

from ..agents.designer_samples import FRAUD, RAG_AZURE
from .plans import CLOUDS, FAMILIES, make_spec


@pytest.fixture
def repo(tmp_path):
    return write_tree(generate(make_spec("aws", "realtime")), tmp_path / "repo")


def _edit(path, old, new):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


@pytest.mark.parametrize("case", [(c, f) for c in CLOUDS for f in FAMILIES],
                         ids=[f"{c}-{f}" for c in CLOUDS for f in FAMILIES])
def test_every_rendered_cell_is_consistent(tmp_path, case):
    result = check_consistency(write_tree(generate(make_spec(*case)), tmp_path / "repo"))
    assert result.passed, result.details


def test_terraform_defaults_are_the_priced_sizing(repo):
    defaults = variable_defaults(repo / "infra" / "terraform" / "aws")
    assert defaults["serve_instance_type"] == "ml.c5.xlarge"
    assert defaults["serve_instance_count"] == 2
    assert defaults["region"] == "eu-west-1"
    plan = json.loads((repo / "reports" / "plan.json").read_text())
    serve = next(c for c in plan["components"] if c["capability"] == "serve")
    assert serve["terraform_variables"] == {"serve_instance_count": 2,
                                            "serve_instance_type": "ml.c5.xlarge"}
    assert serve["iac"] == "infra/terraform/aws/serve.tf" and serve["code"] == ["app/api/main.py"]


def test_a_hand_changed_instance_type_fails(repo):
    _edit(repo / "infra/terraform/aws/variables.tf", '"ml.c5.xlarge"', '"ml.c6i.large"')
    result = check_consistency(repo)
    assert not result.passed
    assert "serve_instance_type defaults to ml.c6i.large but the plan priced ml.c5.xlarge" \
        in result.details


def test_a_hand_changed_replica_count_fails(repo):
    variables = repo / "infra/terraform/aws/variables.tf"
    text = variables.read_text()
    block = re.search(r'variable "serve_instance_count" \{.*?\n\}', text, re.S).group(0)
    variables.write_text(text.replace(block, block.replace("= 2", "= 1")))
    result = check_consistency(repo)
    assert not result.passed and "serve_instance_count defaults to 1" in result.details


def test_a_sizing_variable_no_longer_used_fails(repo):
    _edit(repo / "infra/terraform/aws/serve.tf", "var.serve_instance_type", '"ml.c5.large"')
    result = check_consistency(repo)
    assert not result.passed and "no longer uses var.serve_instance_type" in result.details


def test_a_dropped_iac_file_of_a_priced_component_fails(repo):
    (repo / "infra/terraform/aws/observe.tf").unlink()
    result = check_consistency(repo)
    assert not result.passed and "IaC file infra/terraform/aws/observe.tf is missing" in result.details


def test_a_dropped_code_file_fails(repo):
    (repo / "ml/monitoring/drift.py").unlink()
    result = check_consistency(repo)
    assert not result.passed and "code file ml/monitoring/drift.py is missing" in result.details


def test_a_dropped_compose_service_fails(repo):
    (repo / "infra/docker/compose.yaml").write_text("services: {}\n")
    result = check_consistency(repo)
    assert not result.passed and "compose service 'track' is missing" in result.details


def test_a_priced_component_with_nothing_behind_it_fails(repo):
    plan_path = repo / "reports/plan.json"
    plan = json.loads(plan_path.read_text())
    plan["components"].append({"capability": "feature", "service": "Feature store",
                               "monthly_usd": 250.0, "iac": None, "code": []})
    plan_path.write_text(json.dumps(plan))
    result = check_consistency(repo)
    assert not result.passed
    assert "feature: priced at $250.00/month but nothing in the repository provisions it" \
        in result.details
    assert "feature: priced but no code file implements it" in result.details


def test_a_report_link_to_a_missing_file_fails(repo):
    with (repo / "docs/architecture.md").open("a") as handle:
        handle.write("\nDrift alarms: [alarms](../infra/terraform/aws/alarms.tf), "
                     "job in `ml/monitoring/drift_job.py`.\n")
    result = check_consistency(repo)
    assert not result.passed
    assert "docs/architecture.md links ../infra/terraform/aws/alarms.tf" in result.details
    assert "docs/architecture.md links ml/monitoring/drift_job.py" in result.details


def test_a_changed_region_fails(repo):
    _edit(repo / "infra/terraform/aws/variables.tf", '"eu-west-1"', '"us-east-1"')
    result = check_consistency(repo)
    assert not result.passed and "var.region defaults to us-east-1" in result.details


def test_a_plan_without_the_implementation_map_fails(repo):
    plan_path = repo / "reports/plan.json"
    plan = json.loads(plan_path.read_text())
    for component in plan["components"]:
        component.pop("iac")
    plan_path.write_text(json.dumps(plan))
    assert not check_consistency(repo).passed


@pytest.mark.parametrize("constraints", [FRAUD, RAG_AZURE], ids=["fraud-aws", "rag-azure"])
def test_planner_sizing_reaches_the_terraform_defaults(tmp_path, constraints):
    """The real planner's priced units and instance types become the variable defaults."""
    plan = make_plan(constraints, default_catalogue()).plan
    spec = make_spec(plan.cloud, "realtime").model_copy(update={"plan": plan})
    repo = write_tree(generate(spec), tmp_path / "repo")
    result = check_consistency(repo)
    assert result.passed, result.details
    defaults = variable_defaults(repo / "infra" / "terraform" / plan.cloud)
    rendered = json.loads((repo / "reports" / "plan.json").read_text())["components"]
    checked = 0
    for component, entry in zip(plan.components, rendered, strict=True):
        priced = priced_sizing(component.sizing)
        for variable, value in entry["terraform_variables"].items():
            assert defaults[variable] == value
            assert value in (priced["instance_type"], priced["replicas"])
            checked += 1
    assert checked >= 1


def test_every_file_the_section_playbooks_name_is_one_the_generator_writes():
    """The 23-section report names generated files; each must be one the manifest can render."""
    from importlib import resources

    from agilab_lab.repogen.manifest import MANIFEST

    paths = {path for path, _, _ in MANIFEST}
    folders = {path.rsplit("/", 1)[0] for path in paths}
    playbooks = resources.files("agilab_lab.agents").joinpath("playbooks")
    named = set()
    for playbook in playbooks.iterdir():
        if playbook.name.endswith(".md") and playbook.name != "README.md":
            named |= set(re.findall(r"`([a-z_]+(?:/[a-z_]+)+(?:\.py)?)`", playbook.read_text()))
    assert named, "the playbooks name no file any more: update this test"
    assert {n for n in named if n not in paths and n.rstrip("/") not in folders} == set()


def test_a_compliance_control_whose_file_is_gone_fails(tmp_path):
    spec = make_spec("aws", "realtime")
    spec.constraints.compliance, spec.constraints.data_classes = ["pci-dss", "soc2"], ["pci"]
    repo = write_tree(generate(spec), tmp_path / "repo")
    assert check_consistency(repo).passed
    (repo / "infra/terraform/aws/compliance.tf").unlink()
    result = check_consistency(repo)
    assert not result.passed
    assert "reports/compliance.md links ../infra/terraform/aws/compliance.tf" in result.details
