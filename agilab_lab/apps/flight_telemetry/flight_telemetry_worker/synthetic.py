"""Deterministic synthetic flights: the same (seed, flight, points) gives the same rows anywhere."""

from __future__ import annotations

import numpy as np
import polars as pl

EPOCH_S = 1_767_225_600  # 2026-01-01T00:00:00Z: flights start on that day
STEP_S = 1.0
METERS_PER_DEG_LAT = 111_320.0


def flight_id(index: int) -> str:
    return f"FL{index:05d}"


def generate_flight(seed: int, index: int, points: int) -> pl.DataFrame:
    """One flight: climb, cruise with a wandering heading and speed, descent.

    Columns: flight_id, time (UTC datetime), lat, lon (degrees), alt_m, speed_mps.
    """
    rng = np.random.default_rng([seed, index])
    lat0, lon0 = rng.uniform(40.0, 55.0), rng.uniform(-5.0, 20.0)
    start = EPOCH_S + int(rng.integers(0, 86_400))
    heading = rng.uniform(0, 2 * np.pi) + np.cumsum(rng.normal(0.0, 0.01, points))
    speed = np.clip(rng.uniform(180.0, 240.0) + np.cumsum(rng.normal(0.0, 0.5, points)), 60.0, 300.0)
    north = np.cumsum(speed * np.cos(heading) * STEP_S)
    east = np.cumsum(speed * np.sin(heading) * STEP_S)
    lat = lat0 + north / METERS_PER_DEG_LAT
    lon = lon0 + east / (METERS_PER_DEG_LAT * np.cos(np.radians(lat)))
    progress = np.linspace(0.0, 1.0, points)
    cruise = rng.uniform(9_000.0, 12_000.0)
    alt = cruise * np.minimum(1.0, np.minimum(progress, 1.0 - progress) * 5.0) + rng.normal(0.0, 3.0, points)
    seconds = start + np.arange(points) * STEP_S
    return pl.DataFrame({
        "flight_id": [flight_id(index)] * points,
        "time": pl.Series(seconds * 1_000_000, dtype=pl.Int64).cast(pl.Datetime("us", "UTC")),
        "lat": lat, "lon": lon, "alt_m": np.maximum(alt, 0.0), "speed_mps": speed,
    })


def generate(seed: int, flights: int, points: int) -> pl.DataFrame:
    """Many flights stacked (benchmarks write this to parquet)."""
    return pl.concat([generate_flight(seed, index, points) for index in range(flights)])
