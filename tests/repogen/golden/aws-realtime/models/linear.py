"""A small linear model with a JSON file format, so the pipelines run anywhere.

Binary classification (logistic regression, full-batch gradient descent).
Swap it for the production framework once the data is real: the pipeline code only uses
``fit``, ``predict`` and ``save``/``load``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

TASK = "classification"


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
        self.weights = np.zeros(z.shape[1])
        self.bias = 0.0
        for _ in range(epochs):
            error = _sigmoid(z @ self.weights + self.bias) - y
            self.weights -= 0.5 * (z.T @ error / len(y) + l2 * self.weights)
            self.bias -= 0.5 * float(error.mean())
        return self

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Probability of the positive class, one per row."""
        return _sigmoid(self._standardise(x) @ self.weights + self.bias)

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


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(values, -30.0, 30.0)))
