"""Held-out metrics and the promotion gate a model must pass before deployment."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from core.config import load_settings
from ml.pipelines.features import load_table
from models.linear import LinearModel

#: A model is promoted only when its mean absolute percentage error is below this.
MAX_MAPE = 0.25


def evaluate(model: LinearModel, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Mean absolute error and mean absolute percentage error."""
    predictions = model.predict(x)
    errors = np.abs(predictions - y)
    mape = float(np.mean(errors / np.maximum(np.abs(y), 1e-9)))
    return {"mae": float(errors.mean()), "mape": mape, "rows": float(len(y))}


def passes_gate(metrics: dict[str, float]) -> bool:
    return metrics["mape"] <= MAX_MAPE


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--table", type=Path, default=settings.raw_dir / "sample.csv")
    parser.add_argument("--model", type=Path, default=settings.model_path)
    args = parser.parse_args(argv)
    x, y = load_table(args.table)
    if y is None:
        print(f"{args.table} has no target column", file=sys.stderr)
        return 2
    metrics = evaluate(LinearModel.load(args.model), x, y)
    print(json.dumps({"metrics": metrics, "promote": passes_gate(metrics)}, sort_keys=True))
    return 0 if passes_gate(metrics) else 1


if __name__ == "__main__":
    raise SystemExit(main())
