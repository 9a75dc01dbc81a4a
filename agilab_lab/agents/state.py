"""The designer graph's state (one typed model), its run context and the resume payloads."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ..redaction import redact_tree
from .catalogue import Catalogue
from .costing import Demand
from .critics import CostReport, Finding, TechnicalReport
from .feasibility import Infeasibility, Relaxation
from .sections.memory import LogEntry
from .types import (
    Alternative,
    Component,
    Constraints,
    CostEstimate,
    CostLine,
    DataPopulation,
    LatencySLO,
    Plan,
    PolicyReport,
    ReasonCard,
    Section,
    Violation,
)


class ApprovalDecision(BaseModel):
    """What a reviewer answers at the approval gate (the ``Command(resume=...)`` payload)."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject", "revise"]
    comment: str = Field(default="", max_length=4000)
    constraints: dict[str, Any] | None = None
    actor: str = "user"

    @field_validator("comment", "constraints")
    @classmethod
    def _redacted(cls, value: Any) -> Any:  # free text is stored and streamed: never a secret
        return redact_tree(value)

    @model_validator(mode="after")
    def _revise_says_what(self) -> ApprovalDecision:
        if self.decision == "revise" and not (self.comment.strip() or self.constraints):
            raise ValueError("a revision needs a comment or new constraints")
        return self


class ClarifyAnswer(BaseModel):
    """What the user answers at the clarify gate: more text, or constraint values."""

    model_config = ConfigDict(extra="forbid")

    text: str = Field(default="", max_length=20000)
    constraints: dict[str, Any] | None = None

    @field_validator("text", "constraints")
    @classmethod
    def _redacted(cls, value: Any) -> Any:
        return redact_tree(value)

    @model_validator(mode="after")
    def _not_empty(self) -> ClarifyAnswer:
        if not (self.text.strip() or self.constraints):
            raise ValueError("an answer needs text or constraints")
        return self


class DesignState(BaseModel):
    """Everything one design run knows; the checkpointer persists it between steps."""

    # inputs
    requirements_text: str = ""
    constraints: Constraints | None = None
    auto_approve: bool = False
    out_dir: str | None = None
    project_id: str = ""
    project_name: str = "design"
    decision_set_id: str = ""
    version: int = 1
    # progress
    round: int = 0
    excluded: list[str] = Field(default_factory=list)
    weights: dict[str, float] = Field(default_factory=dict)
    plan: Plan | None = None
    demand: Demand | None = None
    assumptions: list[str] = Field(default_factory=list)
    unmet: list[str] = Field(default_factory=list)
    unmet_reasons: dict[str, str] = Field(default_factory=dict)
    sections: list[Section] = Field(default_factory=list)
    memory: list[LogEntry] = Field(default_factory=list)
    summary_md: str = ""
    technical: TechnicalReport | None = None
    cost: CostReport | None = None
    rounds: list[dict[str, Any]] = Field(default_factory=list)
    infeasible: Infeasibility | None = None
    policy: PolicyReport | None = None
    approval: ApprovalDecision | None = None
    generation: dict[str, Any] | None = None


class Recorder(Protocol):
    """Where nodes leave their trace: the service writes agent_runs rows and events."""

    def agent_run(self, agent: str, *, status: str, seconds: float, provider: str,
                  tokens_in: int = 0, tokens_out: int = 0, error: str | None = None) -> None: ...

    def card(self, card: ReasonCard) -> None: ...


class NullRecorder:
    """Records nothing (pure graph use, tests of the graph alone)."""

    def agent_run(self, agent: str, **_: Any) -> None:
        return None

    def card(self, card: ReasonCard) -> None:
        return None


@dataclass
class DesignContext:
    """Run-scoped dependencies handed to every node (not checkpointed)."""

    catalogue: Catalogue
    provider: Any = None  # LLMProvider; None means plain offline rendering
    recorder: Recorder = field(default_factory=NullRecorder)
    generate: Any = None  # callable(RepoSpec, out_dir) -> dict; None = agilab_lab.repogen
    home: Path | None = None  # lab home: generated versions are committed to its project repos


#: Types the checkpointer may rebuild from msgpack (LangGraph refuses unregistered ones).
CHECKPOINT_TYPES = (
    DesignState, ApprovalDecision, ClarifyAnswer, Constraints, LatencySLO, Plan, Component, Alternative,
    Section, CostEstimate, CostLine, PolicyReport, Violation, Demand, LogEntry, TechnicalReport, CostReport,
    Finding, Infeasibility, Relaxation, DataPopulation,
)
