"""Core subcommands: the standalone job worker and the health report."""

from __future__ import annotations

import json
import logging
import signal
import sys


def add_parsers(subparsers) -> None:
    worker = subparsers.add_parser("worker", help="run the job worker standalone")
    worker.add_argument("--once", action="store_true", help="run the queued jobs, then exit")
    worker.add_argument("--poll", type=float, default=0.5, help="seconds between polls of an empty queue")
    worker.add_argument("--kind", action="append", help="only run jobs of this kind (repeatable)")
    worker.set_defaults(func=run_worker)

    health = subparsers.add_parser("health", help="database, migration and queue state as JSON")
    health.set_defaults(func=print_health)


def run_worker(args) -> int:
    from ..core import Lab
    from ..jobs import JobWorker

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    lab = Lab.open()
    worker = JobWorker(lab, poll_s=args.poll, kinds=args.kind)
    print(f"agilab-lab worker {worker.worker_id}: {lab.store.kind} at {lab.home}", file=sys.stderr)
    if args.once:
        while worker.run_once():
            pass
        return 0
    signal.signal(signal.SIGTERM, lambda *_: worker.stop())
    worker.run_forever()
    return 0


def print_health(_args) -> int:
    from .._version import __version__
    from ..core import Lab

    lab = Lab.open()
    report = {"version": __version__, "home": str(lab.home),
              "database": {"kind": lab.store.kind, "revision": lab.store.revision}, "queue": lab.queue.depth()}
    print(json.dumps(report, indent=2))
    return 0
