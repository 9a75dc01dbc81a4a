"""The flight_telemetry worker: read or generate one item's flights, compute their statistics."""

from __future__ import annotations

from pathlib import Path

import polars as pl
from agilab_node import BaseWorker, Item

from .stats import flight_stats, read_telemetry, trajectory
from .synthetic import generate_flight


class FlightTelemetryWorker(BaseWorker):
    """Each item is one synthetic flight (``{"flight": i}``) or one file (``{"path": ...}``)."""

    def load(self, item: Item) -> pl.DataFrame:
        if "path" in item.payload:
            return read_telemetry(Path(item.payload["path"]))
        from .stats import normalize

        flight = generate_flight(self.args["seed"], item.payload["flight"], self.args["points_per_flight"])
        return normalize(flight)

    def work(self, item: Item) -> dict:
        points = self.load(item)
        stats = flight_stats(points)
        out = self.output_dir / "flights" / f"{item.id}.parquet"
        out.parent.mkdir(parents=True, exist_ok=True)
        stats.write_parquet(out)
        self.log.info("%s: %d flight(s), %d points", item.id, stats.height, points.height)
        chart_points = self.args["chart_points"]
        return {
            "flights": stats.to_dicts(),
            "trajectories": {
                fid: trajectory(points.filter(pl.col("flight_id") == fid), chart_points)
                for fid in stats["flight_id"]
            },
        }
