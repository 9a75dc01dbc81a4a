"""Shared fixtures: sample data and a model trained on it, in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from ml.pipelines.sample_data import write_sample
from ml.training.train import train


@pytest.fixture
def sample_table(tmp_path: Path) -> Path:
    return write_sample(tmp_path / "raw" / "sample.csv")


@pytest.fixture
def trained_model(tmp_path: Path, sample_table: Path) -> tuple[Path, dict[str, float]]:
    model_path = tmp_path / "artifacts" / "model.json"
    metrics = train(sample_table, model_path)
    return model_path, metrics
