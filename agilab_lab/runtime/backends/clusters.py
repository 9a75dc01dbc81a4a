"""Dask clients kept open for the life of the process, one per cluster target.

Starting a ``LocalCluster`` costs ~1.5 s and an ``SSHCluster`` more, so a target's client is
reused by every later run in the process. The pool also remembers, per scheduler, which worker
artifacts each worker already has, so an artifact is shipped only to workers that lack it.
"""

from __future__ import annotations

import atexit
import logging
import sys
import threading
from typing import Any

from pydantic import BaseModel, ConfigDict

from ..errors import ClusterUnavailable

log = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 20
WORKERS_TIMEOUT_S = 60


class DaskTarget(BaseModel):
    """Which cluster a dask-mode run uses: an address, SSH hosts, or an on-demand LocalCluster."""

    model_config = ConfigDict(frozen=True)

    scheduler: str | None = None
    ssh_hosts: tuple[tuple[str, int], ...] = ()
    n_workers: int = 2
    threads_per_worker: int = 1

    @property
    def expected_workers(self) -> int:
        return sum(n for _, n in self.ssh_hosts) if self.ssh_hosts else self.n_workers

    @property
    def key(self) -> str:
        if self.scheduler:
            return f"address:{self.scheduler}"
        if self.ssh_hosts:
            return "ssh:" + ",".join(f"{host}={n}" for host, n in self.ssh_hosts)
        return f"local:{self.n_workers}x{self.threads_per_worker}"


class ClusterPool:
    """Open clients by target; ``installed`` maps scheduler -> worker -> artifact filenames."""

    def __init__(self, ssh_connect_options: dict[str, Any] | None = None):
        self.ssh_connect_options = ssh_connect_options or {}
        self._clients: dict[str, Any] = {}
        self._clusters: dict[str, Any] = {}
        self._lock = threading.Lock()
        self.installed: dict[str, dict[str, set[str]]] = {}

    def client(self, target: DaskTarget):
        with self._lock:
            client = self._clients.get(target.key)
            if client is not None and client.status == "running":
                return client
            client = self._clients[target.key] = self._connect(target)
            return client

    def _connect(self, target: DaskTarget):
        from distributed import Client

        where = target.scheduler or target.key
        try:
            if target.scheduler:
                return Client(target.scheduler, timeout=CONNECT_TIMEOUT_S, set_as_default=False)
            cluster = self._start_ssh(target) if target.ssh_hosts else self._start_local(target)
            self._clusters[target.key] = cluster
            client = Client(cluster, set_as_default=False)
            # SSH workers register some time after SSHCluster returns: plan only once all are in.
            client.wait_for_workers(target.expected_workers, timeout=WORKERS_TIMEOUT_S)
            return client
        except (OSError, TimeoutError) as exc:
            raise ClusterUnavailable(f"cannot reach the Dask cluster {where}: {exc}") from exc
        except Exception as exc:  # asyncssh refusing a key, a remote python that fails to start...
            if not target.ssh_hosts:
                raise
            raise ClusterUnavailable(f"cannot start Dask over SSH on {where}: {exc}") from exc

    @staticmethod
    def _start_local(target: DaskTarget):
        from distributed import LocalCluster

        return LocalCluster(
            n_workers=target.n_workers, threads_per_worker=target.threads_per_worker,
            processes=True, dashboard_address=":0", silence_logs=logging.WARNING,
        )

    def _start_ssh(self, target: DaskTarget):
        from distributed import SSHCluster

        # One SSH worker entry per requested worker: SSHCluster's worker_options are shared by
        # all hosts, so repeating a host is how hosts get different worker counts.
        hosts = [host for host, n in target.ssh_hosts for _ in range(n)]
        all_hosts = [_hostname(target.ssh_hosts[0][0]), *(_hostname(h) for h in hosts)]
        options = [self._connect_options(h) for h in [target.ssh_hosts[0][0], *hosts]]
        return SSHCluster(
            all_hosts, connect_options=options,
            worker_options={"nthreads": target.threads_per_worker},
            scheduler_options={"port": 0, "dashboard_address": ":0"},
            remote_python=sys.executable,
        )

    def _connect_options(self, host: str) -> dict[str, Any]:
        options = dict(self.ssh_connect_options)
        if ":" in host:
            options["port"] = int(host.rsplit(":", 1)[1])
        return options

    def forget_worker_state(self, scheduler: str) -> None:
        self.installed.pop(scheduler, None)

    def describe(self) -> list[dict[str, Any]]:
        """The open clusters, their dashboards and their workers (for ``GET cluster``)."""
        described = []
        with self._lock:
            items = list(self._clients.items())
        for key, client in items:
            if client.status != "running":
                continue
            info = client.scheduler_info()
            described.append({
                "target": key, "scheduler": info.get("address"),
                "dashboard": client.dashboard_link,
                # The port alone lets a browser reach the dashboard through jupyter-server-proxy.
                "dashboard_port": info.get("services", {}).get("dashboard"),
                "workers": [
                    {"address": address, "name": str(w.get("name")), "nthreads": w.get("nthreads")}
                    for address, w in sorted(info.get("workers", {}).items())
                ],
            })
        return described

    def close(self) -> None:
        with self._lock:
            for client in self._clients.values():
                _quietly(client.close)
            for cluster in self._clusters.values():
                _quietly(cluster.close)
            self._clients.clear()
            self._clusters.clear()
            self.installed.clear()


def _hostname(host: str) -> str:
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _quietly(close) -> None:
    try:
        close()
    except Exception:  # closing at exit: a cluster that is already gone is fine
        log.debug("error while closing a Dask client or cluster", exc_info=True)


_default_pool: ClusterPool | None = None
_default_lock = threading.Lock()


def default_cluster_pool() -> ClusterPool:
    """The process's pool (clusters are expensive to start, so the process shares them)."""
    global _default_pool
    with _default_lock:
        if _default_pool is None:
            _default_pool = ClusterPool()
            atexit.register(_default_pool.close)
        return _default_pool
