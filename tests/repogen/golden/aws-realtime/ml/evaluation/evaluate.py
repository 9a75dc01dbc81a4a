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

#: A model is promoted only when its held-out AUC reaches this.
MIN_AUC = 0.75


def evaluate(model: LinearModel, x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Accuracy at 0.5 and ROC AUC (rank formulation, ties averaged)."""
    scores = model.predict(x)
    accuracy = float(np.mean((scores >= 0.5) == (y >= 0.5)))
    return {"accuracy": accuracy, "auc": roc_auc(y, scores), "rows": float(len(y))}


def roc_auc(y: np.ndarray, scores: np.ndarray) -> float:
    """Probability that a random positive scores above a random negative."""
    positives, negatives = scores[y >= 0.5], scores[y < 0.5]
    if len(positives) == 0 or len(negatives) == 0:
        return float("nan")
    greater = (positives[:, None] > negatives[None, :]).mean()
    ties = (positives[:, None] == negatives[None, :]).mean()
    return float(greater + 0.5 * ties)


def passes_gate(metrics: dict[str, float]) -> bool:
    return metrics["auc"] >= MIN_AUC


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
