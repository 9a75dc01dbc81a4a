"""Daily demand series: a deterministic generator with the shape of the real data, and the
CSV format the batch job reads (``series_id,day,value``, one row per series and day)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

SEASON = 7  # weekly seasonality of daily data


def make_series(n_series: int = 12, n_days: int = 364, seed: int = 3) -> dict[str, np.ndarray]:
    """Trend + weekly season + noise per series, each with its own level and amplitude."""
    rng = np.random.default_rng(seed)
    days = np.arange(n_days)
    series = {}
    for index in range(n_series):
        level = 80.0 + 40.0 * rng.random()
        weekly = (10.0 + 10.0 * rng.random()) * np.sin(2 * np.pi * days / SEASON + rng.random())
        trend = (0.02 + 0.08 * rng.random()) * days
        series[f"series-{index:03d}"] = level + trend + weekly + rng.normal(scale=2.5, size=n_days)
    return series


def write_series(path: Path, series: dict[str, np.ndarray]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["series_id", "day", "value"])
        for series_id, values in sorted(series.items()):
            writer.writerows([series_id, day, f"{v:.4f}"] for day, v in enumerate(values))
    return path


def load_series(path: Path) -> dict[str, np.ndarray]:
    """Series by id, each ordered by day; refuses gaps (a missing day would shift the season)."""
    rows: dict[str, dict[int, float]] = {}
    with Path(path).open(newline="") as handle:
        for row in csv.DictReader(handle):
            rows.setdefault(row["series_id"], {})[int(row["day"])] = float(row["value"])
    series = {}
    for series_id, values in rows.items():
        days = sorted(values)
        if days != list(range(days[0], days[0] + len(days))):
            raise ValueError(f"series {series_id} has missing days")
        series[series_id] = np.array([values[d] for d in days])
    return series
