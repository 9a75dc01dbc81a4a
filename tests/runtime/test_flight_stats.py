"""flight_telemetry's statistics, synthetic data and AGILab's flight CSV format."""

from __future__ import annotations

import math

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from agilab_lab.apps.flight_telemetry.flight_telemetry_worker.stats import flight_stats, normalize
from agilab_lab.apps.flight_telemetry.flight_telemetry_worker.synthetic import generate_flight


def test_statistics_of_a_known_track():
    # One degree of latitude along a meridian is ~111.195 km; points given out of time order.
    points = pl.DataFrame({
        "flight_id": ["A"] * 3, "t": [3600.0, 0.0, 1800.0],
        "lat": [1.0, 0.0, 0.5], "lon": [0.0, 0.0, 0.0], "alt_m": [900.0, 0.0, 1800.0],
    })
    row = flight_stats(points).row(0, named=True)
    assert row["points"] == 3 and row["duration_s"] == 3600.0
    assert row["distance_km"] == pytest.approx(2 * math.pi * 6371.0088 / 360, rel=1e-9)
    assert row["mean_speed_kmh"] == pytest.approx(row["distance_km"])
    assert row["max_speed_kmh"] == pytest.approx(row["distance_km"])
    assert row["max_alt_m"] == 1800.0 and row["max_climb_rate_mps"] == pytest.approx(1.0)


def test_synthetic_flights_are_deterministic_by_seed():
    assert generate_flight(1, 3, 50).equals(generate_flight(1, 3, 50))
    assert not generate_flight(1, 3, 50).equals(generate_flight(2, 3, 50))


def test_agilab_flight_csv_directories_run(agi, tmp_path):
    data = tmp_path / "flights"
    data.mkdir()
    for name, lat0 in (("AF100_1", 45.0), ("AF100_2", 46.0), ("BA7_1", 50.0)):
        rows = ["date,aircraft,long,lat,alt,beam"]
        rows += [f"2021-01-01 10:{m:02d}:00,{name.split('_')[0]},2.0,{lat0 + m * 0.01:.2f},{1000 + 10 * m},1"
                 for m in range(10)]
        (data / f"{name}.csv").write_text("\n".join(rows) + "\n")
    record = agi.run("flight_telemetry", mode="local", workers=2, data_dir=str(data))
    assert record.status == "succeeded", record.error
    assert record.result["flights"] == 3 and record.result["points"] == 30
    assert record.result["duration_s"] == 3 * 540.0


def test_normalize_names_missing_columns():
    with pytest.raises(ValueError, match="alt_m"):
        normalize(pl.DataFrame({"time": [1.0], "lat": [0.0], "lon": [0.0]}))


def test_an_empty_data_directory_is_a_bad_args_error(agi, tmp_path):
    from agilab_lab.runtime import BadArgs

    with pytest.raises(BadArgs, match="no \\*.parquet or \\*.csv files"):
        agi.run("flight_telemetry", data_dir=str(tmp_path))
    with pytest.raises(BadArgs, match="not a directory"):
        agi.run("flight_telemetry", data_dir=str(tmp_path / "missing"))


def test_row_order_does_not_change_the_statistics():
    flights = pl.concat([normalize(generate_flight(5, i, 40)) for i in range(3)])
    shuffled = flights.sample(fraction=1.0, shuffle=True, seed=1)
    # Sorted and re-sorted inputs may take different summation paths: equal to the last ulps.
    assert_frame_equal(flight_stats(shuffled), flight_stats(flights), check_exact=False, rel_tol=1e-12)
