"""The flight_telemetry worker: read or generate the items' flights, compute their statistics.

Each item is one synthetic flight (``{"flight": i}``) or one file (``{"path", "format"}``). All
AGILab-format CSV items of the worker's share are read by one lazy scan and computed in one
pass; the other items one by one. Trajectories (for the chart) are computed only for items the
manager marked ``chart``: of those, each item's first ``chart_flights`` flights. Items write
their flights to ``flights/<item>.parquet``, except AGILab files (one flight each: the row is in
the run's ``flights.parquet``, a copy per file would cost more than reading it).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import polars as pl
from agilab_node import BaseWorker, Item

from .readers import read_agilab_csvs, read_telemetry
from .stats import flight_stats, normalize, trajectory


class FlightTelemetryWorker(BaseWorker):
    def load(self, item: Item) -> pl.DataFrame:
        if "path" in item.payload:
            return read_telemetry(Path(item.payload["path"]), item.payload.get("format"))
        from .synthetic import generate_flight  # numpy: only synthetic flights need it

        flight = generate_flight(self.args["seed"], item.payload["flight"], self.args["points_per_flight"])
        return normalize(flight)

    def works(self, items: Iterable[Item]) -> Iterator[dict]:
        items = list(items)
        scanned = [i for i in items if i.payload.get("format") == "agilab_csv"]
        batch: dict[str, dict] = self.work_agilab_files(scanned) if len(scanned) > 1 else {}
        for item in items:
            yield batch[item.id] if item.id in batch else self.work(item)

    def work(self, item: Item) -> dict:
        points = self.load(item)
        stats = flight_stats(points)
        self.log.info("%s: %d flight(s), %d points", item.id, stats.height, points.height)
        charted = self.charted(item, stats)
        return self.result(item, stats, {fid: points.filter(pl.col("flight_id") == fid) for fid in charted})

    def work_agilab_files(self, items: list[Item]) -> dict[str, dict]:
        """One scan and one statistics pass over AGILab files; the file stem is the flight (and item) id."""
        by_path = sorted(items, key=lambda i: i.payload["path"])
        points = read_agilab_csvs([Path(i.payload["path"]) for i in by_path])
        stats = flight_stats(points)
        self.log.info("%d AGILab files in one scan: %d points", len(items), points.height)
        per_item = stats.partition_by("flight_id", as_dict=True, include_key=True)
        empty = stats.clear()
        stats_of = {item.id: per_item.get((item.id,), empty) for item in by_path}
        charted = {fid for item in by_path for fid in self.charted(item, stats_of[item.id])}
        tracks = points.filter(pl.col("flight_id").is_in(sorted(charted))).partition_by(
            "flight_id", as_dict=True, include_key=True) if charted else {}
        return {
            item.id: self.result(item, stats_of[item.id], {fid: tracks[(fid,)] for fid in
                                                           self.charted(item, stats_of[item.id])})
            for item in by_path
        }

    def charted(self, item: Item, stats: pl.DataFrame) -> list[str]:
        """The item's flights that may be drawn: its first ``chart_flights`` ids, if the manager marked it."""
        return sorted(stats["flight_id"])[: self.args["chart_flights"]] if item.payload.get("chart", True) else []

    def result(self, item: Item, stats: pl.DataFrame, tracks: dict[str, pl.DataFrame]) -> dict:
        if item.payload.get("format") != "agilab_csv":  # an AGILab file is one row of flights.parquet
            out = self.output_dir / "flights" / f"{item.id}.parquet"
            out.parent.mkdir(parents=True, exist_ok=True)
            stats.write_parquet(out)
        return {
            "flights": stats.to_dicts(),
            "trajectories": {fid: trajectory(track, self.args["chart_points"]) for fid, track in tracks.items()},
        }
