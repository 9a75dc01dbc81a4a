"""A small linear model with a JSON file format, so the pipelines run anywhere.

Regression (ridge, closed form) for the forecasting workload.
Swap it for the production framework once the data is real: the pipeline code only uses
``fit``, ``predict`` and ``save``/``load``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

TASK = "regression"


@dataclass
class LinearModel:
    """Standardised inputs, one weight per feature and a bias."""

    feature_names: list[str]
    weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    bias: float = 0.0
    mean: np.ndarray = field(default_factory=lambda: np.zeros(0))
    scale: np.ndarray = field(default_factory=lambda: np.ones(0))

    def fit(
        self, x: np.ndarray, y: np.ndarray, *, l2: float = 1e-2, epochs: int = 300
    ) -> LinearModel:
        """Fit on ``x`` (rows x features) and ``y``; returns ``self``."""
        self.mean = x.mean(axis=0)
        self.scale = np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
        z = self._standardise(x)
        design = np.hstack([z, np.ones((len(z), 1))])
        penalty = l2 * np.eye(design.shape[1])
        penalty[-1, -1] = 0.0
        solution = np.linalg.solve(design.T @ design + penalty, design.T @ y)
        self.weights, self.bias = solution[:-1], float(solution[-1])
        del epochs  # closed form: no iterations
        return self

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Predicted values, one per row."""
        return self._standardise(x) @ self.weights + self.bias

    def save(self, path: Path) -> Path:
        path.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "task": TASK,
            "feature_names": self.feature_names,
            "weights": self.weights.tolist(),
            "bias": self.bias,
            "mean": self.mean.tolist(),
            "scale": self.scale.tolist(),
        }
        path.write_text(json.dumps(payload, indent=2, sort_keys=True))
        return path

    @classmethod
    def load(cls, path: Path) -> LinearModel:
        payload = json.loads(Path(path).read_text())
        return cls(
            feature_names=list(payload["feature_names"]),
            weights=np.asarray(payload["weights"], dtype=float),
            bias=float(payload["bias"]),
            mean=np.asarray(payload["mean"], dtype=float),
            scale=np.asarray(payload["scale"], dtype=float),
        )

    def _standardise(self, x: np.ndarray) -> np.ndarray:
        return (np.asarray(x, dtype=float) - self.mean) / self.scale
