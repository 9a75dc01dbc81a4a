"""Runtime overhead of agilab-lab, measured against baselines in the same run.

Medians [min-max] over alternated repetitions (``--repeat``, at least 5), and the median of
per-repetition ("paired") ratios:
  1. local mode vs a hand loop over the same worker functions (the worker class built by hand,
     its ``work``/``works`` called directly, the manager's ``aggregate`` on the results), at x1
     and x10, for a log-heavy app (minimal_app, one log line per item) and for flight_telemetry
     on AGILab-layout CSVs (target <= 1.1);
  2. pool mode, warm (its processes kept between runs), vs local mode (target <= 1.2);
  3. unless ``--no-dask``: AGI.run on a warm 2-worker LocalCluster vs one Client.submit per
     worker, and a raw Client.map with one task per item (what coarse tasks save).

    .venv/bin/python benchmarks/runtime_overhead.py [--items 500] [--spins 20000] [--repeat 5]
        [--agilab-format DIR] [--no-dask]
"""

from __future__ import annotations

import argparse
import importlib
import io
import logging
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]

from bench_util import HEADER, load_average, ratio_row, timed_interleaved  # noqa: E402


def spin_item(index: int, spins: int) -> int:
    """minimal_app's per-item work (same loop as its worker), for the Dask baselines."""
    acc = 0
    for _ in range(spins):
        acc = (acc * 31 + 7) % 1_000_003
    return index * index % 1009


def spin_items(indices: list[int], spins: int) -> int:
    return sum(spin_item(i, spins) for i in indices)


def hand_loop(agi, app: str, args: dict):
    """A function running ``app``'s worker and aggregate by hand, without the runtime.

    The worker package is imported from the artifact the first ``agi.run`` put on sys.path:
    the same code the runtime runs."""
    spec = agi.app(app)
    manager = spec.manager_class()(agi.settings(app).validate(args))
    items = manager.build_distribution(["hand"])
    module_name, _, class_name = manager.worker_class.partition(":")
    worker_cls = getattr(importlib.import_module(f"{spec.worker_package}.{module_name}"), class_name)
    from agilab_node import Item

    from agilab_lab.runtime.contract import ItemResult

    plain_items = [Item.from_dict(i.model_dump(mode="json")) for i in items]
    logger = logging.getLogger("hand-loop")
    logger.propagate = False
    logger.handlers = [logging.StreamHandler(io.StringIO())]  # the lines are formatted and kept
    logger.setLevel(logging.INFO)

    def run():
        with tempfile.TemporaryDirectory() as out:
            worker = worker_cls(manager.args.model_dump(mode="json"), "hand", Path(out), logger)
            results = [ItemResult(id=item.id, worker="hand", result=result)
                       for item, result in zip(plain_items, worker.works(plain_items), strict=True)]
            return manager.aggregate(sorted(results, key=lambda r: r.id), Path(out))

    return run


def local_vs_loop(agi, label: str, app: str, args: dict, repeat: int) -> None:
    first = agi.run(app, mode="local", **args)
    assert first.status == "succeeded", first.error
    loop = hand_loop(agi, app, args)
    assert loop() == first.result, "the hand loop must compute what the run computes"

    def local():
        assert agi.run(app, mode="local", **args).status == "succeeded"

    samples = timed_interleaved({"agi_local": local, "hand_loop": loop}, repeat)
    wall = {name: [w for w, _ in values] for name, values in samples.items()}
    cpu = {name: [c for _, c in values] for name, values in samples.items()}
    print(ratio_row(f"{label} local (wall)", wall["agi_local"], "hand loop", wall["hand_loop"], "<= 1.1"))
    print(ratio_row(f"{label} local (CPU)", cpu["agi_local"], "hand loop", cpu["hand_loop"], "<= 1.1"))


def pool_vs_local(agi, label: str, app: str, args: dict, repeat: int) -> None:
    for mode in ("local", "pool"):  # the pool's first run starts its processes: not measured
        assert agi.run(app, mode=mode, workers=1, **args).status == "succeeded"

    def run(mode):
        return lambda: agi.run(app, mode=mode, workers=1, **args)

    samples = timed_interleaved({"pool_warm": run("pool"), "local": run("local")}, repeat)
    wall = {name: [w for w, _ in values] for name, values in samples.items()}
    print(ratio_row(f"{label} pool x1 warm (wall)", wall["pool_warm"], "local x1", wall["local"], "<= 1.2"))


def dask_cases(agi, pool, items: int, spins: int, repeat: int) -> None:
    from agilab_lab.runtime import RunRequest

    args = {"items": items, "spins_per_item": spins}
    checksum = sum(spin_item(i, 0) for i in range(items))
    assert agi.run("minimal_app", mode="dask", workers=2, **args).result["checksum"] == checksum
    client = pool.client(agi.runner.backend(RunRequest(app="minimal_app", mode="dask", workers=2)).target)
    workers = sorted(client.scheduler_info()["workers"])

    def agi_dask():
        assert agi.run("minimal_app", mode="dask", workers=2, **args).result["checksum"] == checksum

    def by_hand():
        shares = [list(range(w, items, len(workers))) for w in range(len(workers))]
        futures = [client.submit(spin_items, share, spins, workers=[address], pure=False)
                   for share, address in zip(shares, workers, strict=True)]
        assert sum(f.result() for f in futures) == checksum

    def per_item_map():
        assert sum(client.gather(client.map(spin_item, range(items), [spins] * items, pure=False))) == checksum

    samples = timed_interleaved({"agi_dask": agi_dask, "by_hand": by_hand, "map": per_item_map}, repeat)
    wall = {name: [w for w, _ in values] for name, values in samples.items()}
    print(ratio_row("AGI.run dask (warm)", wall["agi_dask"], "Client.submit/worker", wall["by_hand"], "<= 1.2"))
    print(ratio_row("Client.map per item", wall["map"], "AGI.run dask (warm)", wall["agi_dask"], "(coarse)"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=500, help="minimal_app items at x1 (x10: ten times more)")
    parser.add_argument("--spins", type=int, default=20_000, help="loop iterations per item (~1 ms)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--agilab-format", type=Path, default=None, metavar="DIR",
                        help="where the AGILab-layout CSVs are (generated when absent; default: a temp dir)")
    parser.add_argument("--no-dask", action="store_true", help="skip the Dask cases (they start a LocalCluster)")
    opts = parser.parse_args()
    if opts.repeat < 5:
        parser.error("--repeat must be at least 5")

    from flight_vs_floor import dataset
    from traitlets.config import Config

    from agilab_lab.core import Lab
    from agilab_lab.runtime import AGI
    from agilab_lab.runtime.backends.clusters import ClusterPool
    from agilab_lab.settings import load_settings

    lab = Lab.open(load_settings(Config(), home=tempfile.mkdtemp(prefix="agilab-bench-")))
    pool = ClusterPool()
    agi = AGI(lab, clusters=pool)
    root = opts.agilab_format or Path(tempfile.mkdtemp(prefix="agilab-csv-"))
    print(f"== runtime overhead, {opts.repeat} alternated runs, load average {load_average()}")
    print(HEADER)
    for scale in (1, 10):
        logged = {"items": opts.items * scale, "spins_per_item": opts.spins, "log_each_item": True}
        local_vs_loop(agi, f"x{scale} minimal_app log/item", "minimal_app", logged, opts.repeat)
        flights = {"data_dir": str(dataset(root, scale))}
        local_vs_loop(agi, f"x{scale} flight_telemetry CSV", "flight_telemetry", flights, opts.repeat)
    pool_vs_local(agi, "x1 minimal_app log/item", "minimal_app",
                  {"items": opts.items, "spins_per_item": opts.spins, "log_each_item": True}, opts.repeat)
    pool_vs_local(agi, "x1 flight_telemetry CSV", "flight_telemetry", {"data_dir": str(dataset(root, 1))},
                  opts.repeat)
    if not opts.no_dask:
        dask_cases(agi, pool, opts.items * 2, opts.spins * 2, opts.repeat)
    pool.close()
    print(f"load average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
