"""What each fixture plan must produce, written out by hand (not derived from the generator)."""

from __future__ import annotations

COMMON = {
    ".agilab-answers.json", ".dockerignore", ".env.example", ".github/workflows/ci.yml", ".github/workflows/cd.yml",
    ".gitignore", "README.md", "pyproject.toml", "requirements.txt", "requirements-dev.txt",
    "core/__init__.py", "core/config.py", "models/__init__.py", "models/linear.py",
    "ml/__init__.py", "ml/pipelines/__init__.py", "ml/pipelines/sample_data.py",
    "ml/pipelines/features.py", "ml/training/__init__.py", "ml/training/train.py",
    "ml/evaluation/__init__.py", "ml/evaluation/evaluate.py", "ml/deployment/__init__.py",
    "ml/deployment/deploy.py", "ml/pipelines/run.py", "ml/features/__init__.py",
    "ml/features/lookup.py", "ml/monitoring/__init__.py", "ml/monitoring/drift.py",
    "tests/unit/test_drift.py", "tests/unit/test_lookup.py", "tests/integration/test_run.py",
    "data/raw/.gitkeep", "data/processed/.gitkeep",
    "tests/conftest.py", "tests/unit/test_config.py", "tests/unit/test_linear_model.py",
    "tests/unit/test_features.py", "tests/integration/test_pipeline.py",
    "infra/docker/Dockerfile", "docs/architecture.md", "reports/policy_report.md",
    "reports/policy_report.json", "reports/cost_estimate.json", "reports/plan.json",
}
ONLINE = {"app/__init__.py", "app/api/__init__.py", "app/api/main.py", "app/api/schemas.py",
          "app/api/serve.py",
          "tests/integration/test_api.py"}
BATCH = {"ml/pipelines/batch_score.py", "tests/unit/test_batch_score.py"}
STREAMING = {"ml/streaming/__init__.py", "ml/streaming/consumer.py", "ml/streaming/source.py",
             "tests/unit/test_streaming.py", "tests/unit/test_stream_source.py"}
RAG = {"ml/retrieval/__init__.py", "ml/retrieval/index.py", "tests/unit/test_retrieval.py",
       "ml/rag/__init__.py", "ml/rag/documents.py", "ml/rag/providers.py", "ml/rag/pipeline.py",
       "tests/unit/test_rag.py"}
COMPOSE = {"infra/docker/compose.yaml"}
VISION = {"ml/vision/__init__.py", "ml/vision/dataset.py", "ml/vision/cnn.py",
          "ml/vision/train.py", "ml/vision/batch_infer.py", "tests/unit/test_vision.py"}
FORECAST = {"ml/forecasting/__init__.py", "ml/forecasting/series.py", "ml/forecasting/model.py",
            "ml/forecasting/batch_forecast.py", "tests/unit/test_forecasting.py"}

# Terraform file stems per cloud: base files plus one per planned component label.
TF_BASE = {"versions", "providers", "variables", "main", "outputs"}
NETWORK = {"aws": {"network"}, "gcp": {"network"}, "azure": {"network"}}

FAMILY_FILES = {
    "realtime": ONLINE | COMPOSE,
    "batch": BATCH | FORECAST,
    "streaming": ONLINE | STREAMING,
    "rag": ONLINE | RAG,
    "training": COMPOSE,
    "vision": VISION,
}
FAMILY_LABELS = {
    "realtime": {"store", "train", "serve", "observe"},
    "batch": {"store", "train", "batch", "observe"},
    "streaming": {"ingest", "store", "train", "serve"},
    "rag": {"store", "retrieval", "serve", "observe"},
    "training": {"store", "train"},
    "vision": {"store", "train", "observe"},
}
# Shared Terraform files a family needs beyond the labels (private network, ML workspace).
FAMILY_SHARED = {
    ("aws", "realtime"): {"network"}, ("aws", "streaming"): {"network"},
    ("aws", "rag"): {"network"}, ("gcp", "realtime"): {"network"},
    ("gcp", "streaming"): {"network"}, ("gcp", "rag"): {"network"}, ("gcp", "batch"): {"network"},
    **{("azure", family): {"ml_workspace", "network"}  # every Azure stack brings its VNet
       for family in ("realtime", "streaming", "rag", "batch", "training", "vision")},
}

# Stacks with a compute that runs the repository's image (SageMaker endpoint, Cloud Run job,
# stream consumers) get the stack's image registry (images.tf).
IMAGES = {("aws", "realtime"), ("aws", "streaming"), ("aws", "rag"), ("gcp", "batch"),
          ("gcp", "streaming"), ("azure", "streaming")}


def expected_files(cloud: str, family: str) -> set[str]:
    stems = TF_BASE | FAMILY_LABELS[family] | FAMILY_SHARED.get((cloud, family), set())
    stems |= {"images"} if (cloud, family) in IMAGES else set()
    stems |= {"iam"}  # every family has a role, service account or identity
    terraform = {f"infra/terraform/{cloud}/{stem}.tf" for stem in stems}
    terraform.add(f"infra/terraform/{cloud}/example.tfvars")
    return COMMON | FAMILY_FILES[family] | terraform
