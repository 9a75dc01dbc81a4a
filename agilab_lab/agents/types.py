"""Typed models shared by the designer (agents/) and the repository generator (repogen/).

Field names of :class:`Constraints` are a public contract (DESIGN.md, the evals and the UI
rely on them): add fields, never rename or remove them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Cloud = Literal["aws", "gcp", "azure"]
Cadence = Literal["hourly", "daily", "weekly", "monthly"]
DataClass = Literal["public", "internal", "confidential", "pii", "phi", "pci"]


class LatencySLO(BaseModel):
    model_config = ConfigDict(extra="forbid")

    percentile: Literal[50, 90, 95, 99]
    ms: float = Field(gt=0)


class DataPopulation(BaseModel):
    """One population of data subjects whose data has its own home ("EU customers' data stays in
    eu-west-1 under GDPR"): residency is checked per population, not per design."""

    model_config = ConfigDict(extra="forbid")

    name: str  # the area the population is named after: "eu", "us", "uk", "in", ...
    regions: list[str] = Field(default_factory=list)
    residency: list[str] = Field(default_factory=list)
    compliance: list[str] = Field(default_factory=list)


class Constraints(BaseModel):
    """What the requirements say, and only that: unstated values stay null/empty."""

    model_config = ConfigDict(extra="forbid")

    cloud: Cloud | None = None
    regions: list[str] = Field(default_factory=list)
    budget_monthly_usd: float | None = Field(default=None, ge=0)
    data_classes: list[DataClass] = Field(default_factory=list)
    compliance: list[str] = Field(default_factory=list)
    latency_slo: LatencySLO | None = None
    throughput_rps: float | None = Field(default=None, ge=0)
    batch_volume_gb_per_day: float | None = Field(default=None, ge=0)
    # training scale, when stated: model size ("70B-parameter") and corpus size ("on 20 TB of text")
    model_params_billion: float | None = Field(default=None, gt=0)
    training_data_gb: float | None = Field(default=None, gt=0)
    # what the workload is sized by, when stated: a retrieval corpus, things counted ("2,000
    # stores"), LLM tokens per request, images per day and their resolution ("1920x1080")
    corpus_documents: float | None = Field(default=None, gt=0)
    corpus_pages: float | None = Field(default=None, gt=0)
    corpus_gb: float | None = Field(default=None, gt=0)
    entity_counts: dict[str, float] = Field(default_factory=dict)
    tokens_per_request: float | None = Field(default=None, gt=0)
    images_per_day: float | None = Field(default=None, gt=0)
    image_resolution: str | None = None
    workloads: list[str] = Field(default_factory=list)
    retrain_cadence: Cadence | None = None
    tooling_prefer: list[str] = Field(default_factory=list)
    tooling_avoid: list[str] = Field(default_factory=list)
    open_questions: list[str] = Field(default_factory=list)
    evidence: dict[str, str] = Field(default_factory=dict)
    confidence: dict[str, float] = Field(default_factory=dict)
    # areas the data must stay in ("eu", "uk", "us", "de", ...), from "data must stay in the EU"
    residency: list[str] = Field(default_factory=list)
    # region codes ("us-east-1") and areas ("us") the text rules out for hosting ("no US region")
    excluded_regions: list[str] = Field(default_factory=list)
    # data populations with their own regions and rules (two or more when the text pins each one)
    populations: list[DataPopulation] = Field(default_factory=list)
    # caveats about the reading: currency conversions, redacted secrets, ignored instructions
    warnings: list[str] = Field(default_factory=list)


class Alternative(BaseModel):
    option_id: str
    service: str
    reason_lost: str
    score: float | None = None
    monthly_usd: float | None = None


class Component(BaseModel):
    """One capability of the plan, filled by one catalogue option."""

    capability: str  # ingest | transform | store | feature | train | serve | observe | govern | ...
    service: str  # human name, e.g. "Amazon SageMaker Endpoint"
    option_id: str  # catalogue id, e.g. "aws.sagemaker_endpoint"
    provider: str  # "aws" | "gcp" | "azure" | "oss"
    terraform_kind: str | None = None  # key the repo generator uses to pick a Terraform module
    monthly_usd: float = 0.0
    latency_ms: float | None = None
    max_rps: float | None = None
    sizing: dict[str, Any] = Field(default_factory=dict)  # units, instance type, replicas ...
    rationale: str = ""
    alternatives: list[Alternative] = Field(default_factory=list)
    score: float | None = None  # planner's trade-off score (lower won); alternatives carry theirs


class Plan(BaseModel):
    cloud: str
    region: str
    regions: list[str] = Field(default_factory=list)
    workloads: list[str] = Field(default_factory=list)
    components: list[Component] = Field(default_factory=list)

    def component(self, capability: str) -> Component | None:
        return next((c for c in self.components if c.capability == capability), None)


class CostLine(BaseModel):
    capability: str
    service: str
    monthly_usd: float
    basis: str  # how the figure was computed, from which catalogue price and date


class CostEstimate(BaseModel):
    monthly_usd: float
    breakdown: list[CostLine] = Field(default_factory=list)
    currency: str = "USD"
    price_date: str | None = None


class Violation(BaseModel):
    rule: str
    message: str
    severity: Literal["error", "warning"] = "error"


class PolicyReport(BaseModel):
    passed: bool
    violations: list[Violation] = Field(default_factory=list)
    checked: list[str] = Field(default_factory=list)


class Section(BaseModel):
    """One of the 23 section agents' outputs."""

    key: str
    title: str
    decisions: list[str] = Field(default_factory=list)
    rationale: str = ""
    risks: list[str] = Field(default_factory=list)
    alternatives: list[str] = Field(default_factory=list)
    markdown: str = ""


class ReasonCard(BaseModel):
    id: str
    agent: str
    title: str
    summary: str
    decision: str = ""
    alternatives: list[str] = Field(default_factory=list)
    confidence: float = 1.0
    risk: Literal["low", "medium", "high"] = "low"
    ts: float


class RepoSpec(BaseModel):
    """Everything the repository generator needs from an approved decision set."""

    project_id: str
    project_name: str
    decision_set_id: str
    version: int
    constraints: Constraints
    plan: Plan
    policy: PolicyReport
    cost: CostEstimate
    sections: list[Section] = Field(default_factory=list)
