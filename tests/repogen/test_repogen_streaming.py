"""The streaming consumer is deployed: its own compute and identity per cloud, exactly the read
permissions on its own stream, and every APP_* variable its broker client needs.

Each gate test breaks one rendered input by hand (an env entry, a permission) and sees the
gate fail with a message naming what is missing.
"""

from __future__ import annotations

import ast
import re

import pytest

from agilab_lab.agents.types import Component
from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.tfvars import example_value
from agilab_lab.repogen.validate.consistency import check_consistency
from agilab_lab.repogen.validate.iam_check import check_iam
from agilab_lab.repogen.validate.runtime_env import code_needs, computes, needed_names
from agilab_lab.repogen.validate.terraform_fmt import check_terraform_fmt

from .plans import make_spec


def _render(tmp_path, cloud, kind=None, service=None):
    spec = make_spec(cloud, "streaming")
    if kind:
        spec.plan.components[0].terraform_kind = kind
        spec.plan.components[0].service = service
    return write_tree(generate(spec), tmp_path / "repo")


def _edit(path, old, new=""):
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))


def _statement(iam_text: str, sid: str) -> str:
    match = re.search(rf'sid       = "{sid}"\n(.*?)\n  \}}', iam_text, re.S)
    assert match, sid
    return match.group(1)


def test_needed_names_are_the_reads_without_a_default():
    tree = ast.parse(
        'env["APP_A"]\nenv.get("APP_B")\nos.getenv("APP_C")\nenv.get("APP_D", "x")\n'
        'env.get("OTHER")\nsettings["APP_E"]\n')
    assert needed_names(tree) == {"APP_A", "APP_B", "APP_C", "APP_E"}


@pytest.mark.parametrize("kind, service, broker_env", [
    (None, None, {"APP_STREAM_NAME"}),
    ("aws_msk", "Amazon MSK", {"APP_KAFKA_BOOTSTRAP", "APP_STREAM_TOPIC", "APP_KAFKA_GROUP"}),
])
def test_aws_consumer_runs_on_fargate_with_its_broker_settings(tmp_path, kind, service, broker_env):
    root = _render(tmp_path, "aws", kind, service)
    stack = root / "infra" / "terraform" / "aws"
    consumer = next(c for c in computes(root, stack) if c.entry == "ml.streaming.consumer")
    assert consumer.address == "aws_ecs_task_definition.ingest_consumer"
    assert broker_env | {"APP_REGION", "APP_ENVIRONMENT"} <= consumer.given
    ingest = (stack / "ingest.tf").read_text()
    assert 'resource "aws_ecs_service" "ingest_consumer"' in ingest
    assert "task_role_arn            = aws_iam_role.ingest_consumer.arn" in ingest
    assert check_consistency(root).passed
    assert check_iam(root).passed
    assert check_terraform_fmt(root, 120).passed


def test_kinesis_consumer_role_reads_exactly_its_stream(tmp_path):
    iam = (_render(tmp_path, "aws") / "infra" / "terraform" / "aws" / "iam.tf").read_text()
    policy = iam.split('data "aws_iam_policy_document" "ingest_consumer_permissions" {')[1]
    policy = policy.split("\n}\n")[0]
    assert re.findall(r'sid       = "(\w+)"', policy) == ["DecryptWithStackKey", "ReadOwnStream"]
    read = _statement(policy, "ReadOwnStream")
    assert '["kinesis:ListShards", "kinesis:GetShardIterator", "kinesis:GetRecords"]' in read
    assert "resources = [aws_kinesis_stream.ingest.arn]" in read
    assert "resources = [aws_kms_key.main.arn]" in _statement(policy, "DecryptWithStackKey")


def test_msk_consumer_role_reads_its_topic_and_commits_its_group(tmp_path):
    iam = (_render(tmp_path, "aws", "aws_msk", "Amazon MSK") / "infra" / "terraform" / "aws"
           / "iam.tf").read_text()
    assert "resources = [aws_msk_cluster.ingest.arn]" in _statement(iam, "ConnectToCluster")
    topic = _statement(iam, "ReadTopic")
    assert ":topic/${aws_msk_cluster.ingest.cluster_name}/${aws_msk_cluster.ingest.cluster_uuid}/" \
           "${var.ingest_topic}" in topic
    group = _statement(iam, "CommitGroupOffsets")
    assert '["kafka-cluster:DescribeGroup", "kafka-cluster:AlterGroup"]' in group
    assert "/${var.ingest_consumer_group}" in group


def test_a_consumer_missing_a_broker_setting_fails_consistency(tmp_path):
    root = _render(tmp_path, "aws")
    _edit(root / "infra/terraform/aws/ingest.tf",
          '      { name = "APP_STREAM_NAME", value = aws_kinesis_stream.ingest.name },\n')
    result = check_consistency(root)
    assert not result.passed
    assert ("aws_ecs_task_definition.ingest_consumer runs ml.streaming.consumer, whose "
            "ml.streaming.source reads APP_STREAM_NAME, but the compute is not given it"
            in result.details)


def test_a_consumer_running_another_entry_is_checked_against_that_code(tmp_path):
    root = _render(tmp_path, "aws")
    _edit(root / "infra/terraform/aws/ingest.tf", '"-m", "ml.streaming.consumer"',
          '"-m", "ml.streaming.missing"')
    result = check_consistency(root)
    assert not result.passed
    assert "entry module ml.streaming.missing is not in the repository" in result.details


@pytest.mark.parametrize("kind, service, old, new, missing", [
    (None, None, '"kinesis:GetShardIterator", "kinesis:GetRecords"]',
     '"kinesis:GetShardIterator"]', "kinesis:GetRecords"),
    (None, None, "resources = [aws_kinesis_stream.ingest.arn]",
     "resources = [aws_s3_bucket.store.arn]", "kinesis:ListShards, kinesis:GetShardIterator"),
    ("aws_msk", "Amazon MSK", '["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"]',
     '["kafka-cluster:DescribeTopic"]', "kafka-cluster:ReadData"),
])
def test_a_consumer_role_without_read_access_fails_the_iam_gate(tmp_path, kind, service, old,
                                                                 new, missing):
    root = _render(tmp_path, "aws", kind, service)
    _edit(root / "infra/terraform/aws/iam.tf", old, new)
    result = check_iam(root)
    assert not result.passed
    assert "aws_ecs_task_definition.ingest_consumer consumes" in result.details
    assert f"lacks {missing}" in result.details


@pytest.mark.parametrize("cloud, address, broker_env", [
    ("gcp", "google_cloud_run_v2_worker_pool.ingest_consumer", {"APP_STREAM_SUBSCRIPTION"}),
    ("azure", "azurerm_container_app.ingest_consumer",
     {"APP_EVENTHUB_NAMESPACE", "APP_EVENTHUB_NAME", "APP_EVENTHUB_CONSUMER_GROUP"}),
])
def test_gcp_and_azure_consumers_run_with_their_own_identity(tmp_path, cloud, address, broker_env):
    root = _render(tmp_path, cloud)
    stack = root / "infra" / "terraform" / cloud
    consumer = next(c for c in computes(root, stack) if c.entry == "ml.streaming.consumer")
    assert consumer.address == address
    assert broker_env | {"APP_REGION"} <= consumer.given
    iam = (stack / "iam.tf").read_text()
    if cloud == "gcp":
        assert "service_account = google_service_account.ingest_consumer.email" in \
            (stack / "ingest.tf").read_text()
        binding = iam.split('"google_pubsub_subscription_iam_member" "ingest_consumer_pubsub_subscriber"')[1]
        assert "subscription = google_pubsub_subscription.ingest.name" in binding
        assert "google_service_account.ingest_consumer.email" in binding.split("}")[0]
        assert '"key_agent_cloudrun"' in iam  # the worker pool is encrypted with the stack's key
    else:
        receiver = iam.split("ingest_consumer_azure_event_hubs_data_receiver_own_event_hub")[1]
        assert "scope                = azurerm_eventhub.ingest.id" in receiver
        assert "azurerm_container_app.ingest_consumer.identity[0].principal_id" in receiver
    assert check_consistency(root).passed
    assert check_iam(root).passed
    assert check_terraform_fmt(root, 120).passed


@pytest.mark.parametrize("cloud, old, new, message", [
    ("gcp", 'role         = "roles/pubsub.subscriber"', 'role         = "roles/pubsub.viewer"',
     "google_cloud_run_v2_worker_pool.ingest_consumer consumes google_pubsub_subscription.ingest "
     "but its service account ingest_consumer has no roles/pubsub.subscriber on it"),
    ("azure", "scope                = azurerm_eventhub.ingest.id",
     "scope                = azurerm_storage_account.store.id",
     "azurerm_container_app.ingest_consumer consumes azurerm_eventhub.ingest but its identity "
     "has no Azure Event Hubs Data Receiver on it"),
])
def test_a_gcp_or_azure_consumer_without_read_access_fails(tmp_path, cloud, old, new, message):
    root = _render(tmp_path, cloud)
    _edit(root / "infra" / "terraform" / cloud / "iam.tf", old, new)
    result = check_iam(root)
    assert not result.passed
    assert message in result.details


@pytest.mark.parametrize("cloud, line", [
    ("gcp", '        name  = "APP_STREAM_SUBSCRIPTION"\n'),
    ("azure", '        name  = "APP_EVENTHUB_NAME"\n'),
])
def test_a_gcp_or_azure_consumer_missing_its_broker_setting_fails(tmp_path, cloud, line):
    root = _render(tmp_path, cloud)
    _edit(root / "infra" / "terraform" / cloud / "ingest.tf", line, '        name  = "UNUSED"\n')
    result = check_consistency(root)
    assert not result.passed
    assert "runs ml.streaming.consumer" in result.details
    assert line.split('"')[1] in result.details



def _with_feature_store(cloud, serve_kind, store_kind):
    spec = make_spec(cloud, "realtime")
    spec.plan.components[2].terraform_kind = serve_kind
    spec.plan.components.append(Component(
        capability="features", service=store_kind, option_id=store_kind, provider=cloud,
        terraform_kind=store_kind, monthly_usd=10.0))
    return spec


@pytest.mark.parametrize("cloud, serve_kind, store_kind, name, line", [
    ("aws", "aws_sagemaker_endpoint", "aws_dynamodb", "APP_FEATURE_TABLE",
     "      APP_FEATURE_TABLE = aws_dynamodb_table.features.name\n"),
    ("aws", "aws_sagemaker_endpoint", "aws_sagemaker_feature_group", "APP_FEATURE_GROUP",
     "      APP_FEATURE_GROUP = aws_sagemaker_feature_group.features.feature_group_name\n"),
    ("aws", "aws_ecs_service", "aws_sagemaker_feature_group", "APP_FEATURE_GROUP",
     '      { name = "APP_FEATURE_GROUP", value = aws_sagemaker_feature_group.features.'
     'feature_group_name },\n'),
])
def test_the_serving_compute_gets_its_feature_store_and_the_gate_sees_it_go(
        tmp_path, cloud, serve_kind, store_kind, name, line):
    root = write_tree(generate(_with_feature_store(cloud, serve_kind, store_kind)),
                      tmp_path / "repo")
    serve = root / "infra" / "terraform" / cloud / "serve.tf"
    assert line in serve.read_text()
    assert check_consistency(root).passed
    assert check_terraform_fmt(root, 120).passed
    _edit(serve, line)
    result = check_consistency(root)
    assert not result.passed
    assert f"runs app.api.serve, whose ml.features.lookup reads {name}" in result.details


def test_an_asgi_import_string_is_followed(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "serve.py").write_text('import uvicorn\nuvicorn.run("pkg.app:app")\n')
    (tmp_path / "pkg" / "app.py").write_text('import os\nTABLE = os.environ["APP_TABLE"]\n')
    assert code_needs(tmp_path, "pkg.serve") == {"APP_TABLE": {"pkg.app"}}


@pytest.mark.parametrize("name", ["feature_offline_store_uri", "track_artifact_store_uri"])
def test_example_store_uris_are_s3_prefixes_the_policies_can_split(name):
    """iam.tf takes the bucket as split("/", uri)[2]: a placeholder that is no S3 URL made
    `terraform plan` fail on the planner's AWS realtime plans (SageMaker feature group)."""
    value = example_value(name, "string", cloud="aws", slug="demo", region="eu-west-1")
    assert value.strip('"').split("/")[2] == "demo-artifacts"


def test_example_bucket_arns_are_arns():
    """Firehose, DataSync and MWAA take a platform bucket by ARN: a placeholder that is no ARN
    made the emulator apply of the planner's AWS streaming plan fail (MalformedPolicyDocument)."""
    value = example_value("ingest_destination_bucket_arn", "string", cloud="aws", slug="demo",
                          region="eu-west-1")
    assert value == '"arn:aws:s3:::demo-ingest-destination-bucket"'
