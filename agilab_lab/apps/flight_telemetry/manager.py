"""flight_telemetry: per-flight statistics of telemetry, one work item per flight or file."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agilab_lab.runtime import BaseManager, ItemResult, WorkItem

DATA_SUFFIXES = (".parquet", ".csv")
AGILAB_REQUIRED = {"date", "aircraft", "long", "lat", "alt"}  # the worker's readers.AGILAB_REQUIRED


def sniff_format(path: Path) -> str:
    """``parquet``, ``agilab_csv`` or ``csv`` from the suffix and the header line (as the worker's)."""
    if path.suffix == ".parquet":
        return "parquet"
    with path.open(encoding="utf-8", errors="replace") as handle:
        header = {name.strip().strip('"') for name in handle.readline().split(",")}
    return "agilab_csv" if AGILAB_REQUIRED <= header else "csv"


class FlightArgs(BaseModel):
    model_config = ConfigDict(extra="forbid")

    data_dir: str = Field(default="", description="Telemetry directory; empty for synthetic flights.")
    flights: int = Field(default=12, ge=1, le=100_000, description="Synthetic flights.")
    points_per_flight: int = Field(default=600, ge=2, le=10_000_000, description="Points per synthetic flight.")
    seed: int = Field(default=42, description="Seed of the synthetic generator.")
    chart_flights: int = Field(default=12, ge=0, le=500, description="Flights drawn in the chart.")
    chart_points: int = Field(default=80, ge=2, le=5_000, description="Points per drawn trajectory.")

    @field_validator("data_dir")
    @classmethod
    def _existing_dir(cls, value: str) -> str:
        if value and not Path(value).expanduser().is_dir():
            raise ValueError(f"{value} is not a directory")
        return str(Path(value).expanduser().resolve()) if value else ""


class FlightTelemetryManager(BaseManager):
    Args = FlightArgs
    worker_class = "worker:FlightTelemetryWorker"
    description = "Per-flight distance, duration, speeds, altitude and climb rate (polars)."

    def data_entries(self) -> list[os.DirEntry]:
        """The data directory's telemetry files, sorted by name (one ``scandir``: no stat per file)."""
        with os.scandir(self.args.data_dir) as entries:
            found = [e for e in entries if os.path.splitext(e.name)[1] in DATA_SUFFIXES and e.is_file()]
        return sorted(found, key=lambda e: e.name)

    def data_files(self) -> list[Path]:
        return [Path(e.path) for e in self.data_entries()]

    def plan_inputs(self) -> dict[str, Any]:
        """Each file's size and mtime: one ``stat`` per file (this runs on every run, cached plan or not)."""
        if not self.args.data_dir:
            return {}
        return {e.name: [(st := e.stat()).st_size, st.st_mtime_ns] for e in self.data_entries()}

    def build_distribution(self, workers: list[str]) -> list[WorkItem]:
        if self.args.data_dir:
            return self.file_items()
        return [
            WorkItem(id=f"FL{i:05d}", weight=self.args.points_per_flight,
                     payload={"flight": i, "chart": i < self.args.chart_flights})
            for i in range(self.args.flights)
        ]

    def file_items(self) -> list[WorkItem]:
        """One item per file, with its format (from the header) and whether it can be charted.

        An AGILab CSV holds one flight named by the file stem, so only the first ``chart_flights``
        of them by name can be charted; a file in the app's own format may hold any flight ids.
        """
        files = self.data_files()
        if not files:
            raise ValueError(f"no *.parquet or *.csv files in {self.args.data_dir}")
        formats = {p: sniff_format(p) for p in files}
        chartable = set(sorted(p.stem for p in files if formats[p] == "agilab_csv")[: self.args.chart_flights])
        return [
            WorkItem(id=p.stem, weight=max(1, p.stat().st_size),
                     payload={"path": str(p), "format": formats[p],
                              "chart": formats[p] != "agilab_csv" or p.stem in chartable})
            for p in files
        ]

    def aggregate(self, results: list[ItemResult], out_dir: Path) -> dict[str, Any]:
        import polars as pl  # not needed to list apps or plan a run

        rows = [row for r in results for row in r.result["flights"]]
        flights = pl.DataFrame(rows).sort("flight_id")
        flights.write_parquet(out_dir / "flights.parquet")
        trajectories = {fid: path for r in results for fid, path in r.result["trajectories"].items()}
        (out_dir / "trajectories.vl.json").write_text(json.dumps(self.chart(trajectories)))
        summary = self.summary(flights)
        (out_dir / "summary.json").write_text(json.dumps(summary, indent=1))
        return summary

    @staticmethod
    def summary(flights) -> dict[str, Any]:
        longest = flights.sort(["distance_km", "flight_id"], descending=[True, False]).row(0, named=True)
        distance, duration = flights["distance_km"].sum(), flights["duration_s"].sum()
        return {
            "flights": flights.height,
            "points": int(flights["points"].sum()),
            "distance_km": round(distance, 6),
            "duration_s": round(duration, 6),
            "mean_speed_kmh": round(distance / duration * 3600.0, 6) if duration else None,
            "max_speed_kmh": round(flights["max_speed_kmh"].max(), 6),
            "max_alt_m": round(flights["max_alt_m"].max(), 6),
            "max_climb_rate_mps": round(flights["max_climb_rate_mps"].max(), 6),
            "longest_flight": longest["flight_id"],
        }

    def chart(self, trajectories: dict[str, list[list[float]]]) -> dict[str, Any]:
        """A Vega-Lite spec of the first ``chart_flights`` trajectories (lon/lat lines)."""
        values = [
            {"flight": fid, "order": i, "lon": lon, "lat": lat}
            for fid in sorted(trajectories)[: self.args.chart_flights]
            for i, (lon, lat) in enumerate(trajectories[fid])
        ]
        return {
            "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "description": "Flight trajectories (longitude / latitude)",
            "width": 480, "height": 360,
            "data": {"values": values},
            "mark": {"type": "line", "point": False},
            "encoding": {
                "x": {"field": "lon", "type": "quantitative", "scale": {"zero": False}, "title": "longitude"},
                "y": {"field": "lat", "type": "quantitative", "scale": {"zero": False}, "title": "latitude"},
                "color": {"field": "flight", "type": "nominal"},
                "order": {"field": "order", "type": "quantitative"},
            },
        }
