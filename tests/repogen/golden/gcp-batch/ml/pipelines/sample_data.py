"""Deterministic sample data with the shape of the real inputs, for tests and smoke runs."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

FEATURES = ["lag_1", "lag_7", "lag_28", "promo", "price_index"]
TARGET = "demand"


def make_sample(n_rows: int = 500, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    """Features ``x`` (n_rows x len(FEATURES)) and target ``y`` with a learnable signal."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n_rows, len(FEATURES)))
    true_weights = np.linspace(1.5, -1.0, len(FEATURES))
    signal = x @ true_weights + rng.normal(scale=0.3, size=n_rows)
    y = 100.0 + 10.0 * signal
    return x, y


def write_sample(path: Path, n_rows: int = 500, seed: int = 7) -> Path:
    """Write the sample as CSV with a header row; returns ``path``."""
    x, y = make_sample(n_rows, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow([*FEATURES, TARGET])
        for row, target in zip(x, y, strict=True):
            writer.writerow([f"{value:.6f}" for value in row] + [f"{target:.6f}"])
    return path
