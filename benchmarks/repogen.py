"""Repository generation and validation timings over the render matrix.

    .venv/bin/python benchmarks/repogen.py [--cases aws-realtime,gcp-batch] [--all]

For each cloud x workload family it measures, in one process:

- ``first``: the first render of the case in this process (the first case also compiles
  the templates);
- ``generate``: best of 5 renders of the RepoSpec to files (target < 1 s), against a baseline
  that only dumps the spec to JSON (the least any renderer must do): the ratio is template cost;
- ``validate cold``: full static validation with an empty venv cache (venv build included);
- ``validate warm``: the same again (acceptance: < 90 s on the 2-core machine); the ratio to
  cold shows what the caches save (venvs by pin set; terraform gate results by the stack's
  content). Both run in a fresh temporary cache so earlier runs do not help;
- ``warm new``: a second repository of the same plan under another project name, with the
  caches warm: its pins are the same (venv reused) but its stack's content is new, so an AWS
  stack's terraform gates (init from the plugin cache, validate, plan, emulator apply +
  destroy) run again. This is the time of a freshly generated repo on a warmed machine.

The slowest checks of each warm-new run are listed, and the load average is printed at the start
and end (the figures mean little without it on a shared machine).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
DEFAULT_CASES = ("aws-realtime", "gcp-batch", "azure-rag")


def _best_of(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> int:
    from agilab_lab.repogen import generate
    from agilab_lab.repogen.build import write_tree
    from agilab_lab.repogen.validate import validate_dir
    from tests.repogen.plans import CLOUDS, FAMILIES, make_spec

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", default=",".join(DEFAULT_CASES))
    parser.add_argument("--all", action="store_true", help="every cloud x family")
    args = parser.parse_args()
    cases = ([f"{c}-{f}" for c in CLOUDS for f in FAMILIES] if args.all
             else args.cases.split(","))
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'case':18} {'first s':>7} {'generate s':>10} {'json dump s':>11} {'ratio':>6} "
          f"{'validate cold s':>15} {'warm s':>7} {'warm/cold':>9} {'warm new s':>10} passed")
    warm_times, new_times, slowest = [], [], []
    with tempfile.TemporaryDirectory(prefix="agilab-bench-") as scratch:
        for case in cases:
            spec = make_spec(*case.split("-"))
            first = _best_of(lambda spec=spec: generate(spec), 1)
            gen = _best_of(lambda spec=spec: generate(spec), 5)
            dump = _best_of(lambda spec=spec: spec.model_dump_json(), 5)
            cache = Path(scratch) / f"venvs-{case}"
            root = write_tree(generate(spec), Path(scratch) / case)
            started = time.perf_counter()
            cold = validate_dir(root, cache_dir=cache)
            cold_s = time.perf_counter() - started
            started = time.perf_counter()
            warm = validate_dir(root, cache_dir=cache)
            warm_s = time.perf_counter() - started
            warm_times.append(warm_s)
            other = make_spec(*case.split("-"), project_name=f"{case} renamed")
            other_root = write_tree(generate(other), Path(scratch) / f"{case}-renamed")
            started = time.perf_counter()
            new = validate_dir(other_root, cache_dir=cache)
            new_s = time.perf_counter() - started
            new_times.append(new_s)
            top = sorted(new.checks, key=lambda c: -c.seconds)[:3]
            slowest.append(f"{case}: " + ", ".join(f"{c.name} {c.seconds:.1f} s" for c in top))
            print(f"{case:18} {first:7.3f} {gen:10.3f} {dump:11.5f} {gen / dump:6.0f} {cold_s:15.1f} "
                  f"{warm_s:7.1f} {warm_s / cold_s:9.2f} {new_s:10.1f} "
                  f"{cold.passed and warm.passed and new.passed}", flush=True)
    print("slowest checks of the warm-new runs:\n  " + "\n  ".join(slowest))
    print(f"median warm validation: {statistics.median(warm_times):.1f} s, worst "
          f"{max(warm_times):.1f} s (acceptance < 90 s); warm caches, new content: worst "
          f"{max(new_times):.1f} s")
    print(f"load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
