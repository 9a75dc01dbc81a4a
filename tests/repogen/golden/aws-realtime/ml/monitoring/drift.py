"""Feature drift between the training data and recent inputs (``python -m ml.monitoring.drift``).

The population stability index (PSI) of each feature is computed over the reference
quantile bins; a feature above ``PSI_ALERT`` drifts. Scheduled after each batch of inputs,
a drift exit code (1) fails the job.
The failed job raises the alarm of CloudWatch.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from ml.pipelines.features import load_table
from ml.pipelines.sample_data import FEATURES

#: PSI above which a feature counts as drifted (0.1 watch, 0.25 act is the usual reading).
PSI_ALERT = 0.25
BINS = 10


def psi(reference: np.ndarray, current: np.ndarray, bins: int = BINS) -> float:
    """Population stability index of ``current`` against ``reference`` (1-D arrays)."""
    edges = np.unique(np.quantile(reference, np.linspace(0.0, 1.0, bins + 1)))
    if len(edges) < 3:
        return 0.0
    inner = edges[1:-1]
    expected = np.bincount(np.searchsorted(inner, reference), minlength=len(edges) - 1)
    actual = np.bincount(np.searchsorted(inner, current), minlength=len(edges) - 1)
    expected = np.clip(expected / expected.sum(), 1e-6, None)
    actual = np.clip(actual / actual.sum(), 1e-6, None)
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def drift_report(reference: np.ndarray, current: np.ndarray) -> dict:
    """PSI per feature and the names of the drifted ones."""
    scores = {
        name: round(psi(reference[:, i], current[:, i]), 4) for i, name in enumerate(FEATURES)
    }
    return {"psi": scores, "drifted": sorted(n for n, v in scores.items() if v > PSI_ALERT)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reference", type=Path, required=True, help="training table (CSV)")
    parser.add_argument("--current", type=Path, required=True, help="recent inputs (CSV)")
    args = parser.parse_args(argv)
    report = drift_report(load_table(args.reference)[0], load_table(args.current)[0])
    print(json.dumps(report, sort_keys=True))
    return 1 if report["drifted"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
