"""Runtime overhead of agilab-lab, measured against baselines in the same run.

On a warm 2-worker LocalCluster with minimal_app and 1,000 small items:
  1. AGI.run (dask)  vs  the same work sent by hand as one Client.submit per worker
     (the framework's own overhead; target <= 1.2)
  2. raw Client.map with one task per item  vs  AGI.run (what coarse tasks save)
  3. AGI.run local mode  vs  a plain loop over the items (target <= 1.1)
  4. the cold first run (cluster start + packaging + shipping)  vs  the warm one

    .venv/bin/python benchmarks/runtime_overhead.py [--items 1000] [--seconds-per-item 0.002] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def busy_item(index: int, seconds: float) -> int:
    """The per-item work of minimal_app's worker, for the hand-written baselines."""
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        pass
    return index * index % 1009


def busy_items(indices: list[int], seconds: float) -> int:
    return sum(busy_item(i, seconds) for i in indices)


def timed_interleaved(cases: dict, repeat: int) -> dict[str, float]:
    """Median wall time of each case; the cases alternate so that load drift hits all of them."""
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(repeat):
        for name, func in cases.items():
            start = time.perf_counter()
            func()
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--seconds-per-item", type=float, default=0.002)
    parser.add_argument("--repeat", type=int, default=5)
    opts = parser.parse_args()

    from traitlets.config import Config

    from agilab_lab.core import Lab
    from agilab_lab.runtime import AGI
    from agilab_lab.runtime.backends.clusters import ClusterPool
    from agilab_lab.settings import load_settings

    home = Path(tempfile.mkdtemp(prefix="agilab-bench-"))
    lab = Lab.open(load_settings(Config(), home=str(home)))
    pool = ClusterPool()
    agi = AGI(lab, clusters=pool)
    args = {"items": opts.items, "seconds_per_item": opts.seconds_per_item}
    n, s = opts.items, opts.seconds_per_item
    checksum = sum(busy_item(i, 0) for i in range(n))

    start = time.perf_counter()
    cold = agi.run("minimal_app", mode="dask", workers=2, **args)
    cold_s = time.perf_counter() - start
    assert cold.status == "succeeded" and cold.result["checksum"] == checksum, cold.error

    def agi_dask():
        record = agi.run("minimal_app", mode="dask", workers=2, **args)
        assert record.result["checksum"] == checksum

    client = pool.client(agi.runner.backend(_request(args)).target)
    workers = sorted(client.scheduler_info()["workers"])

    def by_hand():
        halves = [list(range(w, n, len(workers))) for w in range(len(workers))]
        futures = [client.submit(busy_items, half, s, workers=[addr], pure=False)
                   for half, addr in zip(halves, workers, strict=True)]
        assert sum(f.result() for f in futures) == checksum

    def per_item_map():
        futures = client.map(busy_item, range(n), [s] * n, pure=False)
        assert sum(client.gather(futures)) == checksum

    def agi_local():
        assert agi.run("minimal_app", mode="local", **args).result["checksum"] == checksum

    def plain_loop():
        assert busy_items(list(range(n)), s) == checksum

    medians = timed_interleaved({"agi_dask": agi_dask, "by_hand": by_hand, "map": per_item_map,
                                 "agi_local": agi_local, "loop": plain_loop}, opts.repeat)
    warm, hand, mapped = medians["agi_dask"], medians["by_hand"], medians["map"]
    local, loop = medians["agi_local"], medians["loop"]
    pool.close()

    rows = [
        ("AGI.run dask (warm)", warm, "one Client.submit per worker", hand, warm / hand, "<= 1.2"),
        ("Client.map per item", mapped, "AGI.run dask (warm)", warm, mapped / warm, "(saved by coarse tasks)"),
        ("AGI.run local", local, "plain loop", loop, local / loop, "<= 1.1"),
        ("cold first run", cold_s, "AGI.run dask (warm)", warm, cold_s / warm, "(cluster start + ship)"),
    ]
    print(f"minimal_app, {n} items x {s * 1000:g} ms, 2 workers x 1 thread, median of {opts.repeat}")
    print(f"{'measured':<24}{'s':>8}   {'baseline':<30}{'s':>8}{'ratio':>8}  target")
    for name, value, base_name, base, ratio, target in rows:
        print(f"{name:<24}{value:8.3f}   {base_name:<30}{base:8.3f}{ratio:8.2f}  {target}")
    return 0


def _request(args):
    from agilab_lab.runtime import RunRequest

    return RunRequest(app="minimal_app", mode="dask", workers=2, args=args)


if __name__ == "__main__":
    sys.exit(main())
