"""Egress to APIs outside the cloud: a plan whose generation runs on a public LLM API gets the
code that calls it, the URL on the compute that runs it, and a NAT where that compute's traffic
goes through the stack's network; the terraform_references gate fails the stack without it."""

from __future__ import annotations

import json

import pytest

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.context import build_context
from agilab_lab.repogen.egress import internet_computes
from agilab_lab.repogen.validate.consistency import check_consistency
from agilab_lab.repogen.validate.references import check_references
from agilab_lab.repogen.workload import external_api

from .plans import make_spec, with_external_llm

SERVE = {"aws": ("Amazon ECS on Fargate", "aws_ecs_service"),
         "gcp": ("Cloud Run", "gcp_cloud_run_service"),
         "azure": ("Azure Container Apps", "azure_container_app")}


def external_spec(cloud: str, provider: str = "anthropic", serve: bool = True, **sizing):
    """A RAG plan whose generation is a public API (the serving container on ``SERVE``, or
    the family's own serving service when ``serve`` is False)."""
    spec = make_spec(cloud, "rag")
    if serve:
        component = spec.plan.component("serve")
        component.service, component.terraform_kind = SERVE[cloud]
        component.sizing = {}
    return with_external_llm(spec, provider, **sizing)


def _repo(tmp_path, spec):
    return write_tree(generate(spec), tmp_path / "repo")


def _edit(path, old, new):
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))


def _tf(root, cloud, name):
    return root / "infra" / "terraform" / cloud / name


def test_the_plan_names_the_api_and_its_url():
    assert external_api(build_context(make_spec("aws", "rag"))) is None
    api = external_api(build_context(external_spec("aws")))
    assert api["api"] == "anthropic" and api["url"] == "https://api.anthropic.com"
    assert api["model"] == "claude-3-5-haiku-20241022"
    other = external_api(build_context(external_spec(
        "gcp", provider="mistral", endpoint="https://api.mistral.ai/v1", model="mistral-small")))
    assert other == {"api": "openai", "url": "https://api.mistral.ai/v1",
                     "service": "Anthropic API: Claude 3.5 Haiku", "model": "mistral-small"}
    assert external_api(build_context(external_spec("gcp", provider="mistral"))) is None  # no URL


@pytest.mark.parametrize("serve", [True, False], ids=["ecs", "sagemaker"])
def test_an_aws_compute_calling_the_api_gets_a_routed_nat(tmp_path, serve):
    root = _repo(tmp_path, external_spec("aws", serve=serve))
    network = _tf(root, "aws", "network.tf").read_text()
    for block in ('resource "aws_nat_gateway" "main"', 'resource "aws_eip" "nat"',
                  'resource "aws_internet_gateway" "main"', 'resource "aws_route" "private_internet"',
                  'cidr_blocks = ["0.0.0.0/0"]'):
        assert block in network, block
    text = "\n".join(p.read_text() for p in sorted(_tf(root, "aws", "").glob("*.tf")))
    compute = "aws_ecs_task_definition.serve" if serve else "aws_sagemaker_model.serve"
    assert internet_computes(text) == {compute: {"api.anthropic.com"}}
    assert check_references(root).passed
    assert check_consistency(root).passed
    plan = json.loads((root / "reports" / "plan.json").read_text())
    generate_entry = next(c for c in plan["components"] if c["capability"] == "generate")
    assert generate_entry["iac"] == "infra/terraform/aws/network.tf"
    assert generate_entry["external_api"] == "https://api.anthropic.com"
    assert "ml/rag/providers.py" in generate_entry["code"]
    providers = (root / "ml" / "rag" / "providers.py").read_text()
    assert "class ExternalGeneration" in providers and '"x-api-key"' in providers
    # The API key: a secret the team fills, never a value in the repository.
    secret = _tf(root, "aws", "llm_api.tf").read_text()
    assert 'resource "aws_secretsmanager_secret" "llm_api_auth"' in secret
    assert "aws_secretsmanager_secret_version" not in secret and "secret_string" not in secret
    serve_tf = _tf(root, "aws", "serve.tf").read_text()
    given = ('{ name = "APP_LLM_API_KEY", valueFrom = aws_secretsmanager_secret.llm_api_auth.arn }'
             if serve else "APP_LLM_API_KEY_SECRET_ARN = aws_secretsmanager_secret.llm_api_auth.arn")
    assert given in serve_tf
    iam = _tf(root, "aws", "iam.tf").read_text()
    assert "resources = [aws_secretsmanager_secret.llm_api_auth.arn]" in iam


def test_no_nat_where_nothing_calls_outside_the_cloud():
    for family in ("rag", "streaming", "realtime"):
        network = generate(make_spec("aws", family))["infra/terraform/aws/network.tf"].decode()
        assert "aws_nat_gateway" not in network and "0.0.0.0/0" not in network, family
    network = generate(make_spec("gcp", "rag"))["infra/terraform/gcp/network.tf"].decode()
    assert "google_compute_router_nat" not in network


@pytest.mark.parametrize("old, missing", [
    ('  nat_gateway_id         = aws_nat_gateway.main.id\n', "a 0.0.0.0/0 route"),
    ('    cidr_blocks = ["0.0.0.0/0"]\n', "HTTPS egress to 0.0.0.0/0"),
])
def test_an_aws_stack_without_its_route_out_fails_the_gate(tmp_path, old, missing):
    root = _repo(tmp_path, external_spec("aws"))
    _edit(_tf(root, "aws", "network.tf"), old, "")
    result = check_references(root)
    assert not result.passed
    assert any("aws_ecs_task_definition.serve calls api.anthropic.com outside AWS" in p
               and missing in p for p in result.summary["problems"]), result.details


def test_a_cloud_run_service_calling_the_api_gets_cloud_nat(tmp_path):
    root = _repo(tmp_path, external_spec("gcp"))
    network = _tf(root, "gcp", "network.tf").read_text()
    assert 'resource "google_compute_router_nat" "main"' in network
    assert 'source_subnetwork_ip_ranges_to_nat = "LIST_OF_SUBNETWORKS"' in network
    assert 'APP_LLM_BASE_URL' in _tf(root, "gcp", "serve.tf").read_text()
    assert check_references(root).passed and check_consistency(root).passed
    text = network.split('resource "google_compute_router_nat"')[0]
    _tf(root, "gcp", "network.tf").write_text(text)
    result = check_references(root)
    assert not result.passed
    assert any("google_cloud_run_v2_service.serve sends all its traffic through the VPC and calls "
               "api.anthropic.com" in p for p in result.summary["problems"]), result.details


def test_a_container_app_keeps_its_environment_default_egress():
    """A Consumption-only Container Apps environment cannot egress through a NAT gateway; it
    reaches the internet through the environment's own outbound addresses."""
    files = generate(external_spec("azure"))
    serve = files["infra/terraform/azure/serve.tf"].decode()
    assert '"https://api.anthropic.com"' in serve and "workload_profile" not in serve
    assert "azurerm_nat_gateway" not in "\n".join(
        f.decode() for p, f in files.items() if p.endswith(".tf"))
