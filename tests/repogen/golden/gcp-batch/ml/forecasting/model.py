"""Additive Holt-Winters (level, trend, weekly season) fitted by grid search on one-step
errors, and the naive baselines a forecast must beat."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from ml.forecasting.series import SEASON

GRID = (0.1, 0.3, 0.5), (0.01, 0.05, 0.15), (0.05, 0.2, 0.4)  # alpha, beta, gamma


@dataclass
class HoltWinters:
    season: int = SEASON
    params: tuple[float, float, float] = (0.3, 0.05, 0.2)
    level: float = 0.0
    trend: float = 0.0
    seasonal: np.ndarray = field(default_factory=lambda: np.zeros(SEASON))
    n_seen: int = 0

    def _smooth(self, y: np.ndarray, alpha: float, beta: float, gamma: float) -> float:
        """Run the recursions over ``y``; keeps the final state, returns the one-step SSE."""
        s = self.season
        level, trend = y[:s].mean(), (y[s : 2 * s].mean() - y[:s].mean()) / s
        seasonal, sse = y[:s] - level, 0.0
        for t, value in enumerate(y):
            i = t % s
            if t >= s:
                sse += (value - (level + trend + seasonal[i])) ** 2
            new_level = alpha * (value - seasonal[i]) + (1 - alpha) * (level + trend)
            trend = beta * (new_level - level) + (1 - beta) * trend
            seasonal[i] = gamma * (value - new_level) + (1 - gamma) * seasonal[i]
            level = new_level
        self.level, self.trend, self.seasonal, self.n_seen = level, trend, seasonal, len(y)
        return sse

    def fit(self, y: np.ndarray) -> HoltWinters:
        """Pick the smoothing parameters with the lowest one-step error, then fit with them."""
        y = np.asarray(y, dtype=float)
        if len(y) < 2 * self.season:
            raise ValueError(f"need at least {2 * self.season} observations, got {len(y)}")
        self.params = min(itertools.product(*GRID), key=lambda p: self._smooth(y, *p))
        self._smooth(y, *self.params)
        return self

    def forecast(self, horizon: int) -> np.ndarray:
        steps = np.arange(1, horizon + 1)
        season = self.seasonal[(self.n_seen + steps - 1) % self.season]
        return self.level + steps * self.trend + season


def naive(y: np.ndarray, horizon: int) -> np.ndarray:
    """The last value, repeated."""
    return np.full(horizon, float(y[-1]))


def seasonal_naive(y: np.ndarray, horizon: int, season: int = SEASON) -> np.ndarray:
    """The last season, repeated."""
    return np.resize(np.asarray(y[-season:], dtype=float), horizon)


def mae(actual: np.ndarray, predicted: np.ndarray) -> float:
    return float(np.mean(np.abs(np.asarray(actual) - np.asarray(predicted))))
