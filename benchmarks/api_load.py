"""Read-route latency of the Jupyter server at a fixed request rate, idle and while designs run.

    .venv/bin/python benchmarks/api_load.py [--rate 200] [--seconds 30] [--designs 2] [--workers 2]

Starts a real Jupyter server with the extension on loopback (temporary home, token auth, its
supervised job worker processes), seeds one run and one design, then sends GET requests to the
read routes (health, openapi.json, apps, runs, a run, projects, a decision set, a run's event
backlog) at a fixed rate in an open loop: request *i* is due at ``start + i / rate`` and its
latency counts from that due time, so a stalled server cannot hide its backlog (no coordinated
omission). Two phases, same routes and rate:

- ``idle``: nothing else runs;
- ``designs``: ``--designs`` loops keep designs running the whole phase (requirements ->
  approval gate -> approve -> generate with validation), in the job worker processes.

Prints p50/p99/max latency, errors and the achieved rate per phase, and the designs/idle ratio.
Bounded: loopback only, at most ``rate * seconds`` requests per phase, every process stopped at
the end. Targets (issue 11): p99 < 50 ms and 0 errors at 200 req/s in both phases.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
API = "/agilab-lab/api/"
FORECAST = {
    "cloud": "gcp", "regions": ["europe-west1"], "budget_monthly_usd": 600, "data_classes": ["internal"],
    "batch_volume_gb_per_day": 40, "workloads": ["forecasting", "training", "batch_inference"],
    "retrain_cadence": "daily", "tooling_prefer": ["bigquery"],
}
WAITING = {"queued", "running", "generating"}


class Connection:
    """One keep-alive HTTP/1.1 connection (stdlib only: the client must stay cheap)."""

    def __init__(self, port: int, token: str):
        self.port, self.token = port, token
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        data = json.dumps(body).encode() if body is not None else b""
        head = (f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nAuthorization: token {self.token}\r\n"
                f"Content-Length: {len(data)}\r\nContent-Type: application/json\r\n\r\n")
        self.writer.write(head.encode() + data)
        try:
            return await self._response()
        except (ConnectionError, asyncio.IncompleteReadError):
            self.close()
            raise

    async def _response(self) -> tuple[int, bytes]:
        status_line = await self.reader.readline()
        status = int(status_line.split()[1])
        headers = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            return status, await self.reader.readexactly(int(headers["content-length"]))
        body = b""
        while (size := int((await self.reader.readline()).strip(), 16)) > 0:
            body += await self.reader.readexactly(size)
            await self.reader.readline()
        await self.reader.readline()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def call(port: int, token: str, method: str, path: str, body: dict | None = None) -> dict:
    connection = Connection(port, token)
    try:
        status, data = await connection.request(method, API + path, body)
    finally:
        connection.close()
    if status >= 400:
        raise RuntimeError(f"{method} {path}: HTTP {status} {data[:200]!r}")
    return json.loads(data) if data else {}


# -- the server ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(tmp: Path, workers: int, nice: int) -> tuple[subprocess.Popen, int, str]:
    port, token = free_port(), secrets.token_hex(16)
    config = {
        "ServerApp": {"jpserver_extensions": {"agilab_lab": True}, "ip": "127.0.0.1", "port": port,
                      "open_browser": False, "allow_root": True, "root_dir": str(tmp / "root")},
        "IdentityProvider": {"token": token},
        "AgilabLabApp": {"home": str(tmp / "home"), "job_workers": workers, "job_worker_nice": nice},
    }
    (tmp / "root").mkdir()
    config_file = tmp / "jupyter_server_config.json"
    config_file.write_text(json.dumps(config))
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AGILAB_LAB_PROVIDER": "offline", "JUPYTER_CONFIG_DIR": str(tmp)}
    env.pop("AGILAB_LAB_HOME", None)
    env.pop("AGILAB_LAB_DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "jupyter_server", f"--config={config_file}"], env=env,
                              stdout=subprocess.DEVNULL, stderr=open(tmp / "server.log", "w"),  # noqa: SIM115
                              start_new_session=True)
    return server, port, token


async def wait_healthy(port: int, token: str, timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            await call(port, token, "GET", "health")
            return
        except (OSError, RuntimeError, ValueError, IndexError):
            await asyncio.sleep(0.5)
    raise SystemExit("the Jupyter server did not become healthy (see server.log)")


def stop_server(server: subprocess.Popen) -> None:
    """SIGTERM lets the extension stop its workers; the process group catches any straggler."""
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=60)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(server.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


# -- seeding and the design loops -----------------------------------------------------------


async def settle(port: int, token: str, path: str, done, timeout_s: float = 600.0) -> dict:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        item = await call(port, token, "GET", path)
        if done(item):
            return item
        await asyncio.sleep(0.5)
    raise RuntimeError(f"{path} did not settle")


async def design_once(port: int, token: str, name: str) -> str:
    """Requirements -> approval gate -> approve -> generated; return the final status."""
    project = await call(port, token, "POST", "projects", {"name": name})
    accepted = await call(port, token, "POST", f"projects/{project['id']}/constraints", {"constraints": FORECAST})
    path = f"decision-sets/{accepted['decision_set_id']}"
    ds = await settle(port, token, path, lambda d: d["status"] not in WAITING)
    if ds["status"] != "awaiting_approval":
        return ds["status"]
    await call(port, token, "POST", f"{path}/approve", {"decision": "approve", "version": ds["lock_version"]})
    ds = await settle(port, token, path, lambda d: d["status"] not in WAITING and d["status"] != "awaiting_approval")
    return ds["status"]


async def design_loop(port: int, token: str, index: int, stop: asyncio.Event, outcomes: list[str]) -> None:
    round_ = 0
    while not stop.is_set():
        round_ += 1
        outcomes.append(await design_once(port, token, f"load-{index}-{round_}"))


async def seed(port: int, token: str) -> list[str]:
    """One finished run and one design at the gate; return the read paths to load."""
    run = await call(port, token, "POST", "apps/minimal_app/runs", {"args": {"items": 5}})
    await settle(port, token, f"runs/{run['run_id']}", lambda r: r["status"] in ("succeeded", "failed"))
    project = await call(port, token, "POST", "projects", {"name": "seed"})
    accepted = await call(port, token, "POST", f"projects/{project['id']}/constraints", {"constraints": FORECAST})
    await settle(port, token, f"decision-sets/{accepted['decision_set_id']}", lambda d: d["status"] not in WAITING)
    return ["health", "openapi.json", "apps", "runs?limit=20", f"runs/{run['run_id']}", "projects",
            f"decision-sets/{accepted['decision_set_id']}", f"runs/{run['run_id']}/events?follow=0"]


# -- the load ------------------------------------------------------------------------------


async def load(port: int, token: str, paths: list[str], rate: float, seconds: float) -> dict:
    """Open-loop GETs at ``rate``; latency from each request's due time."""
    pool: asyncio.Queue[Connection] = asyncio.Queue()
    for _ in range(64):
        pool.put_nowait(Connection(port, token))
    latencies: list[float] = []
    by_route: dict[str, list[float]] = {}
    errors: dict[str, int] = {}

    async def one(index: int, due: float) -> None:
        connection = await pool.get()
        path = paths[index % len(paths)]
        try:
            status, _ = await connection.request("GET", API + path)
            if status != 200:
                errors[str(status)] = errors.get(str(status), 0) + 1
        except (OSError, asyncio.IncompleteReadError, ValueError, IndexError) as exc:
            errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
        finally:
            pool.put_nowait(connection)
        latencies.append(time.perf_counter() - due)
        by_route.setdefault(path.split("/")[0].split("?")[0] + ("/…" if "/" in path else ""), []).append(
            time.perf_counter() - due)

    total = int(rate * seconds)
    start = time.perf_counter() + 0.05
    tasks = []
    for index in range(total):
        due = start + index / rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(index, due)))
    await asyncio.gather(*tasks)
    elapsed = time.perf_counter() - start
    while not pool.empty():
        pool.get_nowait().close()
    latencies.sort()
    return {
        "requests": total, "rate": total / elapsed, "errors": errors,
        "over_50ms": sum(latency > 0.050 for latency in latencies),
        "p50_ms": 1000 * statistics.median(latencies),
        "p99_ms": 1000 * latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))],
        "max_ms": 1000 * latencies[-1],
        "routes_p99_ms": {route: round(1000 * sorted(v)[int(0.99 * (len(v) - 1))], 1) for route, v in by_route.items()},
    }


def cpu_seconds(process) -> tuple[float, float]:
    """CPU seconds (user + system) of the server process, and of its job workers with their children."""
    import psutil

    def total(proc) -> float:
        times = proc.cpu_times()
        return times.user + times.system + times.children_user + times.children_system

    server = process.cpu_times()
    workers = 0.0
    for child in process.children():
        try:
            workers += total(child) + sum(total(c) for c in child.children(recursive=True))
        except psutil.NoSuchProcess:
            continue
    return server.user + server.system, workers


async def measured(server, port, token, paths, rate, seconds) -> dict:
    """One load phase plus the CPU the server and the workers used during it."""
    import psutil

    process = psutil.Process(server.pid)
    before, client_before = cpu_seconds(process), time.process_time()
    result = await load(port, token, paths, rate, seconds)
    result["load_average_1m"] = os.getloadavg()[0]  # other processes competing for the cores
    after, client_after = cpu_seconds(process), time.process_time()
    result["server_cpu_ms_per_request"] = 1000 * (after[0] - before[0]) / result["requests"]
    # this load generator shares the machine: its own CPU is CPU the server did not get
    result["client_cpu_ms_per_request"] = 1000 * (client_after - client_before) / result["requests"]
    result["workers_cpu_s"] = max(0.0, after[1] - before[1])
    return result


async def bench(args: argparse.Namespace, tmp: Path) -> dict:
    server, port, token = start_server(tmp, args.workers, args.worker_nice)
    try:
        await wait_healthy(port, token)
        paths = await seed(port, token)
        await load(port, token, paths, args.rate, min(3.0, args.seconds))  # warm-up, not reported
        idle = await measured(server, port, token, paths, args.rate, args.seconds)
        stop, outcomes = asyncio.Event(), []
        loops = [asyncio.create_task(design_loop(port, token, i, stop, outcomes)) for i in range(args.designs)]
        await asyncio.sleep(2.0)  # let the designs get going
        busy = await measured(server, port, token, paths, args.rate, args.seconds)
        busy["designs_finished"] = len(outcomes)
        stop.set()
        await asyncio.gather(*loops)
        busy["designs_finished_total"] = len(outcomes)
        busy["design_outcomes"] = sorted(set(outcomes))
        return {"idle": idle, "designs": busy}
    finally:
        stop_server(server)


def report(results: dict, args: argparse.Namespace) -> None:
    print(f"read routes at {args.rate:g} req/s for {args.seconds:g} s per phase, {args.workers} job worker "
          f"process(es), {args.designs} design loop(s)")
    print(f"{'phase':<10}{'rate':>8}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'>50 ms':>8}{'srv CPU ms/req':>16}"
          f"{'client ms/req':>15}{'workers CPU s':>15}{'load 1m':>9}  errors")
    for phase, r in results.items():
        print(f"{phase:<10}{r['rate']:>8.1f}{r['p50_ms']:>9.1f}{r['p99_ms']:>9.1f}{r['max_ms']:>9.1f}{r['over_50ms']:>8}"
              f"{r['server_cpu_ms_per_request']:>16.2f}{r['client_cpu_ms_per_request']:>15.2f}"
              f"{r['workers_cpu_s']:>15.1f}{r['load_average_1m']:>9.1f}  {sum(r['errors'].values())} {r['errors'] or ''}")
    for phase, r in results.items():
        print(f"{phase} p99 per route (ms): " + ", ".join(f"{k} {v:g}" for k, v in r["routes_p99_ms"].items()))
    busy, idle = results["designs"], results["idle"]
    print(f"designs finished during the phase: {busy['designs_finished']} (outcomes {busy['design_outcomes']})")
    print(f"ratio designs/idle: p50 {busy['p50_ms'] / idle['p50_ms']:.2f}, p99 {busy['p99_ms'] / idle['p99_ms']:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second (1-2000)")
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase (1-600)")
    parser.add_argument("--designs", type=int, default=2, help="design loops in the second phase (0-8)")
    parser.add_argument("--workers", type=int, default=2, help="job worker processes of the server (1-8)")
    parser.add_argument("--worker-nice", type=int, default=19, help="job_worker_nice of the server (0-19)")
    parser.add_argument("--json", action="store_true", help="print the results as JSON as well")
    args = parser.parse_args()
    if not (1 <= args.rate <= 2000 and 1 <= args.seconds <= 600 and 0 <= args.designs <= 8
            and 1 <= args.workers <= 8):
        parser.error("out of bounds: --rate 1-2000, --seconds 1-600, --designs 0-8, --workers 1-8")
    with tempfile.TemporaryDirectory(prefix="agilab-load-") as tmp:
        results = asyncio.run(bench(args, Path(tmp)))
    report(results, args)
    if args.json:
        print(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
