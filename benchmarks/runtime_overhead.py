"""Runtime overhead of agilab-lab, measured against baselines in the same run.

On a warm 2-worker LocalCluster with minimal_app and 1,000 small items (a fixed amount of CPU
work each, ``spins_per_item`` loop iterations):
  1. AGI.run (dask)  vs  the same work sent by hand as one Client.submit per worker
     (the framework's own overhead; target <= 1.2)
  2. raw Client.map with one task per item  vs  AGI.run (what coarse tasks save)
  3. AGI.run local mode  vs  a plain loop over the items (target <= 1.1), in wall and CPU time
  4. the cold first run (cluster start + packaging + shipping)  vs  the warm one

    .venv/bin/python benchmarks/runtime_overhead.py [--items 1000] [--spins 40000] [--repeat 8]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path


def spin_item(index: int, spins: int) -> int:
    """minimal_app's per-item work (same loop as its worker), for the hand-written baselines."""
    acc = 0
    for _ in range(spins):
        acc = (acc * 31 + 7) % 1_000_003
    return index * index % 1009


def spin_items(indices: list[int], spins: int) -> int:
    return sum(spin_item(i, spins) for i in indices)


def timed_interleaved(cases: dict, repeat: int) -> dict[str, list[tuple[float, float]]]:
    """(wall, CPU of this process) seconds of each case, per repetition.

    The cases alternate so that load drift hits all of them; the order rotates and reverses
    from one repetition to the next so that no case always runs first of its pair, or right after
    the case that leaves the most work behind (the 1,000 futures ``Client.map`` releases).
    """
    samples: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    names = list(cases)
    for repetition in range(repeat):
        shift = (repetition // 2) % len(names)
        order = names[shift:] + names[:shift]
        for name in order if repetition % 2 == 0 else reversed(order):
            wall, cpu = time.perf_counter(), time.process_time()
            cases[name]()
            samples[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    for name, values in samples.items():  # the spread, for judging the medians
        print(f"{name:<10} wall s: {' '.join(f'{w:.2f}' for w, _ in values)}", file=sys.stderr)
    return samples


def median_ratio(measured: list[float], baseline: list[float]) -> float:
    """Median of the per-repetition ratios: each pair ran close in time, under similar load."""
    return statistics.median(m / b for m, b in zip(measured, baseline, strict=True))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--spins", type=int, default=40_000, help="loop iterations per item (~2 ms)")
    parser.add_argument("--repeat", type=int, default=8)
    opts = parser.parse_args()

    from traitlets.config import Config

    from agilab_lab.core import Lab
    from agilab_lab.runtime import AGI, RunRequest
    from agilab_lab.runtime.backends.clusters import ClusterPool
    from agilab_lab.settings import load_settings

    home = Path(tempfile.mkdtemp(prefix="agilab-bench-"))
    lab = Lab.open(load_settings(Config(), home=str(home)))
    pool = ClusterPool()
    agi = AGI(lab, clusters=pool)
    n, spins = opts.items, opts.spins
    args = {"items": n, "spins_per_item": spins}
    checksum = sum(spin_item(i, 0) for i in range(n))

    start = time.perf_counter()
    cold = agi.run("minimal_app", mode="dask", workers=2, **args)
    cold_s = time.perf_counter() - start
    assert cold.status == "succeeded" and cold.result["checksum"] == checksum, cold.error

    target = agi.runner.backend(RunRequest(app="minimal_app", mode="dask", workers=2)).target
    client = pool.client(target)
    workers = sorted(client.scheduler_info()["workers"])

    def agi_dask():
        assert agi.run("minimal_app", mode="dask", workers=2, **args).result["checksum"] == checksum

    def by_hand():
        shares = [list(range(w, n, len(workers))) for w in range(len(workers))]
        futures = [client.submit(spin_items, share, spins, workers=[address], pure=False)
                   for share, address in zip(shares, workers, strict=True)]
        assert sum(f.result() for f in futures) == checksum

    def per_item_map():
        futures = client.map(spin_item, range(n), [spins] * n, pure=False)
        assert sum(client.gather(futures)) == checksum

    def agi_local():
        assert agi.run("minimal_app", mode="local", **args).result["checksum"] == checksum

    def plain_loop():
        assert spin_items(list(range(n)), spins) == checksum

    samples = timed_interleaved({"agi_dask": agi_dask, "by_hand": by_hand, "map": per_item_map,
                                 "agi_local": agi_local, "loop": plain_loop}, opts.repeat)
    pool.close()
    wall = {name: [w for w, _ in values] for name, values in samples.items()}
    cpu = {name: [c for _, c in values] for name, values in samples.items()}

    rows = [
        ("AGI.run dask (warm)", wall["agi_dask"], "one Client.submit per worker", wall["by_hand"], "<= 1.2"),
        ("Client.map per item", wall["map"], "AGI.run dask (warm)", wall["agi_dask"], "(saved by coarse tasks)"),
        ("AGI.run local", wall["agi_local"], "plain loop", wall["loop"], "<= 1.1"),
        ("AGI.run local (CPU s)", cpu["agi_local"], "plain loop (CPU s)", cpu["loop"], "<= 1.1"),
    ]
    print(f"minimal_app, {n} items x {spins} spins, 2 workers x 1 thread, {opts.repeat} repetitions")
    print(f"{'measured':<24}{'median s':>9}   {'baseline':<30}{'median s':>9}{'ratio':>7}{'paired':>8}  target")
    for name, values, base_name, base, target_text in rows:
        m, b = statistics.median(values), statistics.median(base)
        print(f"{name:<24}{m:9.3f}   {base_name:<30}{b:9.3f}{m / b:7.2f}{median_ratio(values, base):8.2f}"
              f"  {target_text}")
    warm = statistics.median(wall["agi_dask"])
    print(f"{'cold first run':<24}{cold_s:9.3f}   {'AGI.run dask (warm)':<30}{warm:9.3f}{cold_s / warm:7.2f}"
          f"{'':>8}  (cluster start + ship)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
