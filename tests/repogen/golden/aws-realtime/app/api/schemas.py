"""Request and response models of the serving API."""

from __future__ import annotations

from pydantic import BaseModel, Field, model_validator

from ml.pipelines.sample_data import FEATURES


class PredictRequest(BaseModel):
    """One row of features, in the order of ``ml.pipelines.sample_data.FEATURES``."""

    features: list[float] = Field(min_length=len(FEATURES), max_length=len(FEATURES))


class PredictResponse(BaseModel):
    prediction: float
    model_version: str


class InvocationRequest(BaseModel):
    """Rows to score: feature rows (``instances``) and/or ids of entities to look up."""

    instances: list[list[float]] = Field(default_factory=list, max_length=1000)
    entity_ids: list[str] = Field(default_factory=list, max_length=1000)

    @model_validator(mode="after")
    def _rows(self) -> InvocationRequest:
        if not self.instances and not self.entity_ids:
            raise ValueError("give instances or entity_ids")
        if any(len(row) != len(FEATURES) for row in self.instances):
            raise ValueError(f"each instance holds {len(FEATURES)} feature values")
        return self


class InvocationResponse(BaseModel):
    predictions: list[float]
    model_version: str


class HealthResponse(BaseModel):
    status: str
    model_loaded: bool
