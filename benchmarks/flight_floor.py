"""The polars floor of flight_telemetry on AGILab-format CSVs: no framework, just the work.

One lazy scan over every ``*.csv`` of a directory, reading only the four columns used with an
explicit schema and date format, then the same per-flight statistics as the app (haversine
distance along time-ordered points, duration, mean/max speed, max altitude, max climb rate;
rows are sorted only when they are not already in (flight, time) order). The file stem is the
flight id. It imports polars only, so as a whole process it is the fastest way to get the
numbers: ``benchmarks/flight_telemetry.py`` measures agilab-lab against it.

    .venv/bin/python benchmarks/flight_floor.py DIR [--json]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polars as pl

EARTH_RADIUS_KM = 6371.0088
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
SCHEMA = {"date": pl.String, "aircraft": pl.String, "long": pl.Float64, "lat": pl.Float64, "alt": pl.Float64}


def read_points(directory: Path) -> pl.DataFrame:
    files = sorted(str(p) for p in Path(directory).glob("*.csv"))
    scan = pl.scan_csv(files, schema_overrides=SCHEMA, include_file_paths="path")
    return scan.select(
        pl.col("path").str.extract(r"([^/\\]+)\.csv$").alias("flight_id"),
        (pl.col("date").str.strptime(pl.Datetime("us"), DATE_FORMAT).dt.epoch("us").cast(pl.Float64) / 1e6)
        .alias("t"),
        pl.col("lat"), pl.col("long").alias("lon"), pl.col("alt").alias("alt_m"),
    ).collect()


def per_flight(points: pl.DataFrame) -> pl.DataFrame:
    flight, previous = pl.col("flight_id"), pl.col("flight_id").shift(1)
    unordered = points.select(((flight < previous) | ((flight == previous) & (pl.col("t").diff() < 0))).any()).item()
    if unordered:
        points = points.sort("flight_id", "t")
    same = flight == previous
    lat, lon = pl.col("lat").radians(), pl.col("lon").radians()
    half_dlat, half_dlon = (lat.diff() / 2).sin(), (lon.diff() / 2).sin()
    cos_lat = lat.cos()
    haversine = half_dlat * half_dlat + cos_lat * cos_lat.shift(1) * half_dlon * half_dlon
    steps = points.with_columns(
        dt=pl.when(same).then(pl.col("t").diff()),
        dalt=pl.when(same).then(pl.col("alt_m").diff()),
        step_km=pl.when(same).then(2 * EARTH_RADIUS_KM * haversine.sqrt().arcsin()),
    )
    moving = pl.col("dt") > 0
    steps = steps.with_columns(
        speed_kmh=pl.when(moving).then(pl.col("step_km") / pl.col("dt") * 3600.0),
        climb_mps=pl.when(moving).then(pl.col("dalt") / pl.col("dt")),
    )
    stats = steps.group_by("flight_id").agg(
        points=pl.len(), duration_s=pl.col("t").max() - pl.col("t").min(), distance_km=pl.col("step_km").sum(),
        max_speed_kmh=pl.col("speed_kmh").max(), max_alt_m=pl.col("alt_m").max(),
        max_climb_rate_mps=pl.col("climb_mps").max(),
    )
    mean_speed = pl.when(pl.col("duration_s") > 0).then(pl.col("distance_km") / pl.col("duration_s") * 3600.0)
    return stats.with_columns(mean_speed_kmh=mean_speed).sort("flight_id")


def main() -> int:
    directory = Path(sys.argv[1])
    stats = per_flight(read_points(directory))
    if "--json" in sys.argv:
        print(json.dumps({"flights": stats.height, "points": int(stats["points"].sum()),
                          "distance_km": round(stats["distance_km"].sum(), 6)}))
    else:
        print(stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
