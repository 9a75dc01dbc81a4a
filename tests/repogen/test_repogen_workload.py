"""Workload code follows the plan: the serving platform's HTTP contract and the families."""

from __future__ import annotations

import pytest

from agilab_lab.agents.types import Component
from agilab_lab.repogen import generate

from .plans import make_spec


def _text(files, path):
    return files[path].decode()


@pytest.mark.parametrize(("cloud", "health", "predict", "env"), [
    ("aws", '"/ping"', '"/invocations"', None),
    ("gcp", '"/health"', '"/invocations"', ("AIP_HEALTH_ROUTE", "AIP_PREDICT_ROUTE", "AIP_HTTP_PORT")),
    ("azure", '"/health"', '"/score"', None),
])
def test_serving_follows_the_platform_contract(cloud, health, predict, env):
    files = generate(make_spec(cloud, "realtime"))
    config = _text(files, "core/config.py")
    assert f"health_route: str = {health}" in config
    assert f"predict_route: str = {predict}" in config
    for name in env or ():
        assert f'env.get("{name}")' in config
    dockerfile = _text(files, "infra/docker/Dockerfile")
    assert 'ENTRYPOINT ["python", "-m", "app.api.serve"]' in dockerfile
    assert f"127.0.0.1:8080{health.strip(chr(34))}" in dockerfile
    assert ("ENV APP_MODEL_PATH=/opt/ml/model/model.json" in dockerfile) == (cloud == "aws")


def test_a_plan_without_a_managed_endpoint_gets_the_generic_contract():
    spec = make_spec("aws", "realtime")
    spec.plan.components = [c for c in spec.plan.components if c.capability != "serve"]
    config = _text(generate(spec), "core/config.py")
    assert 'predict_route: str = "/invocations"' in config and 'env.get("PORT")' in config


@pytest.mark.parametrize(("cloud", "pins", "calls"), [
    ("aws", ["boto3==", "botocore=="], ['boto3.client("bedrock-runtime"', "converse("]),
    ("gcp", ["google-genai==", "google-auth=="], ["genai.Client(vertexai=True", "embed_content("]),
    ("azure", ["openai==", "azure-search-documents==", "azure-identity=="],
     ["AzureOpenAI(", "get_bearer_token_provider("]),
])
def test_rag_uses_the_chosen_clouds_sdk(cloud, pins, calls):
    files = generate(make_spec(cloud, "rag"))
    requirements = _text(files, "requirements.txt")
    providers = _text(files, "ml/rag/providers.py")
    for pin in pins:
        assert pin in requirements
    for call in calls:
        assert call in providers
    other = {"aws": "google-genai", "gcp": "boto3", "azure": "boto3"}[cloud]
    assert other not in requirements
    names = [line.split("==")[0].lower() for line in requirements.splitlines() if "==" in line]
    dev = _text(files, "requirements-dev.txt")
    assert len(names) == len(set(names))  # one pin per package
    assert not {line.split("==")[0].lower() for line in dev.splitlines() if "==" in line} & set(names)


def test_plans_without_rag_carry_no_cloud_sdk():
    requirements = _text(generate(make_spec("aws", "realtime")), "requirements.txt")
    assert "boto3" not in requirements and "openai" not in requirements


def test_a_planned_generation_model_reaches_the_code():
    spec = make_spec("aws", "rag")
    serve = spec.plan.component("serve")
    spec.plan.components.append(serve.model_copy(update={
        "capability": "generation", "terraform_kind": None, "option_id": "aws.bedrock",
        "sizing": {"model": "anthropic.claude-haiku-4-5"}, "monthly_usd": 0.0}))
    providers = _text(generate(spec), "ml/rag/providers.py")
    assert 'GENERATION_MODEL = "anthropic.claude-haiku-4-5"' in providers


def test_forecasting_plans_get_the_time_series_job():
    files = generate(make_spec("gcp", "batch"))
    assert "class HoltWinters" in _text(files, "ml/forecasting/model.py")
    assert "CLOUD_RUN_TASK_INDEX" in _text(files, "ml/forecasting/batch_forecast.py")
    assert 'CMD ["python", "-m", "ml.forecasting.batch_forecast"]' in _text(
        files, "infra/docker/Dockerfile")


def test_vision_plans_get_image_loading_and_a_cnn():
    files = generate(make_spec("aws", "vision"))
    assert "pillow==" in _text(files, "requirements.txt")
    assert "from PIL import Image" in _text(files, "ml/vision/dataset.py")
    assert "class SmallCNN" in _text(files, "ml/vision/cnn.py")
    assert 'CMD ["python", "-m", "ml.vision.train"]' in _text(files, "infra/docker/Dockerfile")
    assert "ml/vision/train.py" in _text(files, "docs/architecture.md")


def test_the_family_follows_the_constraints_not_the_fixture():
    spec = make_spec("gcp", "training")
    spec.plan.workloads = ["computer_vision"]
    assert "ml/vision/cnn.py" in generate(spec)
    spec.plan.workloads = ["forecasting"]
    files = generate(spec)
    assert "ml/forecasting/model.py" in files and "ml/vision/cnn.py" not in files


@pytest.mark.parametrize(("cloud", "pin", "calls", "fake"), [
    ("aws", "boto3==", ['boto3.client("kinesis"', "get_shard_iterator(", "get_records("],
     "class FakeKinesis"),
    ("gcp", "google-cloud-pubsub==", ["pubsub_v1.SubscriberClient()", ".subscribe(", ".ack()",
                                      ".nack()"], "class FakeSubscriber"),
    ("azure", "azure-eventhub==", ["EventHubConsumerClient(", "receive_batch",
                                   "update_checkpoint("], "class FakeEventHub"),
])
def test_streaming_plans_consume_the_chosen_broker_with_its_sdk(cloud, pin, calls, fake):
    files = generate(make_spec(cloud, "streaming"))
    source = _text(files, "ml/streaming/source.py")
    for call in calls:
        assert call in source
    assert pin in _text(files, "requirements.txt")
    assert fake in _text(files, "tests/unit/test_stream_source.py")
    assert "--broker" in _text(files, "ml/streaming/consumer.py")


def test_a_streaming_plan_without_a_managed_broker_reads_json_lines():
    spec = make_spec("aws", "streaming")
    spec.plan.components = [c for c in spec.plan.components if c.capability != "ingest"]
    files = generate(spec)
    assert "class LinesSource" in _text(files, "ml/streaming/source.py")
    assert "boto3" not in _text(files, "ml/streaming/source.py")
    assert "boto3" not in _text(files, "requirements.txt")


def _with_feature_store(cloud: str, kind: str):
    spec = make_spec(cloud, "realtime")
    spec.plan.components.append(Component(
        capability="feature", service="Online feature store", terraform_kind=kind,
        option_id=f"{cloud}.feature", provider=cloud, monthly_usd=0.0, rationale="lookups"))
    return spec


@pytest.mark.parametrize(("cloud", "kind", "pin", "calls"), [
    ("aws", "aws_sagemaker_feature_group", "boto3==",
     ['boto3.client("sagemaker-featurestore-runtime"', "get_record(FeatureGroupName="]),
    ("aws", "aws_dynamodb", "boto3==", ['boto3.client("dynamodb"', "get_item(TableName="]),
    ("gcp", "gcp_vertex_feature_store", "google-auth==",
     ["AuthorizedSession(", ":fetchFeatureValues"]),
    ("azure", "azure_redis", "redis==", ["redis.Redis(", ".hgetall("]),
])
def test_realtime_plans_look_features_up_in_the_chosen_store(cloud, kind, pin, calls):
    files = generate(_with_feature_store(cloud, kind))
    lookup = _text(files, "ml/features/lookup.py")
    for call in calls:
        assert call in lookup
    assert pin in _text(files, "requirements.txt")
    tests = _text(files, "tests/unit/test_lookup.py")
    assert "class Fake" in tests and "test_the_api_scores_entities_looked_up" in tests
    assert "load_feature_store(settings.feature_snapshot)" in _text(files, "app/api/main.py")


def test_the_endpoint_role_may_read_the_feature_group():
    iam = _text(generate(_with_feature_store("aws", "aws_sagemaker_feature_group")),
                "infra/terraform/aws/iam.tf")
    assert '"sagemaker:GetRecord"' in iam
    assert "aws_sagemaker_feature_group.feature.arn" in iam


def test_without_a_managed_feature_store_the_snapshot_stays():
    files = generate(make_spec("gcp", "realtime"))
    lookup = _text(files, "ml/features/lookup.py")
    assert "class SnapshotFeatureStore" in lookup and "managed_store" not in lookup


def test_an_msk_plan_consumes_kafka_with_msk_iam_auth():
    spec = make_spec("aws", "streaming")
    ingest = spec.plan.component("ingest")
    spec.plan.components[spec.plan.components.index(ingest)] = ingest.model_copy(
        update={"service": "Amazon MSK", "terraform_kind": "aws_msk"})
    files = generate(spec)
    source = _text(files, "ml/streaming/source.py")
    assert "Consumer({" in source and '"enable.auto.commit": False' in source
    assert "MSKAuthTokenProvider.generate_auth_token(region)" in source
    requirements = _text(files, "requirements.txt")
    assert "confluent-kafka==" in requirements and "aws-msk-iam-sasl-signer-python==" in requirements
    assert "class FakeConsumer" in _text(files, "tests/unit/test_stream_source.py")


def test_a_streaming_only_container_consumes_the_broker():
    spec = make_spec("gcp", "streaming")
    spec.plan.workloads = ["streaming"]
    spec.plan.components = [c for c in spec.plan.components if c.capability != "serve"]
    dockerfile = _text(generate(spec), "infra/docker/Dockerfile")
    assert 'CMD ["python", "-m", "ml.streaming.consumer", "--broker"]' in dockerfile
