"""Core subcommands: the standalone job worker, the health report and the event-log check."""

from __future__ import annotations

import json
import logging
import sys


def add_parsers(subparsers) -> None:
    from ..jobs.worker import add_arguments

    worker = subparsers.add_parser("worker", help="run one job worker in the foreground (e.g. on another host)")
    add_arguments(worker)
    worker.set_defaults(func=run_worker)

    health = subparsers.add_parser("health", help="database, migration and queue state as JSON")
    health.set_defaults(func=print_health)

    verify = subparsers.add_parser(
        "verify", help="check the event log's hash chain and anchored head: OK, or the first bad row")
    verify.add_argument("--json", action="store_true",
                        help='print {"ok", "rows_checked", "first_broken_id", "reason", "head_id", "head_hash"}')
    verify.set_defaults(func=run_verify)


def run_worker(args) -> int:
    """Claim and run jobs of this home's execution domain until SIGTERM/SIGINT."""
    from ..jobs.worker import serve

    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    return serve(args)


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
