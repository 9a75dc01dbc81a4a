"""flight_telemetry on CSV: AGILab's layout read by one scan with an explicit date format, the
same per-flight numbers as the polars floor, trajectories only for charted flights."""

from __future__ import annotations

import json

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from agilab_lab.apps.flight_telemetry.flight_telemetry_worker.readers import read_own_csv, sniff_format
from agilab_lab.apps.flight_telemetry.flight_telemetry_worker.synthetic import generate_flight
from benchmarks.agilab_format import ensure_agilab_csvs
from benchmarks.flight_floor import per_flight, read_points

STATS = ["flight_id", "points", "duration_s", "distance_km", "mean_speed_kmh", "max_speed_kmh", "max_alt_m",
         "max_climb_rate_mps"]


def _run_flights(agi, record) -> pl.DataFrame:
    assert record.status == "succeeded", record.error
    return pl.read_parquet(agi.lab.home / "runs" / record.id / "flights.parquet")


@pytest.mark.parametrize("workers", [1, 3])
def test_agilab_csvs_give_the_floors_per_flight_numbers(agi, tmp_path, workers):
    data = tmp_path / "agilab"
    ensure_agilab_csvs(data, rows=28 * 400)
    floor = per_flight(read_points(data)).select(STATS)
    record = agi.run("flight_telemetry", mode="local", workers=workers, data_dir=str(data))
    ours = _run_flights(agi, record).select(STATS)
    assert ours.height == 28
    assert_frame_equal(ours, floor, check_exact=False, rel_tol=1e-12, check_dtypes=False)


def test_dates_in_another_layout_are_inferred(agi, tmp_path):
    data = tmp_path / "iso"
    paths = ensure_agilab_csvs(data, rows=28 * 50)
    expected = per_flight(read_points(data)).select(STATS)
    for path in paths[:3]:  # ISO dates with a T and a Z: not the explicit format
        frame = pl.read_csv(path)
        frame.with_columns(pl.col("date").str.replace(" ", "T") + "Z").write_csv(path)
    with pytest.raises(pl.exceptions.PolarsError):
        read_points(data)  # the floor's explicit format refuses them...
    ours = _run_flights(agi, agi.run("flight_telemetry", data_dir=str(data))).select(STATS)
    assert_frame_equal(ours, expected, check_exact=False, rel_tol=1e-12, check_dtypes=False)  # ...the app falls back


def test_only_charted_flights_get_trajectories(agi, tmp_path):
    data = tmp_path / "chart"
    ensure_agilab_csvs(data, rows=28 * 30)
    record = agi.run("flight_telemetry", workers=2, data_dir=str(data), chart_flights=3)
    run = agi.lab.home / "runs" / record.id
    items = json.loads((run / "items.json").read_text())
    traced = sorted(fid for item in items for fid in item["result"]["trajectories"])
    assert traced == sorted(item["id"] for item in items)[:3]
    chart = json.loads((run / "trajectories.vl.json").read_text())
    assert sorted({v["flight"] for v in chart["data"]["values"]}) == traced


def test_synthetic_items_outside_the_chart_skip_trajectories(agi):
    record = agi.run("flight_telemetry", flights=5, points_per_flight=50, chart_flights=2)
    items = json.loads((agi.lab.home / "runs" / record.id / "items.json").read_text())
    assert sorted(fid for item in items for fid in item["result"]["trajectories"]) == ["FL00000", "FL00001"]


def test_own_format_csv_with_iso_or_numeric_times(tmp_path):
    flight = generate_flight(3, 1, 20)
    iso = tmp_path / "iso.csv"
    flight.write_csv(iso)
    numeric = tmp_path / "numeric.csv"
    flight.with_columns((pl.col("time").dt.epoch("us") / 1e6).alias("time")).write_csv(numeric)
    assert sniff_format(iso) == "csv"
    a, b = read_own_csv(iso), read_own_csv(numeric)
    assert a.columns == ["flight_id", "t", "lat", "lon", "alt_m"]
    assert_frame_equal(a, b)
    broken = tmp_path / "broken.csv"
    flight.drop("alt_m").write_csv(broken)
    with pytest.raises(ValueError, match="alt_m"):
        read_own_csv(broken)


def test_a_csv_run_does_not_import_numpy(tmp_path):
    """numpy only where it is used (the synthetic generator): not by the CLI, nor by a CSV run."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    data = tmp_path / "data"
    ensure_agilab_csvs(data, rows=28 * 20)
    code = ("import sys; from agilab_lab.cli import main; code = main(['run', 'flight_telemetry', '--json', "
            f"'--set', 'data_dir={data}']); print('numpy' in sys.modules, file=sys.stderr); sys.exit(code)")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2]), "AGILAB_LAB_HOME": str(tmp_path / "home")}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["result"]["flights"] == 28
    assert out.stderr.strip().splitlines()[-1] == "False"
