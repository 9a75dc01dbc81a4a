"""Turn a manager's work items into one coarse assignment per worker.

The plan for a run is a pure function of the app's code, its validated arguments, the worker
slots and their capacities; it is cached under a hash of exactly those inputs, so
``AGI.get_distrib`` previews the plan ``AGI.run`` then executes.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from typing import Any

from pydantic import BaseModel

from .balancer import lpt_assign
from .contract import BaseManager, WorkItem


class WorkerSlot(BaseModel):
    """A place work can run: ``name`` is stable across runs (the predictor's key)."""

    name: str
    address: str | None = None


class Assignment(BaseModel):
    worker: str
    address: str | None = None
    capacity: float = 1.0
    items: list[WorkItem]

    @property
    def weight(self) -> float:
        return sum(item.weight for item in self.items)


class Distribution(BaseModel):
    """The work plan of one run."""

    app: str
    key: str
    assignments: list[Assignment]

    def summary(self) -> list[dict[str, Any]]:
        """The plan as the CLI's ``--json`` and the REST API show it."""
        return [
            {"worker": a.worker, "items": len(a.items), "weight": round(a.weight, 6)}
            for a in self.assignments
        ]

    @property
    def n_items(self) -> int:
        return sum(len(a.items) for a in self.assignments)


def plan_key(app: str, code_hash: str, args: dict[str, Any], extra: dict[str, Any],
             slots: list[WorkerSlot], capacities: list[float]) -> str:
    """Hash of every input the plan depends on."""
    material = {
        "app": app, "code": code_hash, "args": args, "extra": extra,
        "workers": [s.model_dump() for s in slots], "capacities": [round(c, 6) for c in capacities],
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True, default=str).encode()).hexdigest()


class Dispatcher:
    """Builds distributions and caches them by :func:`plan_key` (thread-safe)."""

    def __init__(self, cache_size: int = 64):
        self._cache: OrderedDict[str, Distribution] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.builds = 0  # how many plans were computed rather than served from the cache

    def distribute(self, app: str, code_hash: str, manager: BaseManager,
                   slots: list[WorkerSlot], capacities: list[float]) -> Distribution:
        args = manager.args.model_dump(mode="json")
        key = plan_key(app, code_hash, args, manager.plan_inputs(), slots, capacities)
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        items = manager.build_distribution([s.name for s in slots])
        _check_unique_ids(items)
        owner = lpt_assign([item.weight for item in items], capacities)
        assignments = [
            Assignment(worker=slot.name, address=slot.address, capacity=capacity,
                       items=[item for item, w in zip(items, owner, strict=True) if w == index])
            for index, (slot, capacity) in enumerate(zip(slots, capacities, strict=True))
        ]
        distribution = Distribution(app=app, key=key, assignments=assignments)
        with self._lock:
            self.builds += 1
            self._cache[key] = distribution
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return distribution


_shared = Dispatcher()


def shared_dispatcher() -> Dispatcher:
    """The process's plan cache: the server builds an AGI per request, the cache outlives them."""
    return _shared


def _check_unique_ids(items: list[WorkItem]) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"work item id {item.id!r} appears twice in the plan")
        seen.add(item.id)
