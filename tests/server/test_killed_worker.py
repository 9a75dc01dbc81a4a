"""kill -9 of a supervised worker mid-run: restarted, the run ends failed and its open SSE stream ends."""

from __future__ import annotations

import asyncio
import json
import os
import signal

import pytest

from agilab_lab.jobs.loop import worker_pid

from .test_designer_api import call
from .test_worker_processes import supervisor_of


@pytest.fixture
def jp_server_config(home):
    return {
        "ServerApp": {"jpserver_extensions": {"agilab_lab": True}},
        "AgilabLabApp": {"home": str(home), "job_workers": 1, "job_lease_s": 1.5},
    }


async def wait_until(probe, timeout_s=120.0):
    for _ in range(int(timeout_s / 0.2)):
        value = await probe()
        if value:
            return value
        await asyncio.sleep(0.2)
    raise AssertionError("timed out")


async def test_killed_worker_mid_run_ends_the_run_and_its_event_stream(jp_fetch, jp_serverapp):
    supervisor = supervisor_of(jp_serverapp)
    lab = jp_serverapp.web_app.settings["agilab_lab"]["lab"]
    body = {"args": {"items": 400, "seconds_per_item": 0.5}}
    _, accepted = await call(jp_fetch, "POST", "apps", "minimal_app", "runs", body=body)
    run_id = accepted["run_id"]

    async def running():
        return (await call(jp_fetch, "GET", "runs", run_id))[1]["status"] == "running"

    await wait_until(running)
    stream = asyncio.ensure_future(jp_fetch("agilab-lab", "api", "runs", run_id, "events",
                                            params={"follow": "1"}, request_timeout=180))
    job = await asyncio.to_thread(lab.queue.get, accepted["job_id"])
    victim = worker_pid(job.lease_owner)
    assert victim in supervisor.pids, (job.lease_owner, supervisor.pids)
    os.kill(victim, signal.SIGKILL)

    response = await stream  # the stream ends by itself once the reaper ended the run
    assert response.code == 200, response.code
    frames = [json.loads(line[6:]) for line in response.body.decode().splitlines() if line.startswith("data: ")]
    assert frames and frames[-1]["kind"] == "status" and frames[-1]["payload"]["state"] == "failed", frames[-3:]
    _, run = await call(jp_fetch, "GET", "runs", run_id)
    assert run["status"] == "failed" and run["finished_at"] and "worker died" in run["error"], run
    pids = supervisor.pids
    assert victim not in pids and len(pids) == 1 and supervisor.restarts >= 1, (victim, pids, supervisor.restarts)
