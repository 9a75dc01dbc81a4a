"""The minimal worker: burn ``seconds_per_item`` (wall clock) and/or ``spins_per_item`` (a fixed
amount of CPU work, the same under any load) per item; return a checksum of the index."""

from __future__ import annotations

import time

from agilab_node import BaseWorker, Item


class MinimalWorker(BaseWorker):
    def work(self, item: Item) -> dict:
        if self.args.get("fail_on") == item.id:
            raise RuntimeError(f"item {item.id} failed on purpose (fail_on)")
        deadline = time.perf_counter() + self.args["seconds_per_item"]
        while time.perf_counter() < deadline:  # busy: sleeping would not load the worker
            pass
        spin(self.args["spins_per_item"])
        index = item.payload["index"]
        if self.args.get("log_each_item"):
            self.log.info("item %s done", item.id)
        return {"value": index * index % 1009}


def spin(iterations: int) -> int:
    """A fixed amount of pure-Python CPU work."""
    acc = 0
    for _ in range(iterations):
        acc = (acc * 31 + 7) % 1_000_003
    return acc
