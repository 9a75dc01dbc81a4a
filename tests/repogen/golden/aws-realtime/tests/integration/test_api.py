"""The serving API against a model trained on sample data, on sagemaker's contract."""

import pytest
from fastapi.testclient import TestClient

from app.api.main import create_app
from app.api.serve import main as serve_main
from core.config import Settings, load_settings
from ml.features.lookup import SnapshotFeatureStore
from ml.pipelines.sample_data import FEATURES, make_sample


@pytest.fixture
def client(trained_model):
    model_path, _ = trained_model
    x, _ = make_sample(3, seed=5)
    store = SnapshotFeatureStore({f"entity-{i}": list(row) for i, row in enumerate(x)})
    settings = Settings(model_path=model_path)
    return TestClient(create_app(settings, features=store))


def test_readiness_on_the_platform_route(client):
    for route in ("/health", "/ping"):
        assert client.get(route).json() == {"status": "ok", "model_loaded": True}


def test_invocations_score_instances_and_looked_up_entities(client):
    body = {"instances": [[0.1] * len(FEATURES)] * 2, "entity_ids": ["entity-0"]}
    response = client.post("/invocations", json=body)
    assert response.status_code == 200
    predictions = response.json()["predictions"]
    assert len(predictions) == 3 and all(isinstance(p, float) for p in predictions)


def test_invocations_refuse_bad_rows_and_unknown_entities(client):
    route = "/invocations"
    assert client.post(route, json={"instances": [[1.0]]}).status_code == 422
    assert client.post(route, json={}).status_code == 422
    assert client.post(route, json={"entity_ids": ["nobody"]}).status_code == 404


def test_predict_returns_a_score(client):
    response = client.post("/predict", json={"features": [0.1] * len(FEATURES)})
    assert response.status_code == 200
    assert isinstance(response.json()["prediction"], float)


def test_without_a_model_the_service_is_not_ready(tmp_path):
    client = TestClient(create_app(Settings(model_path=tmp_path / "missing.json")))
    assert client.get("/ping").status_code == 503
    assert client.post("/predict", json={"features": [0.0] * len(FEATURES)}).status_code == 503


def test_port_is_the_platform_port():
    assert load_settings({}).port == 8080


def test_serve_refuses_unknown_arguments():
    assert serve_main(["train"]) == 2
