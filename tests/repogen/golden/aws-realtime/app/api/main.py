"""Online API of realtime on aws on sagemaker: readiness, prediction.

The platform's contract: readiness on ``settings.health_route`` (/ping) and
batched predictions on ``settings.predict_route`` (/invocations) with a
``{"instances": [...]}`` body answered by ``{"predictions": [...]}``.
Rows are given as feature values or as entity ids looked up in the feature store.
Start it with ``python -m app.api.serve`` (the container's entry point).
"""

from __future__ import annotations

import hashlib

import numpy as np
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse

from app.api.schemas import (
    HealthResponse,
    InvocationRequest,
    InvocationResponse,
    PredictRequest,
    PredictResponse,
)
from core.config import Settings, load_settings
from ml.features.lookup import FeatureStore, load_feature_store
from models.linear import LinearModel


def _feature_store(settings: Settings) -> FeatureStore | None:
    return load_feature_store(settings.feature_snapshot)


def create_app(
    settings: Settings | None = None,
    features: FeatureStore | None = None,
) -> FastAPI:
    """The API, loading the model named by ``settings.model_path`` when it exists."""
    settings = settings or load_settings()
    api = FastAPI(title="realtime on aws", version="1")
    state: dict = {"model": None, "version": "none"}
    if settings.model_path.exists():
        state["model"] = LinearModel.load(settings.model_path)
        state["version"] = hashlib.sha256(settings.model_path.read_bytes()).hexdigest()[:12]
    store = features if features is not None else _feature_store(settings)

    def model() -> LinearModel:
        if state["model"] is None:
            raise HTTPException(status_code=503, detail="model not loaded")
        return state["model"]

    def health():
        loaded = state["model"] is not None
        body = HealthResponse(status="ok" if loaded else "unavailable", model_loaded=loaded)
        return JSONResponse(body.model_dump(), status_code=200 if loaded else 503)

    def invocations(request: InvocationRequest) -> InvocationResponse:
        rows = [list(row) for row in request.instances]
        for entity_id in request.entity_ids:
            found = store.get(entity_id) if store is not None else None
            if found is None:
                raise HTTPException(status_code=404, detail=f"unknown entity {entity_id!r}")
            rows.append(found)
        values = model().predict(np.array(rows, dtype=float))
        return InvocationResponse(predictions=[float(v) for v in values],
                                  model_version=state["version"])

    for route in dict.fromkeys(["/health", settings.health_route]):
        api.add_api_route(route, health, methods=["GET"], response_model=HealthResponse)
    api.add_api_route(settings.predict_route, invocations, methods=["POST"],
                      response_model=InvocationResponse)

    @api.post("/predict", response_model=PredictResponse)
    def predict(request: PredictRequest) -> PredictResponse:
        value = model().predict(np.array([request.features]))[0]
        return PredictResponse(prediction=float(value), model_version=state["version"])

    return api


app = create_app()
