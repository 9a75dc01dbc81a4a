"""What the runtime reports about its clusters (``GET health``, ``GET cluster``), without starting one.

Runs execute in job worker processes, so their Dask clusters live there, not in the Jupyter
server: a worker *publishes* its open clusters to ``<home>/clusters/<host>-<pid>.json`` after each
run (:func:`publish_clusters`) and withdraws them when it exits; the server lists its own and the
published ones (:func:`published_clusters`), skipping files of dead processes on this host.
"""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path
from typing import Any

from .backends.clusters import default_cluster_pool

CLUSTERS_DIR = "clusters"


def _own_file(home: Path) -> Path:
    return Path(home) / CLUSTERS_DIR / f"{socket.gethostname()}-{os.getpid()}.json"


def publish_clusters(home: Path) -> None:
    """Record this process's open clusters for the server (no file when there are none)."""
    described = default_cluster_pool().describe()
    path = _own_file(home)
    if not described:
        path.unlink(missing_ok=True)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(described, default=str))
    tmp.replace(path)


def withdraw_clusters(home: Path) -> None:
    """Remove this process's published clusters (it is exiting and closes them)."""
    _own_file(home).unlink(missing_ok=True)


def published_clusters(home: Path) -> list[dict[str, Any]]:
    """Clusters published by the live worker processes of ``home`` (other than this process)."""
    found: list[dict[str, Any]] = []
    for path in sorted((Path(home) / CLUSTERS_DIR).glob("*.json")):
        host, _, pid = path.stem.rpartition("-")
        if path == _own_file(home) or not pid.isdigit():
            continue
        if host == socket.gethostname() and not _alive(int(pid)):
            path.unlink(missing_ok=True)
            continue
        try:
            entries = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        found += [entry for entry in entries if isinstance(entry, dict)]
    return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def describe_cluster(settings) -> dict[str, Any]:
    clusters = default_cluster_pool().describe() + published_clusters(settings.home_path)
    target = "ssh" if settings.ssh_hosts else ("scheduler" if settings.scheduler_address else "local")
    return {"target": target, "address": settings.scheduler_address or None, "running": bool(clusters),
            "clusters": clusters}
