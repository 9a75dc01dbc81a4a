"""``BaseWorker``: the worker half of the app contract."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Item:
    """One unit of work as the worker sees it (built from the plain dict shipped to it)."""

    id: str
    weight: float = 1.0
    payload: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        return cls(id=str(data["id"]), weight=float(data.get("weight", 1.0)), payload=dict(data.get("payload") or {}))


class BaseWorker:
    """Does the work items the dispatcher assigned to one worker for one run.

    The executor calls, in order: ``start()``, ``work_init()``, ``works(items)``, ``stop()``
    (``stop`` also runs after a failure). ``args`` is the validated manager ``Args`` as a plain
    dict. Files written under ``output_dir`` become run artifacts (``outputs/<relative path>``),
    so use names that do not depend on the worker (e.g. the item id): then every mode produces
    the same files.
    """

    def __init__(self, args: dict[str, Any], worker_id: str, output_dir: Path, logger: logging.Logger):
        self.args = args
        self.worker_id = worker_id
        self.output_dir = output_dir
        self.log = logger

    def start(self) -> None:
        """Acquire per-run resources (connections, caches). Runs once per run."""

    def work_init(self) -> None:
        """Prepare for the batch of items (e.g. warm up a model). Runs once, after ``start``."""

    def work(self, item: Item) -> dict[str, Any]:
        """Process one item and return a small JSON-able result for the manager's ``aggregate``."""
        raise NotImplementedError(f"{type(self).__name__} must implement work(item) or works(items)")

    def works(self, items: Iterable[Item]) -> Iterator[dict[str, Any]]:
        """Process a batch; yield one result per item, in order. Override to vectorise."""
        for item in items:
            yield self.work(item)

    def stop(self) -> None:
        """Release what ``start`` acquired. Runs even when an item failed."""
