"""Which workload code a plan gets: its serving platform's HTTP contract, its workload
families (forecasting, RAG, computer vision, ...) and the cloud SDK each needs.

Everything here is read from the plan (its workloads and the families of its components),
never hard-coded per repository.
"""

from __future__ import annotations

from dataclasses import dataclass

from .context import RenderContext

# Online serving families -> the platform whose HTTP contract the container must follow.
PLATFORMS = {
    "aws_sagemaker_endpoint": "sagemaker",
    "gcp_vertex_endpoint": "vertex",
    "gcp_cloud_run_service": "cloud_run",
    "azure_container_app": "container_apps",
    "azure_ml_online_endpoint": "azureml",
    "aws_ecs_service": "ecs",
}


@dataclass(frozen=True)
class Serving:
    """The HTTP contract of the serving container (routes and where its port comes from)."""

    platform: str
    health_route: str
    predict_route: str
    health_env: str | None = None  # env var the platform sets to override the route
    predict_env: str | None = None
    port_env: str | None = None

    def as_dict(self) -> dict:
        return {"platform": self.platform, "health_route": self.health_route,
                "predict_route": self.predict_route, "health_env": self.health_env,
                "predict_env": self.predict_env, "port_env": self.port_env}


CONTRACTS = {
    # SageMaker hosting: GET /ping and POST /invocations on port 8080, started as `serve`.
    "sagemaker": Serving("sagemaker", "/ping", "/invocations"),
    # Vertex AI custom containers: routes and port come from AIP_* variables.
    "vertex": Serving("vertex", "/health", "/invocations", "AIP_HEALTH_ROUTE", "AIP_PREDICT_ROUTE",
                      "AIP_HTTP_PORT"),
    # Cloud Run and Container Apps: any routes, the port comes from PORT.
    "cloud_run": Serving("cloud_run", "/health", "/invocations", port_env="PORT"),
    "container_apps": Serving("container_apps", "/health", "/invocations", port_env="PORT"),
    # Azure ML online endpoints: the deployment names the liveness/readiness/scoring routes.
    "azureml": Serving("azureml", "/health", "/score"),
    "ecs": Serving("ecs", "/health", "/invocations", port_env="PORT"),
    "generic": Serving("generic", "/health", "/invocations", port_env="PORT"),
}


def serving_contract(ctx: RenderContext) -> Serving:
    """The contract of the plan's first online serving family (generic when there is none)."""
    platform = next((PLATFORMS[t.kind.key] for t in ctx.terraform if t.kind.key in PLATFORMS),
                    "generic")
    return CONTRACTS[platform]


def families(ctx: RenderContext) -> dict[str, bool]:
    """Workload families beyond tabular scoring that the plan calls for."""
    workloads = set(ctx.spec.plan.workloads or ctx.spec.constraints.workloads)
    return {"forecast": "forecasting" in workloads,
            "rag": ctx.features.rag,
            "vision": bool(workloads & {"computer_vision", "vision", "image_classification"})}


# Where a task of a batch job finds its index (and the task count) on each cloud.
PARTITION_ENV = {
    "aws": {"index": "AWS_BATCH_JOB_ARRAY_INDEX", "count": None},
    "gcp": {"index": "CLOUD_RUN_TASK_INDEX", "count": "CLOUD_RUN_TASK_COUNT"},
    "azure": {"index": "AZUREML_PARTITION_INDEX", "count": "AZUREML_PARTITION_COUNT"},
}


def partition_env(ctx: RenderContext) -> dict:
    return PARTITION_ENV[ctx.cloud]


def sdk_closures(ctx: RenderContext) -> tuple[str, ...]:
    """Keys of data/sdk_pins.toml the plan's workload code needs (the chosen cloud's SDKs)."""
    keys = []
    if ctx.features.rag:
        keys.append(f"rag_{ctx.cloud}")
    if families(ctx)["vision"]:
        keys.append("vision")
    broker = stream_broker(ctx)
    if broker:
        keys.append(broker.get("pins", f"stream_{broker['broker']}"))
    store = feature_store(ctx)
    if store:
        keys.append(store["pins"])
    return tuple(keys)


# The online feature store client of the serving path, by the plan's feature_store kind
# (templates/python/ml/features/stores/<client>.py.j2 and its fake in the generated tests).
FEATURE_STORES = {
    "aws_sagemaker_feature_group": {
        "client": "sagemaker", "store_class": "SageMakerFeatureStore", "pins": "stream_kinesis",
        "sdk": "boto3 (sagemaker-featurestore-runtime get_record)",
        "env": "APP_FEATURE_GROUP"},
    "aws_dynamodb": {"client": "dynamodb", "store_class": "DynamoDBFeatureStore",
                     "pins": "stream_kinesis", "sdk": "boto3 (dynamodb get_item)",
                     "env": "APP_FEATURE_TABLE"},
    "gcp_vertex_feature_store": {
        "client": "vertex", "store_class": "VertexFeatureStore", "pins": "features_vertex",
        "sdk": "google-auth (Vertex AI online serving, fetchFeatureValues)",
        "env": "APP_FEATURE_VIEW"},
    # Redis: TLS always; "auth" says how the client authenticates (validate/redis_auth.py):
    # "token" = the AUTH token Terraform keeps in the cloud's secret store (REDIS_TOKEN_ENV),
    # "token_ca" = the same plus the instance's own server CA (REDIS_CA_ENV), "entra" = an
    # Entra ID token of the compute's managed identity (no secret at all).
    "aws_elasticache": {"client": "redis", "store_class": "RedisFeatureStore",
                        "pins": "features_redis_aws", "sdk": "redis-py (TLS + AUTH token)",
                        "env": "APP_REDIS_HOST", "auth": "token"},
    "gcp_memorystore_redis": {"client": "redis", "store_class": "RedisFeatureStore",
                              "pins": "features_redis", "sdk": "redis-py (TLS + AUTH string)",
                              "env": "APP_REDIS_HOST", "auth": "token_ca"},
    "azure_redis": {"client": "redis", "store_class": "RedisFeatureStore",
                    "pins": "features_redis_azure", "sdk": "redis-py (TLS + Entra ID token)",
                    "env": "APP_REDIS_HOST", "auth": "entra"},
}

# What the Redis client reads besides APP_REDIS_HOST/PORT (the names the Terraform provides).
REDIS_TOKEN_ENV = "APP_REDIS_AUTH_TOKEN"  # the AUTH token, injected from the secret store
REDIS_TOKEN_ARN_ENV = "APP_REDIS_AUTH_TOKEN_SECRET_ARN"  # where a platform cannot inject secrets
REDIS_CA_ENV = "APP_REDIS_CA_CERT"  # PEM of the server CA (Memorystore's own CA)


# What the serving code (app/api -> ml/features/lookup, ml/retrieval, ml/rag) reads to reach a
# planned service, by the service's family: (APP_* name, HCL expression; "{label}" = the
# service's component label). Rendered into the serving compute's environment; the
# consistency gate (validate/runtime_env.py) fails a compute missing one its code needs.
SERVICE_ENV: dict[str, list[tuple[str, str]]] = {
    "aws_dynamodb": [("APP_FEATURE_TABLE", "aws_dynamodb_table.{label}.name")],
    "aws_sagemaker_feature_group": [
        ("APP_FEATURE_GROUP", "aws_sagemaker_feature_group.{label}.feature_group_name")],
    "aws_elasticache": [
        ("APP_REDIS_HOST", "aws_elasticache_replication_group.{label}.primary_endpoint_address"),
        ("APP_REDIS_PORT", "tostring(aws_elasticache_replication_group.{label}.port)")],
    "gcp_vertex_feature_store": [
        ("APP_FEATURE_VIEW", "google_vertex_ai_feature_online_store_featureview.{label}.id")],
    "gcp_memorystore_redis": [
        ("APP_REDIS_HOST", "google_redis_instance.{label}.host"),
        ("APP_REDIS_PORT", "tostring(google_redis_instance.{label}.port)"),
        ("APP_REDIS_CA_CERT", "google_redis_instance.{label}.server_ca_certs[0].cert")],
    "azure_redis": [("APP_REDIS_HOST", "azurerm_redis_cache.{label}.hostname"),
                    ("APP_REDIS_PORT", "tostring(azurerm_redis_cache.{label}.ssl_port)")],
    "azure_ai_search": [
        ("APP_SEARCH_ENDPOINT", '"https://${azurerm_search_service.{label}.name}.search.windows.net"')],
    "azure_openai": [("APP_AZURE_OPENAI_ENDPOINT", "azurerm_cognitive_account.{label}.endpoint")],
}


def serving_env(ctx: RenderContext) -> list[tuple[str, str]]:
    """(name, HCL expression) of the settings the serving code needs from the plan's services
    (the first service of each name wins: the code reads one of each)."""
    found: dict[str, str] = {}
    for t in ctx.terraform:
        for name, expr in SERVICE_ENV.get(t.kind.key, []):
            found.setdefault(name, expr.replace("{label}", t.label))
    if api := external_api(ctx):
        found.setdefault(EXTERNAL_URL_ENV, f'"{api["url"]}"')
    return sorted(found.items())


# Public LLM APIs outside every cloud's network, by the provider of the plan's generation
# component. The RAG path's generation calls them over HTTPS (ml/rag/providers.py
# ExternalGeneration, at EXTERNAL_URL_ENV); the compute that runs it then needs an internet
# egress path: a NAT (repogen/egress.py renders it and the terraform_references gate checks it).
# A component of another non-cloud provider names its OpenAI-compatible URL in sizing.endpoint.
EXTERNAL_APIS = {
    "anthropic": {"api": "anthropic", "url": "https://api.anthropic.com",
                  "model": "claude-3-5-haiku-latest"},
    "openai": {"api": "openai", "url": "https://api.openai.com/v1", "model": "gpt-4o-mini"},
}
EXTERNAL_URL_ENV = "APP_LLM_BASE_URL"
# Its API key: an AWS stack keeps it in a Secrets Manager secret the team fills (never in the
# repository or the state): ECS injects it, a SageMaker model reads it by <name>_SECRET_ARN.
EXTERNAL_KEY_ENV, EXTERNAL_KEY_LABEL = "APP_LLM_API_KEY", "llm_api"
# The pseudo Terraform kind of that secret in data/iam_aws.toml refs (repogen/iam.py).
EXTERNAL_KEY_KIND = "external_llm_api"
NOT_EXTERNAL = ("aws", "gcp", "azure", "oss")


def external_api(ctx: RenderContext) -> dict | None:
    """The public API the RAG path's generation calls, or None (the cloud's own provider)."""
    if not ctx.features.rag:
        return None
    for component in ctx.spec.plan.components:
        provider = component.provider.lower()
        endpoint = component.sizing.get("endpoint")
        endpoint = endpoint if isinstance(endpoint, str) and endpoint.startswith("https://") else None
        if component.capability not in GENERATION_CAPABILITIES or provider in NOT_EXTERNAL:
            continue
        known = EXTERNAL_APIS.get(provider, {"api": "openai", "url": endpoint, "model": None})
        if url := (endpoint or known["url"]):
            model = component.sizing.get("model")
            return {"api": known["api"], "url": url.rstrip("/"), "service": component.service,
                    "model": model if isinstance(model, str) and model else known["model"]}
    return None


def serving_needs_network(ctx: RenderContext) -> bool:
    """The serving code calls another host: a planned service it reads (feature store, cache,
    search index) or the RAG path's LLM provider. A SageMaker model then runs without network
    isolation, inside the stack's VPC (validate/isolation.py fails an isolated one)."""
    return bool(serving_env(ctx)) or ctx.features.rag or feature_store(ctx) is not None


# Secrets the serving code reads, by the service's family: (APP_* name, the secret resource
# holding it; "{label}" = the service's component label). Each compute gets them through its
# platform's secret mechanism (ECS `secrets` valueFrom, Cloud Run `secret_key_ref`; a SageMaker
# model, which has none, gets the secret's ARN as <name>_SECRET_ARN and reads it itself) and its
# identity may read that secret only (iam_aws.toml, iam_gcp.toml).
SERVICE_SECRETS: dict[str, list[tuple[str, str]]] = {
    "aws_elasticache": [(REDIS_TOKEN_ENV, "aws_secretsmanager_secret.{label}_auth")],
    "gcp_memorystore_redis": [(REDIS_TOKEN_ENV, "google_secret_manager_secret.{label}_auth")],
}


def serving_secrets(ctx: RenderContext) -> list[dict]:
    """[{name, secret (resource address), label}] the serving code reads from a secret store
    (the first service of each name wins, like :func:`serving_env`)."""
    found: dict[str, dict] = {}
    for t in ctx.terraform:
        for name, secret in SERVICE_SECRETS.get(t.kind.key, []):
            found.setdefault(name, {"name": name, "secret": secret.replace("{label}", t.label),
                                    "label": t.label})
    if ctx.cloud == "aws" and external_api(ctx):  # the public LLM API's key (shared/llm_api.tf)
        found.setdefault(EXTERNAL_KEY_ENV, {"name": EXTERNAL_KEY_ENV, "label": EXTERNAL_KEY_LABEL,
                                            "secret": f"aws_secretsmanager_secret.{EXTERNAL_KEY_LABEL}_auth"})
    return [found[name] for name in sorted(found)]


def redis_entra_caches(ctx: RenderContext) -> list[str]:
    """Labels of the Azure caches the serving identity reads with Entra ID (it gets a data
    access policy on each)."""
    return [t.label for t in ctx.terraform if t.kind.key == "azure_redis"]


def feature_store(ctx: RenderContext) -> dict | None:
    """The client of the plan's first managed online feature store, or None (snapshot only)."""
    for t in ctx.terraform:
        if t.kind.key in FEATURE_STORES:
            return {**FEATURE_STORES[t.kind.key], "service": t.component.service}
    return None


# The broker client the streaming consumer uses in production, by the plan's streaming kind
# (templates/python/ml/streaming/brokers/<broker>.py.j2 and its fake in the generated tests).
STREAM_BROKERS: dict[str, dict] = {
    "aws_kinesis": {"broker": "kinesis", "sdk": "boto3 (kinesis)", "source_class": "KinesisSource",
                    "units": "shards",
                    "summary": "list_shards, get_shard_iterator and get_records, checkpointed "
                               "by sequence number per shard"},
    "aws_msk": {"broker": "kafka", "sdk": "confluent-kafka (MSK IAM auth)",
                "source_class": "KafkaSource", "units": "partitions", "pins": "stream_kafka_msk",
                "summary": "a consumer group with auto-commit off, offsets committed per "
                           "partition once a batch is scored"},
    "gcp_pubsub": {"broker": "pubsub", "sdk": "google-cloud-pubsub", "source_class": "PubSubSource",
                   "units": "deliveries",
                   "summary": "streaming pull; a message is acked once its batch is scored, "
                              "nacked when scoring fails"},
    "azure_event_hubs": {"broker": "eventhubs", "sdk": "azure-eventhub",
                         "source_class": "EventHubsSource", "units": "partitions",
                         "summary": "EventHubConsumerClient.receive_batch, checkpointed by "
                                    "sequence number per partition"},
}


def stream_broker(ctx: RenderContext) -> dict | None:
    """The production broker of the plan's first managed streaming component, or None."""
    for t in ctx.terraform:
        if t.kind.key in STREAM_BROKERS:
            return {**STREAM_BROKERS[t.kind.key], "service": t.component.service,
                    "label": t.label}
    return None


def stream_consumer(ctx: RenderContext) -> str | None:
    """Label of the streaming component whose consumer (``python -m ml.streaming.consumer
    --broker``) the stack deploys, or None: the repo ships the consumer and the plan names a
    broker it has a client for."""
    broker = stream_broker(ctx)
    return broker["label"] if broker and ctx.features.streaming else None


# The production provider of the RAG path per cloud (SDK and default model ids; the plan's
# generation/embedding components override the models through their sizing "model").
RAG_PROVIDERS = {
    "aws": {"provider": "bedrock", "provider_class": "BedrockProvider", "sdk": "boto3",
            "provider_label": "Amazon Bedrock", "embedding_model": "amazon.titan-embed-text-v2:0",
            "generation_model": "amazon.nova-lite-v1:0"},
    "gcp": {"provider": "vertex", "provider_class": "VertexProvider", "sdk": "google-genai",
            "provider_label": "Vertex AI", "embedding_model": "text-embedding-005",
            "generation_model": "gemini-2.5-flash"},
    "azure": {"provider": "azure_openai", "provider_class": "AzureOpenAIProvider",
              "sdk": "openai + azure-search-documents", "provider_label": "Azure OpenAI",
              "embedding_model": "text-embedding-3-small", "generation_model": "gpt-4o-mini"},
}
GENERATION_CAPABILITIES = ("generation", "generate", "llm")
EMBEDDING_CAPABILITIES = ("embeddings", "embedding", "embed")


def _planned_model(ctx: RenderContext, capabilities: tuple[str, ...]) -> str | None:
    for component in ctx.spec.plan.components:
        model = component.sizing.get("model")
        if component.capability in capabilities and isinstance(model, str) and model.strip():
            return model.strip()
    return None


def rag_provider(ctx: RenderContext) -> dict:
    rag = dict(RAG_PROVIDERS[ctx.cloud])
    rag["generation_model"] = (_planned_model(ctx, GENERATION_CAPABILITIES)
                               or rag["generation_model"])
    rag["embedding_model"] = _planned_model(ctx, EMBEDDING_CAPABILITIES) or rag["embedding_model"]
    rag["external"] = api = external_api(ctx)
    if api:
        rag["external"] = {**api, "env": EXTERNAL_URL_ENV}
        rag["generation_model"] = api["model"] or rag["generation_model"]
    classes = ["LocalProvider", rag["provider_class"], *(["ExternalGeneration"] if api else [])]
    rag["test_imports"] = ", ".join([*sorted(classes), "make_provider"])
    return rag
