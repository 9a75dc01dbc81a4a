"""Core subcommands: the standalone job worker, the health report and the event-log check."""

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

    verify = subparsers.add_parser(
        "verify", help="check the event log's hash chain and anchored head: OK, or the first bad row")
    verify.add_argument("--json", action="store_true",
                        help='print {"ok", "rows_checked", "first_broken_id", "reason", "head_id", "head_hash"}')
    verify.set_defaults(func=run_verify)


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


def run_verify(args) -> int:
    """Exit 0 when the log is intact, 1 when a row or the head is not what was written."""
    from ..core import Lab

    report = Lab.open().events.verify_chain()
    if args.json:
        print(json.dumps(report.to_dict()))
    elif report.ok:
        print(f"OK: {report.rows_checked} events, head {report.head_id} {report.head_hash}")
    else:
        print(f"BROKEN at event {report.first_broken_id}: {report.reason} "
              f"({report.rows_checked} events verified before it)")
    return 0 if report.ok else 1
