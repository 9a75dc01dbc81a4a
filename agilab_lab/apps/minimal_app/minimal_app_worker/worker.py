"""The minimal worker: busy-wait ``seconds_per_item`` per item, return a checksum of the index."""

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
        index = item.payload["index"]
        return {"value": index * index % 1009}
