"""Against a separately started ``dask scheduler`` and two ``dask worker`` processes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from agilab_lab.runtime import AGI
from agilab_lab.runtime.backends.clusters import ClusterPool

DASK = Path(sys.executable).with_name("dask")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def external_cluster(tmp_path):
    """``dask scheduler`` + 2 ``dask worker`` started from a directory without agilab on sys.path.

    The scheduler picks its own port and publishes it in a scheduler file (no free-port race
    with other processes on the machine).
    """
    scheduler_file = tmp_path / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": ""}
    logs = tmp_path / "dask-logs"
    logs.mkdir()
    commands = [[str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard",
                 "--scheduler-file", str(scheduler_file)]]
    commands += [[str(DASK), "worker", "--scheduler-file", str(scheduler_file), "--nthreads", "1",
                  "--name", f"w{i}", "--no-dashboard", "--local-directory", str(tmp_path / f"w{i}")]
                 for i in range(2)]
    processes = []
    try:
        for index, command in enumerate(commands):
            log = (logs / f"{index}.log").open("w")
            processes.append(subprocess.Popen(command, cwd=tmp_path, env=env, stdout=log, stderr=log))
            if index == 0:
                _wait_for_file(scheduler_file)
        yield json.loads(scheduler_file.read_text())["address"]
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=3)
            except subprocess.TimeoutExpired:  # a worker retrying its lost scheduler: no need to wait
                process.kill()
                process.wait()


def _wait_for_file(path: Path, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not (path.is_file() and path.stat().st_size):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{path} did not appear")
        time.sleep(0.1)


def test_runs_on_an_existing_scheduler_and_ships_the_package_once(lab, external_cluster):
    pool = ClusterPool()
    try:
        agi = AGI(lab, clusters=pool)
        client = pool.client(agi.runner.backend(_request(external_cluster)).target)
        client.wait_for_workers(2, timeout=30)
        first = agi.run("flight_telemetry", mode="dask", scheduler=external_cluster, flights=4, points_per_flight=100)
        assert first.status == "succeeded", first.error
        workers = sorted(client.scheduler_info()["workers"])
        assert sorted(first.extra["artifact"]["shipped_to"]) == workers, first.extra
        assert {p["worker"] for p in first.plan} == {"127.0.0.1/w0", "127.0.0.1/w1"}, first.plan

        second = agi.run("flight_telemetry", mode="dask", scheduler=external_cluster, flights=4, points_per_flight=100)
        assert second.status == "succeeded", second.error
        assert second.extra["artifact"]["shipped_to"] == [], second.extra  # same hash: nothing shipped
        assert second.result == first.result

        # A fresh client (another process, say) probes the workers instead of trusting memory.
        pool.forget_worker_state(client.scheduler.address)
        third = agi.run("flight_telemetry", mode="dask", scheduler=external_cluster, flights=4, points_per_flight=100)
        assert third.status == "succeeded", third.error
        assert third.extra["artifact"]["shipped_to"] == [], third.extra
    finally:
        pool.close()


def test_an_unreachable_scheduler_is_a_clear_error(lab):
    from agilab_lab.runtime.backends import clusters
    from agilab_lab.runtime.errors import ClusterUnavailable

    pool = ClusterPool()
    original = clusters.CONNECT_TIMEOUT_S
    clusters.CONNECT_TIMEOUT_S = 2
    try:
        with pytest.raises(ClusterUnavailable, match="cannot reach"):
            AGI(lab, clusters=pool).run("minimal_app", mode="dask", scheduler=f"tcp://127.0.0.1:{_free_port()}")
    finally:
        clusters.CONNECT_TIMEOUT_S = original
        pool.close()


def _request(address):
    from agilab_lab.runtime import RunRequest

    return RunRequest(app="flight_telemetry", mode="dask", scheduler=address)
