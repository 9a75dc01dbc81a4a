"""An event-writing process used by the tests: ``python event_writer.py URL NAME N BATCH``.

Writes N events on topic ``writer:NAME`` through an ``EventBuffer`` of BATCH events, with a
single ``append`` after every 25th event, so that batches and single appends interleave with
the other writers' on one chain.
"""

import sys

from agilab_lab.store.db import Store
from agilab_lab.store.event_buffer import EventBuffer
from agilab_lab.store.events import EventLog


def main(url: str, name: str, n: str, batch: str) -> None:
    log = EventLog(Store(url, run_migrations=False))
    with EventBuffer(log, name, max_events=int(batch), max_delay_s=0.05) as buffer:
        for i in range(int(n)):
            buffer.add(f"writer:{name}", "log", {"i": i, "line": f"{name} line {i}"})
            if i % 25 == 0:
                log.append(name, f"writer:{name}", "single", {"i": i})


if __name__ == "__main__":
    main(*sys.argv[1:5])
