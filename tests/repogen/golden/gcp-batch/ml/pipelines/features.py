"""Load tabular inputs and split them into the model's features and target."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from ml.pipelines.sample_data import FEATURES, TARGET


def load_table(path: Path) -> tuple[np.ndarray, np.ndarray | None]:
    """Features in ``FEATURES`` order and the target (None when the file has no target)."""
    with Path(path).open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    if not rows:
        raise ValueError(f"{path} holds no rows")
    missing = [name for name in FEATURES if name not in rows[0]]
    if missing:
        raise ValueError(f"{path} lacks feature columns: {', '.join(missing)}")
    x = np.array([[float(row[name]) for name in FEATURES] for row in rows])
    y = np.array([float(row[TARGET]) for row in rows]) if TARGET in rows[0] else None
    return x, y


def train_test_split(
    x: np.ndarray, y: np.ndarray, test_fraction: float = 0.2, seed: int = 11
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """A seeded shuffle split: ``x_train, x_test, y_train, y_test``."""
    order = np.random.default_rng(seed).permutation(len(x))
    cut = int(len(x) * (1 - test_fraction))
    train, test = order[:cut], order[cut:]
    return x[train], x[test], y[train], y[test]
