"""What the runtime reports about its clusters (``GET health``, ``GET cluster``), without starting one."""

from __future__ import annotations

from typing import Any

from .backends.clusters import default_cluster_pool


def describe_cluster(settings) -> dict[str, Any]:
    clusters = default_cluster_pool().describe()
    target = "ssh" if settings.ssh_hosts else ("scheduler" if settings.scheduler_address else "local")
    return {"target": target, "address": settings.scheduler_address or None, "running": bool(clusters),
            "clusters": clusters}
