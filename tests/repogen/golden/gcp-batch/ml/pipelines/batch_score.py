"""Score a table in batch and write predictions (``python -m ml.pipelines.batch_score``).

In production this runs as Cloud Run job.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from core.config import load_settings
from ml.pipelines.features import load_table
from models.linear import LinearModel


def score_table(table: Path, model_path: Path, out: Path) -> int:
    """Write one prediction per input row to ``out``; returns the number of rows."""
    x, _ = load_table(table)
    predictions = LinearModel.load(model_path).predict(x)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["row", "prediction"])
        for index, value in enumerate(predictions):
            writer.writerow([index, f"{value:.6f}"])
    return len(predictions)


def main(argv: list[str] | None = None) -> int:
    settings = load_settings()
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--table", type=Path, default=settings.raw_dir / "sample.csv")
    parser.add_argument("--model", type=Path, default=settings.model_path)
    parser.add_argument("--out", type=Path, default=settings.processed_dir / "predictions.csv")
    args = parser.parse_args(argv)
    rows = score_table(args.table, args.model, args.out)
    print(f"scored {rows} rows -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
