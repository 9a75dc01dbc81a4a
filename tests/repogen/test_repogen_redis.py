"""Redis online stores: the provisioned cache, the compute that reads it and the client agree on
TLS and authentication on every cloud (ElastiCache AUTH token in Secrets Manager, Memorystore
AUTH string in Secret Manager with the instance's CA, Azure Cache for Redis with Entra ID).

The breaking tests edit one input of the ``consistency`` gate (validate/redis_auth.py) the way
a person editing the zip would and see it fail with a message naming what is missing.
"""

from __future__ import annotations

import re

import pytest

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate.consistency import check_consistency
from agilab_lab.repogen.validate.iam_check import check_iam
from agilab_lab.repogen.validate.references import check_references
from agilab_lab.repogen.validate.secret_scan import check_secrets

from .plans import redis_spec

STACKS = {  # name: (cloud, serving family; None = the realtime family's endpoint)
    "aws-ecs": ("aws", "aws_ecs_service"),
    "aws-sagemaker": ("aws", None),
    "gcp-cloud-run": ("gcp", "gcp_cloud_run_service"),
    "azure-container-app": ("azure", "azure_container_app"),
}


@pytest.fixture(scope="module")
def files():
    return {name: generate(redis_spec(*stack)) for name, stack in STACKS.items()}


@pytest.fixture
def repo(tmp_path, files, request):
    return write_tree(files[request.param], tmp_path / "repo")


def _text(files: dict, path: str) -> str:
    return files[path].decode()


def _tf(root, cloud: str, name: str):
    return root / "infra" / "terraform" / cloud / name


def _edit(path, old, new, count=1):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, count))


def _fails_with(root, *fragments):
    result = check_consistency(root)
    assert not result.passed
    for fragment in fragments:
        assert fragment in result.details, result.details
    return result


@pytest.mark.parametrize("repo", list(STACKS), indirect=True)
def test_every_redis_stack_authenticates_its_reader_over_tls(repo):
    result = check_consistency(repo)
    assert result.passed, result.details
    assert result.summary["redis_readers"] == 1
    assert check_secrets(repo).passed
    # Every reference resolves and each private compute has a route to the APIs it calls (the
    # secret store included); every grant is scoped.
    assert check_references(repo).passed, check_references(repo).details
    assert check_iam(repo).passed, check_iam(repo).details


def test_the_elasticache_token_lives_in_secrets_manager_only(files):
    stack = files["aws-ecs"]
    feature = _text(stack, "infra/terraform/aws/feature.tf")
    assert "transit_encryption_enabled = true" in feature
    assert "auth_token                 = aws_secretsmanager_secret_version.feature_auth." \
           "secret_string" in feature
    assert 'data "aws_secretsmanager_random_password" "feature_auth"' in feature
    assert "kms_key_id  = aws_kms_key.main.arn" in feature
    for path in ("infra/terraform/aws/outputs.tf", "infra/terraform/aws/example.tfvars",
                 "infra/terraform/aws/variables.tf"):
        assert "auth" not in _text(stack, path).lower(), path


def test_the_ecs_task_gets_the_token_from_its_secret_and_only_that_secret(files):
    stack = files["aws-ecs"]
    serve = _text(stack, "infra/terraform/aws/serve.tf")
    assert ('{ name = "APP_REDIS_AUTH_TOKEN", valueFrom = aws_secretsmanager_secret.feature_auth.'
            "arn }") in serve
    iam = _text(stack, "infra/terraform/aws/iam.tf")
    execution = iam.split('data "aws_iam_policy_document" "serve_execution_permissions"')[1]
    assert '"secretsmanager:GetSecretValue"]\n    resources = [aws_secretsmanager_secret.' \
           "feature_auth.arn]" in execution
    assert '"kms:Decrypt"]\n    resources = [aws_kms_key.main.arn]' in execution
    # ECS fetches the secret from inside the VPC: the stack declares the endpoints it needs.
    network = _text(stack, "infra/terraform/aws/network.tf")
    assert re.search(r'interface_endpoints = toset\(\[[^]]*"secretsmanager"', network)


def test_a_sagemaker_model_reads_the_token_from_its_secret(files):
    stack = files["aws-sagemaker"]
    serve = _text(stack, "infra/terraform/aws/serve.tf")
    assert "APP_REDIS_AUTH_TOKEN_SECRET_ARN = aws_secretsmanager_secret.feature_auth.arn" in serve
    assert "resources = [aws_secretsmanager_secret.feature_auth.arn]" in \
        _text(stack, "infra/terraform/aws/iam.tf")
    assert "boto3==" in _text(stack, "requirements.txt")


def test_memorystore_keeps_its_auth_string_in_secret_manager(files):
    stack = files["gcp-cloud-run"]
    feature = _text(stack, "infra/terraform/gcp/feature.tf")
    assert "auth_enabled            = true" in feature
    assert 'transit_encryption_mode = "SERVER_AUTHENTICATION"' in feature
    assert "secret_data = google_redis_instance.feature.auth_string" in feature
    serve = _text(stack, "infra/terraform/gcp/serve.tf")
    assert "secret  = google_secret_manager_secret.feature_auth.secret_id" in serve
    assert "value = google_redis_instance.feature.server_ca_certs[0].cert" in serve
    assert "depends_on = [google_artifact_registry_repository_iam_member.images_cloudrun_agent, " \
           "google_secret_manager_secret_iam_member.serve_secretmanager_secretaccessor_feature]" in serve
    iam = _text(stack, "infra/terraform/gcp/iam.tf")
    assert 'resource "google_secret_manager_secret_iam_member" ' \
           '"serve_secretmanager_secretaccessor_feature"' in iam


def test_azure_redis_is_read_with_entra_id_and_no_key(files):
    stack = files["azure-container-app"]
    feature = _text(stack, "infra/terraform/azure/feature.tf")
    assert "access_keys_authentication_enabled = false" in feature
    assert "non_ssl_port_enabled               = false" in feature
    serve = _text(stack, "infra/terraform/azure/serve.tf")
    assert 'access_policy_name = "Data Reader"' in serve
    assert "object_id          = azurerm_container_app.serve.identity[0].principal_id" in serve
    lookup = _text(stack, "ml/features/lookup.py")
    assert "credential_provider=EntraIdCredentials(credential)" in lookup
    assert "azure-identity==" in _text(stack, "requirements.txt")
    assert "password" not in lookup


@pytest.mark.parametrize("repo", ["aws-ecs"], indirect=True)
def test_an_ecs_task_without_the_secret_fails(repo):
    _edit(_tf(repo, "aws", "serve.tf"),
          '      { name = "APP_REDIS_AUTH_TOKEN", valueFrom = aws_secretsmanager_secret.feature_auth.'
          "arn },\n", "")
    _fails_with(repo, "aws_ecs_task_definition.serve reads aws_elasticache_replication_group."
                "feature but is not given APP_REDIS_AUTH_TOKEN from `secrets` valueFrom")


@pytest.mark.parametrize("repo", ["aws-ecs"], indirect=True)
def test_an_execution_role_that_may_not_read_the_secret_fails(repo):
    _edit(_tf(repo, "aws", "iam.tf"), '"secretsmanager:GetSecretValue"', '"secretsmanager:DescribeSecret"')
    _fails_with(repo, "its role aws_iam_role.serve_execution may not secretsmanager:GetSecretValue "
                "on aws_secretsmanager_secret.feature_auth.arn")


@pytest.mark.parametrize("repo", ["aws-ecs"], indirect=True)
def test_an_execution_role_that_may_not_decrypt_the_secret_fails(repo):
    _edit(_tf(repo, "aws", "iam.tf"), '    sid       = "DecryptServingSecrets"\n'
          '    actions   = ["kms:Decrypt"]', '    sid       = "DecryptServingSecrets"\n'
          '    actions   = ["kms:DescribeKey"]')
    _fails_with(repo, "may not kms:Decrypt with aws_kms_key.main.arn")


@pytest.mark.parametrize("repo", ["aws-sagemaker"], indirect=True)
def test_a_sagemaker_model_without_the_secret_arn_fails(repo):
    _edit(_tf(repo, "aws", "serve.tf"),
          "      APP_REDIS_AUTH_TOKEN_SECRET_ARN = aws_secretsmanager_secret.feature_auth.arn\n", "")
    _fails_with(repo, "is not given APP_REDIS_AUTH_TOKEN_SECRET_ARN")


@pytest.mark.parametrize("repo", ["aws-ecs"], indirect=True)
def test_a_cache_without_transit_encryption_or_token_fails(repo):
    path = _tf(repo, "aws", "feature.tf")
    _edit(path, "transit_encryption_enabled = true", "transit_encryption_enabled = false")
    _edit(path, "  auth_token                 = aws_secretsmanager_secret_version.feature_auth."
          "secret_string\n", "")
    _fails_with(repo, "aws_elasticache_replication_group.feature has no transit encryption",
                "aws_elasticache_replication_group.feature has no auth_token kept in a Secrets "
                "Manager secret")


@pytest.mark.parametrize("repo", list(STACKS), indirect=True)
def test_a_client_without_tls_fails(repo):
    _edit(repo / "ml" / "features" / "lookup.py", "ssl=True", "ssl=False")
    _fails_with(repo, "ml.features.lookup: Redis(...) does not pass ssl=True")


@pytest.mark.parametrize("repo", ["aws-ecs"], indirect=True)
def test_a_plaintext_url_client_fails(repo):
    _edit(repo / "ml" / "features" / "lookup.py", "client = redis.Redis(host=",
          'client = redis.Redis.from_url("redis://cache:6379")\n    unused = dict(host=')
    _fails_with(repo, "connects with a plaintext redis:// URL")


@pytest.mark.parametrize("repo", ["aws-ecs"], indirect=True)
def test_a_client_that_reads_another_token_name_fails(repo):
    _edit(repo / "ml" / "features" / "lookup.py", '"APP_REDIS_AUTH_TOKEN"', '"APP_REDIS_PASSWORD"',
          count=5)
    _fails_with(repo, "the client never reads APP_REDIS_AUTH_TOKEN")


@pytest.mark.parametrize("repo", ["gcp-cloud-run"], indirect=True)
def test_a_cloud_run_service_without_the_secret_env_or_its_access_fails(repo):
    _edit(_tf(repo, "gcp", "serve.tf"), 'name = "APP_REDIS_AUTH_TOKEN"', 'name = "APP_OTHER_SECRET"')
    iam = _tf(repo, "gcp", "iam.tf")
    _edit(iam, 'role      = "roles/secretmanager.secretAccessor"',
          'role      = "roles/secretmanager.viewer"')
    _fails_with(repo, "is not given APP_REDIS_AUTH_TOKEN from secret_key_ref "
                "google_secret_manager_secret.feature_auth.secret_id",
                "its service account has no roles/secretmanager.secretAccessor")


@pytest.mark.parametrize("repo", ["gcp-cloud-run"], indirect=True)
def test_a_memorystore_client_that_does_not_verify_the_instance_ca_fails(repo):
    _edit(repo / "ml" / "features" / "lookup.py", 'ssl_ca_data=env["APP_REDIS_CA_CERT"],', "")
    _fails_with(repo, "does not verify the server against the instance's CA")


@pytest.mark.parametrize("repo", ["gcp-cloud-run"], indirect=True)
def test_memorystore_without_auth_fails(repo):
    _edit(_tf(repo, "gcp", "feature.tf"), "auth_enabled            = true",
          "auth_enabled            = false")
    _fails_with(repo, "google_redis_instance.feature has AUTH off")


@pytest.mark.parametrize("repo", ["azure-container-app"], indirect=True)
def test_a_container_app_without_a_data_access_policy_fails(repo):
    _edit(_tf(repo, "azure", "serve.tf"),
          "object_id          = azurerm_container_app.serve.identity[0].principal_id",
          'object_id          = "00000000-0000-0000-0000-000000000000"')
    _fails_with(repo, "its identity has no data access policy on azurerm_redis_cache.feature")


@pytest.mark.parametrize("repo", ["azure-container-app"], indirect=True)
def test_an_azure_client_without_entra_id_or_a_cache_with_keys_fails(repo):
    _edit(repo / "ml" / "features" / "lookup.py",
          "credential_provider=EntraIdCredentials(credential),", 'password=env.get("KEY", ""),')
    _edit(_tf(repo, "azure", "feature.tf"), "access_keys_authentication_enabled = false",
          "access_keys_authentication_enabled = true")
    _fails_with(repo, "has no credential_provider (the cache takes Entra ID tokens only)",
                "azurerm_redis_cache.feature is not Entra ID only")


@pytest.mark.parametrize("repo", ["aws-ecs"], indirect=True)
def test_an_ecs_stack_without_the_secrets_manager_endpoint_fails_references(repo):
    # ECS reads the task's `secrets` from inside the VPC with the execution role: its grants
    # count for the endpoints (data/vpc_endpoints.toml platform_role).
    path = _tf(repo, "aws", "network.tf")
    _edit(path, '"secretsmanager"', '"sqs"')
    result = check_references(repo)
    assert not result.passed
    assert "aws_ecs_task_definition.serve runs in the private subnets without NAT and needs VPC " \
           "endpoint(s) secretsmanager" in result.details
