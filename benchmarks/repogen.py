"""Repository generation and validation timings over the render matrix.

    .venv/bin/python benchmarks/repogen.py [--cases aws-realtime,gcp-batch] [--all]

For each cloud x workload family it measures, in one process:

- ``first``: the first render of the case in this process (the first case also compiles
  the templates);
- ``generate``: best of 5 renders of the RepoSpec to files (target < 1 s), against a baseline
  that only dumps the spec to JSON (the least any renderer must do): the ratio is template cost;
- ``validate cold``: full static validation with an empty venv cache (venv build included);
- ``validate warm``: the same again (target < 30 s); the ratio to cold shows what the venv
  cache saves. Both run in a fresh temporary cache so earlier runs do not help.
"""

from __future__ import annotations

import argparse
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
    print(f"{'case':18} {'first s':>7} {'generate s':>10} {'json dump s':>11} {'ratio':>6} "
          f"{'validate cold s':>15} {'warm s':>7} {'warm/cold':>9} passed")
    warm_times = []
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
            print(f"{case:18} {first:7.3f} {gen:10.3f} {dump:11.5f} {gen / dump:6.0f} {cold_s:15.1f} "
                  f"{warm_s:7.1f} {warm_s / cold_s:9.2f} {cold.passed and warm.passed}")
    print(f"median warm validation: {statistics.median(warm_times):.1f} s (target < 30 s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
