"""The whole pipeline in one process (``python -m ml.pipelines.run``): the steps
the scheduler runs in production, in the same order.

train -> promotion gate -> batch scoring -> partitioned forecast -> drift check.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.config import load_settings
from ml.evaluation.evaluate import passes_gate
from ml.forecasting.batch_forecast import forecast_partition
from ml.forecasting.series import make_series, write_series
from ml.monitoring.drift import drift_report
from ml.pipelines.batch_score import score_table
from ml.pipelines.features import load_table
from ml.pipelines.sample_data import write_sample
from ml.training.train import train


def run(table: Path, model_path: Path, out_dir: Path) -> dict:
    """Run every step on ``table``; returns what each step produced."""
    metrics = train(table, model_path)
    result: dict = {"metrics": metrics, "promoted": passes_gate(metrics)}
    if not result["promoted"]:
        return result
    result["scored_rows"] = score_table(table, model_path, out_dir / "predictions.csv")
    series = write_series(out_dir / "series.csv", make_series())
    result["forecast"] = forecast_partition(series, out_dir / "forecasts", 0, 1)
    x, _ = load_table(table)
    result["drift"] = drift_report(x, x)
    return result


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--table", type=Path, default=settings.raw_dir / "sample.csv")
    parser.add_argument("--model", type=Path, default=settings.model_path)
    parser.add_argument("--out", type=Path, default=settings.processed_dir)
    args = parser.parse_args(argv)
    if not args.table.exists():
        write_sample(args.table)
    result = run(args.table, args.model, args.out)
    print(json.dumps(result, sort_keys=True))
    return 0 if result["promoted"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
