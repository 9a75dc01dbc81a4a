"""Train the model on the raw table and save it (``python -m ml.training.train``)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from core.config import load_settings
from ml.evaluation.evaluate import evaluate
from ml.pipelines.features import load_table, train_test_split
from ml.pipelines.sample_data import FEATURES, write_sample
from models.linear import LinearModel


def train(table: Path, model_path: Path) -> dict[str, float]:
    """Fit on ``table``, save to ``model_path`` and return held-out metrics."""
    x, y = load_table(table)
    if y is None:
        raise ValueError(f"{table} has no target column to train on")
    x_train, x_test, y_train, y_test = train_test_split(x, y)
    model = LinearModel(feature_names=list(FEATURES)).fit(x_train, y_train)
    model.save(model_path)
    return evaluate(model, x_test, y_test)


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--table", type=Path, default=settings.raw_dir / "sample.csv")
    parser.add_argument("--model", type=Path, default=settings.model_path)
    parser.add_argument("--sample", action="store_true", help="write sample data to --table first")
    args = parser.parse_args(argv)
    if args.sample or not args.table.exists():
        write_sample(args.table)
    metrics = train(args.table, args.model)
    print(json.dumps({"model": str(args.model), "metrics": metrics}, sort_keys=True))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
