"""flight_telemetry against baselines measured in the same run (medians [min-max], alternated runs).

Default: the app's polars statistics vs the same algorithm in pandas (both check the row order
and sort only when needed, both read only the columns used with explicit types), on parquet and
on CSV input, each measurement in a fresh interpreter (warm = the second call; peak RSS is the
interpreter's own ``ru_maxrss``).

``--agilab-format DIR``: agilab-lab on AGILab-layout CSVs (DIR's own ``*.csv`` when it holds
AGILab's data, otherwise generated under DIR at x1 = 28 files / 314,670 rows and x10) against the
polars floor (``benchmarks/flight_floor.py``): in-process warm runs (``AGI.run`` local vs the
floor's functions), then whole processes (``agilab-lab run flight_telemetry --mode local --json``
vs ``python benchmarks/flight_floor.py``), checking that both give the same per-flight numbers.

    .venv/bin/python benchmarks/flight_telemetry.py [--rows 2000000] [--repeat 5]
    .venv/bin/python benchmarks/flight_telemetry.py --agilab-format DIR [--scales 1,10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(HERE), str(ROOT)]

from bench_util import load_average, spread  # noqa: E402

CHILD = r"""
import json, resource, sys, time
impl, path, root = sys.argv[1], sys.argv[2], sys.argv[3]
sys.path[:0] = [root, root + "/benchmarks"]
from pathlib import Path
if impl == "polars":
    from agilab_lab.apps.flight_telemetry.flight_telemetry_worker.stats import flight_stats, read_telemetry
    once = lambda: flight_stats(read_telemetry(Path(path)))
else:
    from flight_telemetry import pandas_flight_stats, pandas_read
    once = lambda: pandas_flight_stats(pandas_read(path))
start = time.perf_counter()
once()  # the first call pays one-off costs (lazy imports, thread pools, caches)
cold = time.perf_counter() - start
start, cpu = time.perf_counter(), time.process_time()
stats = once()
seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "cold_s": cold, "cpu_s": cpu, "peak_rss_mb": peak_mb,
                  "distance_km": float(stats["distance_km"].sum()), "flights": len(stats)}))
"""
COLUMNS = ["flight_id", "time", "lat", "lon", "alt_m"]


def pandas_read(path: str):
    import pandas as pd

    if path.endswith(".parquet"):
        frame = pd.read_parquet(path, columns=COLUMNS)
        return frame.assign(t=frame["time"].astype("int64") / 1e6).drop(columns="time")
    frame = pd.read_csv(path, usecols=COLUMNS, dtype={"flight_id": str, "lat": float, "lon": float, "alt_m": float})
    times = pd.to_datetime(frame["time"], format="%Y-%m-%dT%H:%M:%S.%f%z")
    return frame.assign(t=times.astype("int64") / 1e6 if times.dt.unit == "us" else
                        times.dt.as_unit("us").astype("int64") / 1e6).drop(columns="time")


def pandas_flight_stats(frame):
    """The polars worker's algorithm in pandas: sort only when out of order, differences over
    the whole frame masked at flight boundaries, one group-by."""
    import numpy as np

    fid, t = frame["flight_id"], frame["t"]
    prev = fid.shift(1)
    if ((fid < prev) | ((fid == prev) & (t.diff() < 0))).any():
        frame = frame.sort_values(["flight_id", "t"], kind="stable").reset_index(drop=True)
        fid, t = frame["flight_id"], frame["t"]
    same = fid == fid.shift(1)
    lat, lon = np.radians(frame["lat"].to_numpy()), np.radians(frame["lon"].to_numpy())
    dlat, dlon = np.diff(lat, prepend=np.nan), np.diff(lon, prepend=np.nan)
    cos_lat = np.cos(lat)
    a = np.sin(dlat / 2) ** 2 + cos_lat * np.roll(cos_lat, 1) * np.sin(dlon / 2) ** 2
    dt = t.diff().where(same)
    steps = frame.assign(
        dt=dt, step_km=pd_where(same, 2 * 6371.0088 * np.arcsin(np.sqrt(a))),
        dalt=frame["alt_m"].diff().where(same),
    )
    moving = steps["dt"] > 0
    steps["speed_kmh"] = (steps["step_km"] / steps["dt"] * 3600.0).where(moving)
    steps["climb_mps"] = (steps["dalt"] / steps["dt"]).where(moving)
    stats = steps.groupby("flight_id", sort=True).agg(
        points=("t", "size"), t_min=("t", "min"), t_max=("t", "max"), distance_km=("step_km", "sum"),
        max_speed_kmh=("speed_kmh", "max"), max_alt_m=("alt_m", "max"), max_climb_rate_mps=("climb_mps", "max"),
    )
    stats["duration_s"] = stats["t_max"] - stats["t_min"]
    stats["mean_speed_kmh"] = stats["distance_km"] / stats["duration_s"] * 3600.0
    return stats.drop(columns=["t_min", "t_max"]).reset_index()


def pd_where(mask, values):
    import pandas as pd

    return pd.Series(values, index=mask.index).where(mask)


def measure_once(impl: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, impl, str(path), str(ROOT)],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return json.loads(out.stdout)


def polars_vs_pandas(rows: int, points_per_flight: int, repeat: int) -> None:
    from agilab_lab.apps.flight_telemetry.flight_telemetry_worker.synthetic import generate

    flights = max(1, rows // points_per_flight)
    directory = Path(tempfile.mkdtemp(prefix="agilab-flights-"))
    frame = generate(seed=1, flights=flights, points=points_per_flight)
    inputs = {"parquet": directory / "telemetry.parquet", "csv": directory / "telemetry.csv"}
    frame.write_parquet(inputs["parquet"])
    frame.write_csv(inputs["csv"])
    rows = flights * points_per_flight
    print(f"== polars vs pandas, same algorithm: {rows:,} rows ({flights} flights), {repeat} alternated runs, "
          f"load average {load_average()}")
    print(f"{'input':<8}{'impl':<8}{'warm s median [min-max]':>26}{'cpu s':>8}{'cold s':>8}{'peak RSS MB':>13}")
    for kind, path in inputs.items():
        runs: dict[str, list[dict]] = {"polars": [], "pandas": []}
        for repetition in range(repeat):
            for impl in ("polars", "pandas") if repetition % 2 == 0 else ("pandas", "polars"):
                runs[impl].append(measure_once(impl, path))
        distance = {impl: runs[impl][0]["distance_km"] for impl in runs}
        drift = abs(distance["polars"] - distance["pandas"]) / distance["pandas"]
        assert drift < 1e-9, f"the two implementations disagree on {kind} ({drift:.2e})"
        for impl, samples in runs.items():
            med = lambda key, s=samples: statistics.median(r[key] for r in s)  # noqa: E731
            print(f"{kind:<8}{impl:<8}{spread([r['seconds'] for r in samples]):>26}{med('cpu_s'):8.2f}"
                  f"{med('cold_s'):8.3f}{med('peak_rss_mb'):13.0f}")
        speedup = statistics.median(r["seconds"] for r in runs["pandas"]) / statistics.median(
            r["seconds"] for r in runs["polars"])
        rss = statistics.median(r["peak_rss_mb"] for r in runs["polars"]) / statistics.median(
            r["peak_rss_mb"] for r in runs["pandas"])
        print(f"{kind}: polars speed-up {speedup:.2f}x warm (median), peak RSS polars/pandas {rss:.2f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--points-per-flight", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--agilab-format", type=Path, metavar="DIR",
                        help="compare agilab-lab with the polars floor on AGILab-layout CSVs under DIR")
    parser.add_argument("--scales", default="1,10", help="dataset scales for --agilab-format (x1 = 314,670 rows)")
    opts = parser.parse_args()
    if opts.repeat < 5:
        parser.error("--repeat must be at least 5 (medians of fewer runs are noise here)")
    if opts.agilab_format:
        from flight_vs_floor import compare_with_floor

        compare_with_floor(opts.agilab_format, [int(s) for s in opts.scales.split(",")], opts.repeat)
    else:
        polars_vs_pandas(opts.rows, opts.points_per_flight, opts.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
