"""Which files a generated repository holds, and under which plan feature.

Each entry is ``(output path, template under templates/, feature or None)``. A feature
entry is rendered only when the plan calls for it (see :class:`context.Features`), so a
batch-only plan gets no ``app/api`` and a RAG plan gets ``ml/retrieval``. Terraform files
depend on the planned components and are listed by :mod:`agilab_lab.repogen.terraform`.
"""

from __future__ import annotations

ALWAYS = None

MANIFEST: tuple[tuple[str, str, str | None], ...] = (
    ("README.md", "root/README.md.j2", ALWAYS),
    ("pyproject.toml", "root/pyproject.toml.j2", ALWAYS),
    ("requirements.txt", "root/requirements.txt.j2", ALWAYS),
    ("requirements-dev.txt", "root/requirements-dev.txt.j2", ALWAYS),
    (".gitignore", "root/gitignore.j2", ALWAYS),
    (".dockerignore", "root/dockerignore.j2", ALWAYS),
    (".env.example", "root/env.example.j2", ALWAYS),
    ("core/__init__.py", None, ALWAYS),
    ("core/config.py", "python/core/config.py.j2", ALWAYS),
    ("models/__init__.py", None, ALWAYS),
    ("models/linear.py", "python/models/linear.py.j2", ALWAYS),
    ("ml/__init__.py", None, ALWAYS),
    ("ml/pipelines/__init__.py", None, ALWAYS),
    ("ml/pipelines/sample_data.py", "python/ml/pipelines/sample_data.py.j2", ALWAYS),
    ("ml/pipelines/features.py", "python/ml/pipelines/features.py.j2", ALWAYS),
    ("ml/pipelines/batch_score.py", "python/ml/pipelines/batch_score.py.j2", "batch"),
    ("ml/pipelines/run.py", "python/ml/pipelines/run.py.j2", ALWAYS),
    ("ml/features/__init__.py", None, ALWAYS),
    ("ml/features/lookup.py", "python/ml/features/lookup.py.j2", ALWAYS),
    ("ml/monitoring/__init__.py", None, ALWAYS),
    ("ml/monitoring/drift.py", "python/ml/monitoring/drift.py.j2", ALWAYS),
    ("ml/training/__init__.py", None, ALWAYS),
    ("ml/training/train.py", "python/ml/training/train.py.j2", ALWAYS),
    ("ml/evaluation/__init__.py", None, ALWAYS),
    ("ml/evaluation/evaluate.py", "python/ml/evaluation/evaluate.py.j2", ALWAYS),
    ("ml/deployment/__init__.py", None, ALWAYS),
    ("ml/deployment/deploy.py", "python/ml/deployment/deploy.py.j2", ALWAYS),
    ("ml/forecasting/__init__.py", None, "forecast"),
    ("ml/forecasting/series.py", "python/ml/forecasting/series.py.j2", "forecast"),
    ("ml/forecasting/model.py", "python/ml/forecasting/model.py.j2", "forecast"),
    ("ml/forecasting/batch_forecast.py", "python/ml/forecasting/batch_forecast.py.j2", "forecast"),
    ("ml/vision/__init__.py", None, "vision"),
    ("ml/vision/dataset.py", "python/ml/vision/dataset.py.j2", "vision"),
    ("ml/vision/cnn.py", "python/ml/vision/cnn.py.j2", "vision"),
    ("ml/vision/train.py", "python/ml/vision/train.py.j2", "vision"),
    ("ml/vision/batch_infer.py", "python/ml/vision/batch_infer.py.j2", "vision"),
    ("ml/streaming/__init__.py", None, "streaming"),
    ("ml/streaming/consumer.py", "python/ml/streaming/consumer.py.j2", "streaming"),
    ("ml/streaming/source.py", "python/ml/streaming/source.py.j2", "streaming"),
    ("ml/retrieval/__init__.py", None, "rag"),
    ("ml/retrieval/index.py", "python/ml/retrieval/index.py.j2", "rag"),
    ("ml/rag/__init__.py", None, "rag"),
    ("ml/rag/documents.py", "python/ml/rag/documents.py.j2", "rag"),
    ("ml/rag/providers.py", "python/ml/rag/providers.py.j2", "rag"),
    ("ml/rag/pipeline.py", "python/ml/rag/pipeline.py.j2", "rag"),
    ("app/__init__.py", None, "online"),
    ("app/api/__init__.py", None, "online"),
    ("app/api/schemas.py", "python/app/api/schemas.py.j2", "online"),
    ("app/api/main.py", "python/app/api/main.py.j2", "online"),
    ("app/api/serve.py", "python/app/api/serve.py.j2", "online"),
    ("data/raw/.gitkeep", None, ALWAYS),
    ("data/processed/.gitkeep", None, ALWAYS),
    ("tests/conftest.py", "python/tests/conftest.py.j2", ALWAYS),
    ("tests/unit/test_config.py", "python/tests/unit/test_config.py.j2", ALWAYS),
    ("tests/unit/test_linear_model.py", "python/tests/unit/test_linear_model.py.j2", ALWAYS),
    ("tests/unit/test_features.py", "python/tests/unit/test_features.py.j2", ALWAYS),
    ("tests/unit/test_drift.py", "python/tests/unit/test_drift.py.j2", ALWAYS),
    ("tests/unit/test_lookup.py", "python/tests/unit/test_lookup.py.j2", ALWAYS),
    ("tests/unit/test_batch_score.py", "python/tests/unit/test_batch_score.py.j2", "batch"),
    ("tests/unit/test_forecasting.py", "python/tests/unit/test_forecasting.py.j2", "forecast"),
    ("tests/unit/test_vision.py", "python/tests/unit/test_vision.py.j2", "vision"),
    ("tests/unit/test_streaming.py", "python/tests/unit/test_streaming.py.j2", "streaming"),
    ("tests/unit/test_stream_source.py", "python/tests/unit/test_stream_source.py.j2",
     "streaming"),
    ("tests/unit/test_retrieval.py", "python/tests/unit/test_retrieval.py.j2", "rag"),
    ("tests/unit/test_rag.py", "python/tests/unit/test_rag.py.j2", "rag"),
    ("tests/integration/test_pipeline.py", "python/tests/integration/test_pipeline.py.j2", ALWAYS),
    ("tests/integration/test_run.py", "python/tests/integration/test_run.py.j2", ALWAYS),
    ("tests/integration/test_api.py", "python/tests/integration/test_api.py.j2", "online"),
    ("infra/docker/Dockerfile", "infra/Dockerfile.j2", ALWAYS),
    ("infra/docker/compose.yaml", "infra/compose.yaml.j2", "containers"),
    (".github/workflows/ci.yml", "ci/ci.yml.j2", ALWAYS),
    (".github/workflows/cd.yml", "ci/cd.yml.j2", ALWAYS),
    ("docs/architecture.md", "docs/architecture.md.j2", ALWAYS),
)


def selected(features: dict[str, bool]) -> list[tuple[str, str | None]]:
    """``(path, template)`` pairs for the features that are on; template None = empty file."""
    return [(path, template) for path, template, when in MANIFEST
            if when is ALWAYS or features.get(when, False)]
