"""Per-flight statistics with polars, and readers for the telemetry formats the app accepts.

Formats: this app's own (``flight_id, time, lat, lon, alt_m[, speed_mps]``, parquet or CSV) and
AGILab's flight CSVs (one file per segment named ``<aircraft>_<n>.csv`` with columns
``date, aircraft, long, lat, alt[, beam]``; the file stem is the flight id).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

EARTH_RADIUS_KM = 6371.0088
AGILAB_COLUMNS = {"date", "aircraft", "long", "lat", "alt"}
STAT_COLUMNS = ["flight_id", "points", "duration_s", "distance_km", "mean_speed_kmh", "max_speed_kmh",
                "max_alt_m", "max_climb_rate_mps"]


def read_telemetry(path: Path) -> pl.DataFrame:
    """Read one file into ``flight_id, t (s), lat, lon, alt_m``."""
    frame = pl.read_parquet(path) if path.suffix == ".parquet" else pl.read_csv(path, try_parse_dates=True)
    return normalize(frame, default_flight=path.stem)


def normalize(frame: pl.DataFrame, default_flight: str = "flight") -> pl.DataFrame:
    if AGILAB_COLUMNS <= set(frame.columns):  # AGILab's flight CSV: the file is the flight
        frame = frame.rename({"long": "lon", "alt": "alt_m", "date": "time"}).with_columns(
            pl.lit(default_flight).alias("flight_id"))
    missing = {"time", "lat", "lon", "alt_m"} - set(frame.columns)
    if missing:
        raise ValueError(f"telemetry lacks column(s) {', '.join(sorted(missing))}: {frame.columns}")
    if "flight_id" not in frame.columns:
        frame = frame.with_columns(pl.lit(default_flight).alias("flight_id"))
    time = pl.col("time")
    if frame.schema["time"] == pl.String:
        time = time.str.to_datetime()
    if frame.schema["time"].is_numeric():
        seconds = time.cast(pl.Float64)
    else:
        seconds = time.dt.epoch("us").cast(pl.Float64) / 1e6
    return frame.select(
        pl.col("flight_id").cast(pl.String), seconds.alias("t"),
        pl.col("lat").cast(pl.Float64), pl.col("lon").cast(pl.Float64), pl.col("alt_m").cast(pl.Float64),
    )


def flight_stats(points: pl.DataFrame) -> pl.DataFrame:
    """One row per flight: haversine distance along the time-sorted points, speeds, altitude, climb.

    Differences are taken over the whole frame sorted by (flight, time) and masked at the first
    point of each flight: one vectorised pass instead of a window per flight.
    """
    # Sorting by the flight's categorical code groups a flight's rows like sorting by its name
    # would, at the cost of an integer sort; the result is re-sorted by name at the end.
    flight_code = pl.col("flight_id").cast(pl.Categorical).to_physical()
    same_flight = pl.col("flight_id") == pl.col("flight_id").shift(1)
    lat, lon = pl.col("lat").radians(), pl.col("lon").radians()
    half_dlat, half_dlon = (lat.diff() / 2).sin(), (lon.diff() / 2).sin()
    cos_lat = lat.cos()
    haversine = half_dlat * half_dlat + cos_lat * cos_lat.shift(1) * half_dlon * half_dlon
    dt = pl.col("t").diff()
    steps = (
        points.lazy()
        .sort(flight_code, pl.col("t"))
        .with_columns(
            dt=pl.when(same_flight).then(dt),
            dalt=pl.when(same_flight).then(pl.col("alt_m").diff()),
            step_km=pl.when(same_flight).then(2 * EARTH_RADIUS_KM * haversine.sqrt().arcsin()),
        )
    )
    moving = pl.col("dt") > 0
    stats = steps.group_by("flight_id").agg(
        points=pl.len(),
        duration_s=pl.col("t").max() - pl.col("t").min(),
        distance_km=pl.col("step_km").sum(),
        max_speed_kmh=(pl.col("step_km") / pl.col("dt")).filter(moving).max() * 3600.0,
        max_alt_m=pl.col("alt_m").max(),
        max_climb_rate_mps=(pl.col("dalt") / pl.col("dt")).filter(moving).max(),
    )
    mean_speed = pl.when(pl.col("duration_s") > 0).then(pl.col("distance_km") / pl.col("duration_s") * 3600.0)
    return stats.with_columns(mean_speed_kmh=mean_speed).select(STAT_COLUMNS).sort("flight_id").collect()


def trajectory(points: pl.DataFrame, max_points: int) -> list[list[float]]:
    """An evenly thinned ``[[lon, lat], ...]`` of one flight's time-sorted points (for the chart)."""
    ordered = points.sort("t")
    stride = max(1, -(-ordered.height // max_points))
    thinned = ordered.gather_every(stride)
    return [[round(lon, 5), round(lat, 5)] for lon, lat in zip(thinned["lon"], thinned["lat"], strict=True)]
