"""The serving API against a model trained on sample data."""

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from core.config import Settings
from ml.pipelines.sample_data import FEATURES


@pytest.fixture
def client(trained_model):
    model_path, _ = trained_model
    return TestClient(create_app(Settings(model_path=model_path)))


def test_health_reports_the_loaded_model(client):
    assert client.get("/health").json() == {"status": "ok", "model_loaded": True}


def test_predict_returns_a_score(client):
    response = client.post("/predict", json={"features": [0.1] * len(FEATURES)})
    assert response.status_code == 200
    assert isinstance(response.json()["prediction"], float)


def test_predict_rejects_a_wrong_feature_count(client):
    assert client.post("/predict", json={"features": [1.0]}).status_code == 422


def test_predict_without_a_model_is_unavailable(tmp_path):
    client = TestClient(create_app(Settings(model_path=tmp_path / "missing.json")))
    assert client.post("/predict", json={"features": [0.0] * len(FEATURES)}).status_code == 503
