"""Online API of realtime on aws: health, prediction.

Run locally with ``uvicorn app.api.main:app``; the container image does the same.
"""

from __future__ import annotations

import hashlib

import numpy as np
from fastapi import FastAPI, HTTPException

from app.api.schemas import (
    HealthResponse,
    PredictRequest,
    PredictResponse,
)
from core.config import Settings, load_settings
from models.linear import LinearModel


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API, loading the model named by ``settings.model_path`` when it exists."""
    settings = settings or load_settings()
    api = FastAPI(title="realtime on aws", version="1")
    state: dict = {"model": None, "version": "none"}
    if settings.model_path.exists():
        state["model"] = LinearModel.load(settings.model_path)
        state["version"] = hashlib.sha256(settings.model_path.read_bytes()).hexdigest()[:12]

    @api.get("/health", response_model=HealthResponse)
    def health() -> HealthResponse:
        return HealthResponse(status="ok", model_loaded=state["model"] is not None)

    @api.post("/predict", response_model=PredictResponse)
    def predict(request: PredictRequest) -> PredictResponse:
        if state["model"] is None:
            raise HTTPException(status_code=503, detail="model not loaded")
        value = state["model"].predict(np.array([request.features]))[0]
        return PredictResponse(prediction=float(value), model_version=state["version"])

    return api


app = create_app()
