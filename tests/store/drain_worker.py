"""A queue worker process used by the tests: ``python drain_worker.py URL OUT_FILE MODE``.

MODE ``drain``: claim and complete jobs until the queue is empty, appending each id it
completed to OUT_FILE. MODE ``hold``: claim one job with a 5 s lease (time for a loaded machine
to kill it and see the lease still held), print its id, then hang (the test kills it with SIGKILL).
"""

import sys
import time

from agilab_lab.store.db import Store
from agilab_lab.store.queue import JobQueue


def main(url: str, out_path: str, mode: str) -> None:
    queue = JobQueue(Store(url, run_migrations=False))
    worker = f"{mode}-{time.monotonic_ns()}"
    if mode == "hold":
        job = queue.claim(worker, lease_s=5.0)
        print(job.id, flush=True)
        time.sleep(3600)
    idle_since = time.monotonic()
    with open(out_path, "a") as out:
        while time.monotonic() - idle_since < 2.0:
            job = queue.claim(worker, lease_s=30)
            if job is None:
                time.sleep(0.01)
                continue
            idle_since = time.monotonic()
            if queue.complete(job, {"worker": worker}):
                out.write(job.id + "\n")
                out.flush()


if __name__ == "__main__":
    main(*sys.argv[1:4])
