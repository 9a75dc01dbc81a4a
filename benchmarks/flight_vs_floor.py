"""agilab-lab's flight_telemetry vs the polars floor on AGILab-layout CSVs (``flight_telemetry.py
--agilab-format DIR`` runs this): in-process warm runs, whole processes and CLI import time."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from agilab_format import ensure_agilab_csvs
from bench_util import HEADER, load_average, ratio_row, spread, timed_interleaved

ROOT = Path(__file__).resolve().parents[1]
FLOOR = ROOT / "benchmarks" / "flight_floor.py"
STATS = ["flight_id", "points", "duration_s", "distance_km", "mean_speed_kmh", "max_speed_kmh", "max_alt_m",
         "max_climb_rate_mps"]


def dataset(root: Path, scale: int) -> Path:
    """AGILab's own CSVs when ``root`` holds them (scale k: k renamed copies), else generated ones."""
    own = sorted(root.glob("*.csv"))
    if not own:
        target = root / f"x{scale}"
        ensure_agilab_csvs(target, scale)
        return target
    if scale == 1:
        return root
    target = root.parent / f"{root.name}-x{scale}"
    target.mkdir(exist_ok=True)
    for copy in range(scale):
        for path in own:
            destination = target / f"{path.stem}r{copy}.csv"
            if not destination.exists():
                shutil.copyfile(path, destination)
    return target


def same_numbers(agi, record, directory: Path) -> None:
    """The run's per-flight table equals the floor's (to the last ulps of a sum)."""
    import polars as pl
    from flight_floor import per_flight, read_points
    from polars.testing import assert_frame_equal

    ours = pl.read_parquet(agi.lab.home / "runs" / record.id / "flights.parquet").select(STATS)
    floor = per_flight(read_points(directory)).select(STATS)
    assert_frame_equal(ours, floor, check_exact=False, rel_tol=1e-9, check_dtypes=False)


def in_process(directory: Path, repeat: int, scale: int) -> None:
    from flight_floor import per_flight, read_points
    from traitlets.config import Config

    from agilab_lab.core import Lab
    from agilab_lab.runtime import AGI
    from agilab_lab.settings import load_settings

    agi = AGI(Lab.open(load_settings(Config(), home=tempfile.mkdtemp(prefix="agilab-bench-"))))
    first = agi.run("flight_telemetry", mode="local", data_dir=str(directory))
    assert first.status == "succeeded", first.error
    same_numbers(agi, first, directory)
    per_flight(read_points(directory))  # warm both sides

    def agilab_local():
        assert agi.run("flight_telemetry", mode="local", data_dir=str(directory)).status == "succeeded"

    def floor():
        per_flight(read_points(directory))

    samples = timed_interleaved({"agilab_local": agilab_local, "floor": floor}, repeat)
    wall = {name: [w for w, _ in values] for name, values in samples.items()}
    cpu = {name: [c for _, c in values] for name, values in samples.items()}
    print(ratio_row(f"x{scale} AGI.run local (wall)", wall["agilab_local"], "polars floor", wall["floor"], "<= 1.5"))
    print(ratio_row(f"x{scale} AGI.run local (CPU)", cpu["agilab_local"], "polars floor", cpu["floor"], "<= 1.5"))


def _env(home: str) -> dict[str, str]:
    """As an installed CLI runs: bytecode caches written and used (some sandboxes turn them off).

    Children also run with ``cwd=ROOT``: ``python -m`` puts the working directory first on
    ``sys.path``, so another checkout there would be measured instead of this one."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "AGILAB_LAB_HOME": home, "PYTHONPATH": str(ROOT)}


def whole_process(directory: Path, repeat: int) -> None:
    home = tempfile.mkdtemp(prefix="agilab-cli-")
    cli = [sys.executable, "-m", "agilab_lab.cli", "run", "flight_telemetry", "--mode", "local", "--json",
           "--set", f"data_dir={directory}"]
    floor = [sys.executable, str(FLOOR), str(directory), "--json"]
    first = subprocess.run(cli, env=_env(home), cwd=ROOT, capture_output=True, text=True, check=True)  # creates the home
    reference = json.loads(subprocess.run(floor, capture_output=True, text=True, check=True).stdout)
    result = json.loads(first.stdout)["result"]
    assert (result["flights"], result["points"]) == (reference["flights"], reference["points"])
    assert abs(result["distance_km"] - reference["distance_km"]) <= 1e-6 * reference["distance_km"]

    child_cpu: dict[str, list[float]] = {"agilab-lab run": [], "flight_floor.py": []}

    def run(name, argv):
        def case():
            before = os.times()
            subprocess.run(argv, env=_env(home), cwd=ROOT, capture_output=True, check=True)
            after = os.times()
            child_cpu[name].append(after.children_user + after.children_system
                                   - before.children_user - before.children_system)
        return case

    samples = timed_interleaved({name: run(name, argv) for name, argv in
                                 (("agilab-lab run", cli), ("flight_floor.py", floor))}, repeat)
    wall = {name: [w for w, _ in values] for name, values in samples.items()}
    print(ratio_row("whole process (wall)", wall["agilab-lab run"], "flight_floor.py", wall["flight_floor.py"], ""))
    print(ratio_row("whole process (CPU)", child_cpu["agilab-lab run"], "flight_floor.py",
                    child_cpu["flight_floor.py"], ""))
    print(f"whole process `agilab-lab run flight_telemetry --mode local --json` x1: wall {spread(wall['agilab-lab run'])}"
          f" s, CPU {spread(child_cpu['agilab-lab run'])} s (target <= 1.0 s wall)")
    import_times(home, repeat)


def import_times(home: str, repeat: int) -> None:
    """Wall seconds of every import of the CLI run path (``-X importtime``, top-level entries)."""
    totals = {"minimal_app": [], "flight_telemetry": []}
    heavy: set[str] = set()
    for _ in range(repeat):
        for app in totals:
            argv = [sys.executable, "-X", "importtime", "-m", "agilab_lab.cli", "run", app, "--json"]
            if app == "flight_telemetry":
                argv += ["--set", "flights=2", "--set", "points_per_flight=10"]
            err = subprocess.run(argv, env=_env(home), cwd=ROOT, capture_output=True, text=True, check=True).stderr
            totals[app].append(sum(int(m) for m in re.findall(r"^import time:\s+\d+ \|\s+(\d+) \| \S", err, re.M)) / 1e6)
            if app == "minimal_app":  # flight_telemetry's synthetic flights (no data_dir) do use numpy
                heavy |= set(re.findall(r"^import time:.*\| +(sqlalchemy|alembic|asyncio|numpy)$", err, re.M))
    print(f"CLI run path imports (-X importtime, top level, wall): framework (minimal_app) {spread(totals['minimal_app'])}"
          f" s (target < 0.35 s); with flight_telemetry's polars {spread(totals['flight_telemetry'])} s")
    print(f"CLI run path (minimal_app) imports of sqlalchemy/alembic/asyncio/numpy: {', '.join(sorted(heavy)) or 'none'}")
    cpu = {"cli_path": [], "sqlalchemy.orm": []}
    for _ in range(repeat):
        for name, modules in (("cli_path", CLI_PATH), ("sqlalchemy.orm", "sqlalchemy.orm")):
            code = f"import time; c = time.process_time(); import {modules}; print(time.process_time() - c)"
            out = subprocess.run([sys.executable, "-c", code], env=_env(home), cwd=ROOT, capture_output=True, text=True, check=True)
            cpu[name].append(float(out.stdout))
    print(f"CLI run path imports (CPU of a fresh process): {spread(cpu['cli_path'])} s; for scale, `import "
          f"sqlalchemy.orm` alone: {spread(cpu['sqlalchemy.orm'])} s")


CLI_PATH = ", ".join([
    "agilab_lab.cli", "agilab_lab.cli.core", "agilab_lab.cli.runtime", "agilab_lab.cli.designer",
    "agilab_lab.cli.repogen", "agilab_lab.core", "agilab_lab.runtime", "agilab_lab.jobs.worker",
    "agilab_lab.runtime.backends.local", "agilab_lab.runtime.node.executor", "agilab_lab.store.lite",
    "agilab_lab.runtime.lite_records",
])


def compare_with_floor(root: Path, scales: list[int], repeat: int) -> None:
    root.mkdir(parents=True, exist_ok=True)
    print(f"== agilab-lab vs the polars floor on AGILab-layout CSVs under {root}, {repeat} alternated runs, "
          f"load average {load_average()}")
    print(HEADER)
    for scale in scales:
        directory = dataset(root, scale)
        print(f"x{scale}: {len(list(directory.glob('*.csv')))} files", file=sys.stderr)
        in_process(directory, repeat, scale)
    whole_process(dataset(root, scales[0]), repeat)
    print(f"load average at the end: {load_average()}")
    print("per-flight numbers: agilab-lab == floor (checked, rel 1e-9)")
