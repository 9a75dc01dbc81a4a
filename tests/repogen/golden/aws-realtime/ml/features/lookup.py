"""Online feature lookup: the feature vector of an entity, in ``FEATURES`` order.

:class:`SnapshotFeatureStore` serves the latest snapshot the feature pipeline wrote
(one row per entity), which is also what the tests use.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from ml.pipelines.sample_data import FEATURES

ENTITY_COLUMN = "entity_id"


class FeatureStore(Protocol):
    def get(self, entity_id: str) -> list[float] | None:
        """The entity's features in ``FEATURES`` order, or None for an unknown entity."""


class SnapshotFeatureStore:
    """Features of every entity, loaded once from a CSV snapshot."""

    def __init__(self, rows: dict[str, list[float]]):
        self._rows = rows

    @classmethod
    def from_csv(cls, path: Path) -> SnapshotFeatureStore:
        with Path(path).open(newline="") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in (ENTITY_COLUMN, *FEATURES) if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{path} lacks columns: {', '.join(missing)}")
            rows = {row[ENTITY_COLUMN]: [float(row[name]) for name in FEATURES] for row in reader}
        return cls(rows)

    def get(self, entity_id: str) -> list[float] | None:
        return self._rows.get(entity_id)


def ordered(entity_id: str, values: Mapping[str, object]) -> list[float] | None:
    """``values`` (feature name -> value) in ``FEATURES`` order; None when empty (unknown
    entity); raises when a feature is missing."""
    if not values:
        return None
    missing = [name for name in FEATURES if values.get(name) is None]
    if missing:
        raise ValueError(f"features of {entity_id!r} lack: {', '.join(missing)}")
    return [float(values[name]) for name in FEATURES]


def load_feature_store(snapshot: Path, env: Mapping[str, str] | None = None) -> FeatureStore | None:
    """The snapshot when it exists, else None."""
    if Path(snapshot).exists():
        return SnapshotFeatureStore.from_csv(snapshot)
    return None


def write_snapshot(path: Path, x, prefix: str = "entity") -> Path:
    """Write feature rows as a snapshot keyed ``<prefix>-<row number>``; returns ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([ENTITY_COLUMN, *FEATURES])
        for index, row in enumerate(x):
            writer.writerow([f"{prefix}-{index}", *(f"{value:.6f}" for value in row)])
    return path
