"""The manager half of the app contract and the work-plan types shared with the dispatcher.

An app is a directory holding ``manager.py`` (one ``BaseManager`` subclass), the worker package
``<app>_worker/`` (one ``BaseWorker`` subclass, see :mod:`agilab_lab.runtime.node`) and a
versioned ``app_settings.toml``. The manager runs in the client: it validates arguments, cuts
the work into weighted items and aggregates the items' results into the run's summary. The
worker runs wherever the mode puts it and never imports the manager.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class WorkItem(BaseModel):
    """One unit of work. ``weight`` is its expected cost (e.g. rows); the balancer uses it."""

    model_config = ConfigDict(frozen=True)

    id: str = Field(min_length=1)
    weight: float = Field(default=1.0, gt=0)
    payload: dict[str, Any] = Field(default_factory=dict)


class ItemResult(BaseModel):
    """What a worker returned for one item."""

    id: str
    worker: str
    result: dict[str, Any]


class BaseManager:
    """Plans an app's work and aggregates its results.

    Subclasses set ``Args`` (a pydantic model: the app's arguments, validated from
    ``app_settings.toml`` merged with the caller's overrides) and ``worker_class``, the
    ``BaseWorker`` subclass as ``"module:Class"`` inside the worker package (e.g.
    ``"worker:FlightTelemetryWorker"`` for ``flight_telemetry_worker/worker.py``).
    """

    Args: ClassVar[type[BaseModel]]
    worker_class: ClassVar[str]
    description: ClassVar[str] = ""

    def __init__(self, args: BaseModel):
        self.args = args

    def build_distribution(self, workers: list[str]) -> list[WorkItem]:
        """The run's work items. ``workers`` names the slots the items will be balanced over."""
        raise NotImplementedError

    def plan_inputs(self) -> dict[str, Any]:
        """Inputs besides ``args`` the plan depends on (e.g. a data directory's listing).

        They are part of the plan cache key; override when ``build_distribution`` reads files.
        """
        return {}

    def aggregate(self, results: list[ItemResult], out_dir: Path) -> dict[str, Any]:
        """The run's summary from every item's result (sorted by item id).

        The summary must be deterministic (no timings, no paths): the same args give the same
        summary in every mode. Files written under ``out_dir`` become run artifacts.
        """
        return {"items": len(results)}
