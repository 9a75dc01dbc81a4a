"""The 23 section agents, in the fixed order they run.

Each entry names its playbook (a Jinja2 markdown file under ``agents/playbooks``) and the
slices of the design state it reads; nothing else is passed to it, so a section cannot drift
on state it was not meant to see.
"""

from __future__ import annotations

from dataclasses import dataclass

#: State slices a section may read: constraints are always included.
SLICES = ("plan", "cost", "technical", "policy", "memory")


@dataclass(frozen=True)
class SectionSpec:
    number: int
    key: str
    title: str
    reads: tuple[str, ...]

    @property
    def playbook(self) -> str:
        return f"{self.number:02d}_{self.key}.md"


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(1, "project_stages", "Project stages: an iterative path to production", ("plan", "cost")),
    SectionSpec(2, "versioning_governance", "Versioning and governance strategy", ("plan",)),
    SectionSpec(3, "data_sourcing", "Data sourcing, discovery and characteristics", ("plan",)),
    SectionSpec(4, "pipelines", "Pipelines and workflows: the operational blueprint", ("plan",)),
    SectionSpec(5, "tech_stack", "MLOps tech stack: the architectural blueprint", ("plan", "cost")),
    SectionSpec(6, "testing_strategy", "Comprehensive ML testing strategy", ("plan", "technical")),
    SectionSpec(7, "data_engineering", "Data engineering and ingestion", ("plan", "cost")),
    SectionSpec(8, "feature_engineering", "Feature engineering pipelines", ("plan",)),
    SectionSpec(9, "model_development", "Model development and iteration", ("plan",)),
    SectionSpec(10, "training_pipelines", "Model training pipelines", ("plan", "cost", "technical")),
    SectionSpec(11, "deployment_serving", "Deployment and serving", ("plan", "cost", "technical")),
    SectionSpec(12, "inference_pipeline", "Inference pipeline", ("plan", "technical")),
    SectionSpec(13, "monitoring", "Monitoring and observability", ("plan", "technical")),
    SectionSpec(14, "continual_learning", "Continual learning and production testing", ("plan",)),
    SectionSpec(15, "governance_ethics", "Governance, ethics and the human element", ("plan", "policy")),
    SectionSpec(16, "overall_architecture", "Overall system architecture, bottlenecks, cost and scaling",
                ("plan", "cost", "technical", "memory")),
    SectionSpec(17, "code_ingestion", "Code plan: data ingestion pipeline", ("plan",)),
    SectionSpec(18, "code_features", "Code plan: feature engineering pipeline", ("plan",)),
    SectionSpec(19, "code_training", "Code plan: model training pipeline", ("plan",)),
    SectionSpec(20, "code_inference", "Code plan: inference pipeline", ("plan",)),
    SectionSpec(21, "code_monitoring", "Code plan: monitoring, observability and testing in production", ("plan",)),
    SectionSpec(22, "code_continual_learning", "Code plan: continual learning and data flywheel", ("plan",)),
    SectionSpec(23, "critic", "Critic: review of the whole design", ("plan", "cost", "technical", "policy", "memory")),
)
