"""One job worker process: ``python -m agilab_lab.jobs.worker`` (and ``agilab-lab worker``).

A worker claims jobs of its own execution domain from the database queue, runs them one at a
time in this process and heart-beats their lease. It is blocking, synchronous code: the Jupyter
server never imports it on a request path; it only spawns it (:mod:`.supervisor`).

Settings: a worker spawned by the server receives the server's settings as JSON in
``AGILAB_LAB_WORKER_SETTINGS`` (so both agree on home, database and leases without re-reading
config files); a standalone worker reads Jupyter config files and the environment like the CLI.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import sys
import threading
from collections.abc import Mapping

from ..settings import AgilabLabSettings

ENV_SETTINGS = "AGILAB_LAB_WORKER_SETTINGS"
log = logging.getLogger(__name__)


def settings_env(settings: AgilabLabSettings) -> dict[str, str]:
    """Environment entries that hand ``settings`` to a child worker process."""
    names = AgilabLabSettings.class_trait_names(config=True)
    return {ENV_SETTINGS: json.dumps({name: getattr(settings, name) for name in names})}


def settings_from_env(environ: Mapping[str, str] = os.environ) -> AgilabLabSettings | None:
    """The settings a supervisor handed over, or None for a standalone worker."""
    raw = environ.get(ENV_SETTINGS)
    if not raw:
        return None
    settings = AgilabLabSettings()
    for name, value in json.loads(raw).items():
        if settings.has_trait(name):
            setattr(settings, name, value)
    return settings


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The worker's options, shared by ``python -m agilab_lab.jobs.worker`` and ``agilab-lab worker``."""
    parser.add_argument("--once", action="store_true", help="run the queued jobs, then exit")
    parser.add_argument("--poll", type=float, default=0.5, help="seconds between polls of an empty queue")
    parser.add_argument("--kind", action="append", help="only run jobs of this kind (repeatable)")
    parser.add_argument("--index", type=int, default=0, help="this worker's number (part of its id)")
    parser.add_argument("--nice", type=int, default=0, help="niceness to add to this process (0-19)")
    parser.add_argument("--parent-pid", type=int, default=0,
                        help="exit once this process (the supervising server) is gone")


def serve(args: argparse.Namespace, settings: AgilabLabSettings | None = None) -> int:
    """Run one worker in the foreground until SIGTERM/SIGINT (or, with ``--once``, an empty queue)."""
    from ..core import Lab
    from .loop import JobWorker, default_worker_id

    if args.nice > 0:
        os.nice(min(19, args.nice))
    lab = Lab.open(settings)
    worker = JobWorker(lab, worker_id=default_worker_id(args.index), poll_s=args.poll, kinds=args.kind)
    print(f"agilab-lab worker {worker.worker_id}: domain {lab.queue.domain}, {lab.store.kind} at {lab.home}",
          file=sys.stderr, flush=True)
    try:
        if args.once:
            while worker.run_once():
                pass
            return 0
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: worker.stop())
        if args.parent_pid:
            _watch_parent(args.parent_pid, worker.stop)
        worker.run_forever()
        return 0
    finally:
        from ..runtime.cluster import withdraw_clusters

        withdraw_clusters(lab.home)  # our clusters close with this process


def _watch_parent(parent_pid: int, stop) -> None:
    """Stop (after the current job) when the supervising server has died (we were re-parented)."""

    def watch() -> None:
        while os.getppid() == parent_pid:
            threading.Event().wait(1.0)
        log.warning("supervising process %d is gone: stopping", parent_pid)
        stop()

    threading.Thread(target=watch, name="agilab-parent-watch", daemon=True).start()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m agilab_lab.jobs.worker", description=__doc__.splitlines()[0])
    add_arguments(parser)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(levelname)s %(message)s")
    return serve(args, settings_from_env())


if __name__ == "__main__":
    sys.exit(main())
