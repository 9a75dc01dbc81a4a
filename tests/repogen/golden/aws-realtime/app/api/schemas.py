"""Request and response models of the serving API."""

from __future__ import annotations

from pydantic import BaseModel, Field

from ml.pipelines.sample_data import FEATURES


class PredictRequest(BaseModel):
    """One row of features, in the order of ``ml.pipelines.sample_data.FEATURES``."""

    features: list[float] = Field(min_length=len(FEATURES), max_length=len(FEATURES))


class PredictResponse(BaseModel):
    prediction: float
    model_version: str


class HealthResponse(BaseModel):
    status: str
    model_loaded: bool
