"""Small RepoSpecs for every cloud x workload family, built without the planner.

Each family lists the components a plan of that kind holds, per cloud, as
``(capability, service, terraform_kind)``; a kind of None is a self-hosted component.
"""

from __future__ import annotations

from agilab_lab.agents.types import (
    Component,
    Constraints,
    CostEstimate,
    CostLine,
    Plan,
    PolicyReport,
    RepoSpec,
    Section,
)

CLOUDS = ("aws", "gcp", "azure")
REGIONS = {"aws": "eu-west-1", "gcp": "europe-west1", "azure": "westeurope"}

STORE = {"aws": ("Amazon S3", "aws_s3_bucket"), "gcp": ("Cloud Storage", "gcp_gcs_bucket"),
         "azure": ("Azure Blob Storage", "azure_storage_account")}
TRAIN = {"aws": ("SageMaker Training", "aws_sagemaker_training"),
         "gcp": ("Vertex AI Training", "gcp_vertex_training"),
         "azure": ("Azure Machine Learning", "azure_ml_workspace")}
SERVE = {"aws": ("SageMaker Endpoint", "aws_sagemaker_endpoint"),
         "gcp": ("Vertex AI Endpoint", "gcp_vertex_endpoint"),
         "azure": ("Azure ML Online Endpoint", "azure_ml_online_endpoint")}
OBSERVE = {"aws": ("CloudWatch", "aws_cloudwatch"), "gcp": ("Cloud Monitoring", "gcp_monitoring"),
           "azure": ("Azure Monitor", "azure_monitor")}
STREAM = {"aws": ("Kinesis Data Streams", "aws_kinesis"), "gcp": ("Pub/Sub", "gcp_pubsub"),
          "azure": ("Event Hubs", "azure_event_hubs")}
VECTOR = {"aws": ("OpenSearch", "aws_opensearch"), "gcp": ("Vertex AI Vector Search",
          "gcp_vertex_vector_search"), "azure": ("Azure AI Search", "azure_ai_search")}
BATCH = {"aws": ("DynamoDB feature table", "aws_dynamodb"),
         "gcp": ("Cloud Run job", "gcp_cloud_run_job"),
         "azure": ("Data Factory", "azure_data_factory")}
MLFLOW = ("MLflow tracking server", None)
# What the planner writes into Component.sizing (units and the priced unit of the catalogue).
SIZING = {
    ("aws", "serve"): {"units": 2, "unit": "ml.c5.xlarge instance-hour"},
    ("aws", "train"): {"units": 1, "unit": "ml.m5.2xlarge instance-hour"},
    ("gcp", "serve"): {"units": 2, "unit": "n1-standard-4 node-hour"},
    ("gcp", "train"): {"units": 1, "unit": "n1-standard-8 training-hour"},
    ("azure", "serve"): {"units": 2, "unit": "Standard_DS3_v2 instance-hour"},
    ("azure", "train"): {"units": 1, "unit": "Standard_D8s_v3 node-hour"},
    ("azure", "retrieval"): {"units": 2, "unit": "S1 search-unit-hour"},
}

FAMILIES = {
    "realtime": (["realtime_inference"], [("store", STORE), ("train", TRAIN), ("serve", SERVE),
                                          ("observe", OBSERVE), ("track", MLFLOW)]),
    "batch": (["batch_inference", "forecasting"], [("store", STORE), ("train", TRAIN),
                                                   ("batch", BATCH), ("observe", OBSERVE)]),
    "streaming": (["streaming", "realtime_inference"], [("ingest", STREAM), ("store", STORE),
                                                        ("train", TRAIN), ("serve", SERVE)]),
    "rag": (["rag"], [("store", STORE), ("retrieval", VECTOR), ("serve", SERVE),
                      ("observe", OBSERVE)]),
    "training": (["training"], [("store", STORE), ("train", TRAIN), ("track", MLFLOW)]),
    "vision": (["computer_vision", "training"], [("store", STORE), ("train", TRAIN),
                                                 ("observe", OBSERVE)]),
}


def _component(capability: str, choice, cloud: str, usd: float) -> Component:
    service, kind = choice[cloud] if isinstance(choice, dict) else choice
    return Component(capability=capability, service=service, terraform_kind=kind,
                     sizing=dict(SIZING.get((cloud, capability), {})) if kind else {},
                     option_id=f"{cloud if kind else 'oss'}.{capability}",
                     provider=cloud if kind else "oss", monthly_usd=usd,
                     rationale=f"{service} fits the {capability} need.")


def make_spec(cloud: str, family: str, *, version: int = 1, budget: float = 5000.0,
              region: str | None = None, project_name: str | None = None,
              evidence: dict | None = None) -> RepoSpec:
    """A complete RepoSpec for one cloud x family (component costs 100, 200, ... USD)."""
    workloads, parts = FAMILIES[family]
    region = region or REGIONS[cloud]
    components = [_component(cap, choice, cloud, 100.0 * (i + 1))
                  for i, (cap, choice) in enumerate(parts)]
    cost = CostEstimate(monthly_usd=sum(c.monthly_usd for c in components), price_date="2026-11-01",
                        breakdown=[CostLine(capability=c.capability, service=c.service,
                                            monthly_usd=c.monthly_usd, basis="fixture")
                                   for c in components])
    constraints = Constraints(cloud=cloud, regions=[region], budget_monthly_usd=budget,
                              workloads=workloads, evidence=evidence or {})
    return RepoSpec(
        project_id=f"prj-{cloud}-{family}", project_name=project_name or f"{family} on {cloud}",
        decision_set_id=f"ds-{cloud}-{family}-{version}", version=version, constraints=constraints,
        plan=Plan(cloud=cloud, region=region, regions=[region], workloads=workloads,
                  components=components),
        policy=PolicyReport(passed=True, checked=["data_residency", "encryption_at_rest"]),
        cost=cost,
        sections=[Section(key="context", title="Context", markdown=f"A {family} system."),
                  Section(key="risks", title="Risks", markdown="- Sample risk.")],
    )


def with_external_llm(spec: RepoSpec, provider: str = "anthropic", **sizing) -> RepoSpec:
    """``spec`` plus a generation component served by a public LLM API (no Terraform kind:
    the stack provisions only the route to it)."""
    spec.plan.components.append(Component(
        capability="generate", service="Anthropic API: Claude 3.5 Haiku", option_id=f"{provider}.llm",
        provider=provider, monthly_usd=50.0, rationale="A public LLM API.",
        sizing={"model": "claude-3-5-haiku-20241022", **sizing}))
    return spec


REDIS = {"aws": "aws_elasticache", "gcp": "gcp_memorystore_redis", "azure": "azure_redis"}


def redis_spec(cloud: str, serving: str | None = None) -> RepoSpec:
    """A realtime plan whose online features live in the cloud's Redis, served by the
    ``serving`` family when given (else the realtime family's endpoint)."""
    spec = make_spec(cloud, "realtime")
    if serving:
        serve = spec.plan.component("serve")
        spec.plan.components[spec.plan.components.index(serve)] = serve.model_copy(
            update={"service": "API service", "terraform_kind": serving, "sizing": {}})
    spec.plan.components.append(Component(
        capability="feature", service="Online feature cache", terraform_kind=REDIS[cloud],
        option_id=f"{cloud}.feature", provider=cloud, monthly_usd=0.0, rationale="lookups"))
    return spec
