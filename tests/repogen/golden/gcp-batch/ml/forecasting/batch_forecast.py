"""Partitioned batch forecasting (``python -m ml.forecasting.batch_forecast``).

In production this runs as Cloud Run job.

Each task of the job forecasts its own partition of the series
(a stable hash of the series id), so the job scales out by adding tasks.
Partition index: ``CLOUD_RUN_TASK_INDEX``.
Partition count: ``CLOUD_RUN_TASK_COUNT``.
``APP_PARTITION_INDEX`` / ``APP_PARTITION_COUNT`` override both.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

from core.config import load_settings
from ml.forecasting.model import HoltWinters, mae, seasonal_naive
from ml.forecasting.series import load_series, make_series, write_series

HORIZON = 28


def partition_of(series_id: str, count: int) -> int:
    """Stable partition of a series (the same on every task and every run)."""
    return int.from_bytes(hashlib.sha256(series_id.encode()).digest()[:8], "big") % count


def partition_from_env(env: Mapping[str, str]) -> tuple[int, int]:
    """(index, count) of this task, from the platform's variables."""
    index = env.get("APP_PARTITION_INDEX") or env.get("CLOUD_RUN_TASK_INDEX") or "0"
    count = env.get("APP_PARTITION_COUNT") or env.get("CLOUD_RUN_TASK_COUNT") or "1"
    index, count = int(index), int(count)
    if not 0 <= index < count:
        raise ValueError(f"partition index {index} outside 0..{count - 1}")
    return index, count


def forecast_partition(table: Path, out_dir: Path, index: int, count: int,
                       horizon: int = HORIZON) -> dict:
    """Fit and forecast every series of partition ``index``; writes one CSV per partition."""
    series = {k: v for k, v in load_series(table).items() if partition_of(k, count) == index}
    out = out_dir / f"partition={index:04d}" / "forecasts.csv"
    out.parent.mkdir(parents=True, exist_ok=True)
    backtest = []
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["series_id", "step", "forecast"])
        for series_id, values in sorted(series.items()):
            history, holdout = values[:-horizon], values[-horizon:]
            backtest.append((mae(holdout, HoltWinters().fit(history).forecast(horizon)),
                             mae(holdout, seasonal_naive(history, horizon))))
            for step, value in enumerate(HoltWinters().fit(values).forecast(horizon), start=1):
                writer.writerow([series_id, step, f"{value:.4f}"])
    model_mae = sum(m for m, _ in backtest) / len(backtest) if backtest else 0.0
    naive_mae = sum(n for _, n in backtest) / len(backtest) if backtest else 0.0
    return {"partition": index, "series": len(series), "output": str(out),
            "backtest_mae": round(model_mae, 4), "seasonal_naive_mae": round(naive_mae, 4)}


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--table", type=Path, default=settings.raw_dir / "series.csv")
    parser.add_argument("--out", type=Path, default=settings.processed_dir / "forecasts")
    args = parser.parse_args(argv)
    if not args.table.exists():
        write_series(args.table, make_series())
    index, count = partition_from_env(os.environ)
    print(json.dumps(forecast_partition(args.table, args.out, index, count), sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
