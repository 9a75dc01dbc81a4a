"""SQLAlchemy models: every table agilab-lab keeps, in one file (as jupyter-scheduler does).

Every row carries an ``owner`` (the Jupyter user) so one shared database can serve a JupyterHub.
Changing a model means adding an Alembic revision under ``store/migrations/versions``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .ids import new_id, utcnow


class Base(DeclarativeBase):
    type_annotation_map = {dict[str, Any]: JSON, list[Any]: JSON, datetime: DateTime(timezone=True)}


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class DecisionSet(Base):
    """One version of a project's design; revisions point at their parent."""

    __tablename__ = "decision_sets"
    __table_args__ = (UniqueConstraint("project_id", "version", name="uq_decision_set_version"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    project_id: Mapped[str] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[str | None] = mapped_column(ForeignKey("decision_sets.id"), nullable=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(32), default="queued", index=True)
    requirements_text: Mapped[str] = mapped_column(Text, default="")
    constraints: Mapped[dict[str, Any]] = mapped_column(default=dict)
    plan: Mapped[dict[str, Any]] = mapped_column(default=dict)
    policy: Mapped[dict[str, Any]] = mapped_column(default=dict)
    critics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sections: Mapped[list[Any]] = mapped_column(default=list)
    summary_md: Mapped[str] = mapped_column(Text, default="")
    validation: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # how the version was asked for
    auto_approve: Mapped[bool] = mapped_column(Boolean, default=False)
    out_dir: Mapped[str | None] = mapped_column(Text, nullable=True)
    constraints_given: Mapped[bool] = mapped_column(Boolean, default=False)
    revision_of: Mapped[str | None] = mapped_column(String(32), nullable=True)
    revision_comment: Mapped[str] = mapped_column(Text, default="")
    # what the run decided (copied from the graph state)
    assumptions: Mapped[list[Any]] = mapped_column(default=list)
    rounds: Mapped[list[Any]] = mapped_column(default=list)
    infeasible: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    approval: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    waiting_for: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    # the job that owns a transient status (running, generating): its retries may continue it
    job_key: Mapped[str | None] = mapped_column(String(200), nullable=True)
    zip_path: Mapped[str | None] = mapped_column(Text, nullable=True)
    zip_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    lock_version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    # Optimistic locking: a stale write raises StaleDataError, served as 409. Status changes go
    # through agents.lifecycle.transition (a conditional UPDATE that bumps lock_version too).
    __mapper_args__ = {"version_id_col": lock_version}


class Artifact(Base):
    __tablename__ = "artifacts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    run_id: Mapped[str | None] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), nullable=True)
    decision_set_id: Mapped[str | None] = mapped_column(
        ForeignKey("decision_sets.id", ondelete="CASCADE"), nullable=True
    )
    path: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(32), default="file")
    size_bytes: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AgentRun(Base):
    """One designer graph node execution."""

    __tablename__ = "agent_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    decision_set_id: Mapped[str] = mapped_column(ForeignKey("decision_sets.id", ondelete="CASCADE"), index=True)
    agent: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(32), default="succeeded")
    provider: Mapped[str] = mapped_column(String(32), default="offline")
    seconds: Mapped[float] = mapped_column(Float, default=0.0)
    tokens_in: Mapped[int] = mapped_column(Integer, default=0)
    tokens_out: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Approval(Base):
    __tablename__ = "approvals"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    decision_set_id: Mapped[str] = mapped_column(ForeignKey("decision_sets.id", ondelete="CASCADE"), index=True)
    decision: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    constraints: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CostEstimateRow(Base):
    __tablename__ = "cost_estimates"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    decision_set_id: Mapped[str] = mapped_column(ForeignKey("decision_sets.id", ondelete="CASCADE"), index=True)
    monthly_usd: Mapped[float] = mapped_column(Float)
    breakdown: Mapped[list[Any]] = mapped_column(default=list)
    price_date: Mapped[str | None] = mapped_column(String(32), nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(Base):
    """Append-only log; ``hash`` = sha256(prev_hash + canonical row) chains every row.

    The canonical row covers every column (id, owner, topic, kind, payload, created_at); see
    :mod:`agilab_lab.store.chain`.
    """

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_topic_id", "topic", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    topic: Mapped[str] = mapped_column(String(128))
    kind: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class EventHead(Base):
    """The anchored head of an event stream: its last event, written in the same transaction.

    Editing or deleting the tail of the chain leaves the head pointing at a row that no longer
    matches, so ``agilab-lab verify`` detects truncation and tail rewrites.
    """

    __tablename__ = "event_heads"

    stream: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))
    count: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Job(Base):
    """A durable unit of background work, idempotent by ``key``."""

    __tablename__ = "jobs"
    __table_args__ = (
        Index("ix_jobs_claim", "status", "run_after"),
        Index("ix_jobs_lease", "status", "lease_expires_at"),
        Index("ix_jobs_domain_claim", "domain", "status", "run_after"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    kind: Mapped[str] = mapped_column(String(64))
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # Execution domain (the home) whose workers may run the job; NULL: queued without one.
    domain: Mapped[str | None] = mapped_column(String(64), nullable=True)
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    lease_owner: Mapped[str | None] = mapped_column(String(128), nullable=True)
    lease_expires_at: Mapped[datetime | None] = mapped_column(nullable=True)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Run(Base):
    """One execution of a runtime app."""

    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    app: Mapped[str] = mapped_column(String(128), index=True)
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    args: Mapped[dict[str, Any]] = mapped_column(default=dict)
    plan: Mapped[list[Any]] = mapped_column(default=list)
    result: Mapped[dict[str, Any]] = mapped_column(default=dict)
    timings: Mapped[dict[str, Any]] = mapped_column(default=dict)
    extra: Mapped[dict[str, Any]] = mapped_column(default=dict)
    log: Mapped[str] = mapped_column(Text, default="")
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    seconds: Mapped[float | None] = mapped_column(Float, nullable=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)


class WorkerStat(Base):
    """Telemetry the capacity predictor learns from: items done per worker per run."""

    __tablename__ = "worker_stats"
    __table_args__ = (Index("ix_worker_stats_app_worker", "app", "worker"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    owner: Mapped[str] = mapped_column(String(128), index=True)
    app: Mapped[str] = mapped_column(String(128))
    worker: Mapped[str] = mapped_column(String(256))
    run_id: Mapped[str | None] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), nullable=True)
    items: Mapped[int] = mapped_column(Integer)
    weight: Mapped[float] = mapped_column(Float, default=0.0)
    seconds: Mapped[float] = mapped_column(Float)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
