"""Per-flight statistics with polars (the readers of each format are in :mod:`.readers`)."""

from __future__ import annotations

import polars as pl

from .readers import read_telemetry

__all__ = ["flight_stats", "normalize", "read_telemetry", "trajectory"]

EARTH_RADIUS_KM = 6371.0088
AGILAB_COLUMNS = {"date", "aircraft", "long", "lat", "alt"}
STAT_COLUMNS = ["flight_id", "points", "duration_s", "distance_km", "mean_speed_kmh", "max_speed_kmh",
                "max_alt_m", "max_climb_rate_mps"]


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
    point of each flight: one vectorised pass instead of a window per flight. Eager on purpose:
    on 2M rows polars 2.1's lazy engine ran this order-dependent chain ~2x slower.
    """
    same_flight = pl.col("flight_id") == pl.col("flight_id").shift(1)
    lat, lon = pl.col("lat").radians(), pl.col("lon").radians()
    half_dlat, half_dlon = (lat.diff() / 2).sin(), (lon.diff() / 2).sin()
    cos_lat = lat.cos()
    haversine = half_dlat * half_dlat + cos_lat * cos_lat.shift(1) * half_dlon * half_dlon
    if not is_sorted_by_flight_and_time(points):
        points = points.sort("flight_id", "t")
    steps = points.with_columns(
        dt=pl.when(same_flight).then(pl.col("t").diff()),
        dalt=pl.when(same_flight).then(pl.col("alt_m").diff()),
        step_km=pl.when(same_flight).then(2 * EARTH_RADIUS_KM * haversine.sqrt().arcsin()),
    )
    moving = pl.col("dt") > 0
    steps = steps.with_columns(
        speed_kmh=pl.when(moving).then(pl.col("step_km") / pl.col("dt") * 3600.0),
        climb_mps=pl.when(moving).then(pl.col("dalt") / pl.col("dt")),
    )
    stats = steps.group_by("flight_id").agg(
        points=pl.len(),
        duration_s=pl.col("t").max() - pl.col("t").min(),
        distance_km=pl.col("step_km").sum(),
        max_speed_kmh=pl.col("speed_kmh").max(),
        max_alt_m=pl.col("alt_m").max(),
        max_climb_rate_mps=pl.col("climb_mps").max(),
    )
    mean_speed = pl.when(pl.col("duration_s") > 0).then(pl.col("distance_km") / pl.col("duration_s") * 3600.0)
    return stats.with_columns(mean_speed_kmh=mean_speed).select(STAT_COLUMNS).sort("flight_id")


def is_sorted_by_flight_and_time(points: pl.DataFrame) -> bool:
    """Whether rows are already ordered by (flight, time), as telemetry files usually are.

    One comparison pass costs about half of the sort it saves on 2M rows.
    """
    flight, previous = pl.col("flight_id"), pl.col("flight_id").shift(1)
    out_of_order = (flight < previous) | ((flight == previous) & (pl.col("t").diff() < 0))
    return not points.select(out_of_order.any()).item()


def trajectory(points: pl.DataFrame, max_points: int) -> list[list[float]]:
    """An evenly thinned ``[[lon, lat], ...]`` of one flight's time-sorted points (for the chart)."""
    ordered = points.sort("t")
    stride = max(1, -(-ordered.height // max_points))
    thinned = ordered.gather_every(stride)
    return [[round(lon, 5), round(lat, 5)] for lon, lat in zip(thinned["lon"], thinned["lat"], strict=True)]
