"""minimal_app: N items that each burn a configurable amount of CPU time."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from agilab_lab.runtime import BaseManager, ItemResult, WorkItem


class MinimalArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: int = Field(default=20, ge=1, le=1_000_000, description="Number of work items.")
    seconds_per_item: float = Field(default=0.0, ge=0, le=60, description="Seconds each item busy-waits.")
    spins_per_item: int = Field(default=0, ge=0, le=100_000_000,
                                description="Fixed CPU work per item (loop iterations; benchmarks).")
    weights: Literal["uniform", "linear"] = Field(default="uniform", description="Item weights.")
    log_each_item: bool = Field(default=False, description="Log one line per item (log-heavy benchmarks).")
    fail_on: str | None = Field(default=None, description="Raise in the worker on this item id (tests).")


class MinimalManager(BaseManager):
    Args = MinimalArgs
    worker_class = "worker:MinimalWorker"
    description = "Configurable items with configurable compute time (tests and benchmarks)."

    def build_distribution(self, workers: list[str]) -> list[WorkItem]:
        width = len(str(self.args.items))
        return [
            WorkItem(id=f"item-{i:0{width}d}", weight=1.0 if self.args.weights == "uniform" else i + 1.0,
                     payload={"index": i})
            for i in range(self.args.items)
        ]

    def aggregate(self, results: list[ItemResult], out_dir: Path) -> dict[str, Any]:
        return {"items": len(results), "checksum": sum(r.result["value"] for r in results)}
