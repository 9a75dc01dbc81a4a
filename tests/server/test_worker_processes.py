"""Runs and designs queued over REST execute in the supervised worker processes, not in the server."""

from __future__ import annotations

import asyncio
import json
import os

from agilab_lab.jobs.loop import worker_pid
from agilab_lab.runtime.cluster import published_clusters
from tests.agents.designer_samples import FORECAST

from .test_designer_api import call, settled


def supervisor_of(jp_serverapp):
    (app,) = jp_serverapp.extension_manager.extension_apps["agilab_lab"]
    return app._job_supervisor


async def finished_run(jp_fetch, run_id, timeout_s=120.0):
    for _ in range(int(timeout_s / 0.2)):
        _, run = await call(jp_fetch, "GET", "runs", run_id)
        if run["status"] in ("succeeded", "failed"):
            return run
        await asyncio.sleep(0.2)
    raise AssertionError(f"run {run_id} still {run['status']}")


async def finished_job(lab, job_id, timeout_s=60.0):
    """The job once the worker has marked it done: it does so just after the run's or design's
    own final write, which is what the REST answers above already show."""
    for _ in range(int(timeout_s / 0.1)):
        job = await asyncio.to_thread(lab.queue.get, job_id)
        if job.status not in ("queued", "running"):
            return job
        await asyncio.sleep(0.1)
    raise AssertionError(f"job {job_id} still {job.status}")


async def test_jobs_run_in_worker_processes_never_in_the_server_process(jp_fetch, jp_serverapp):
    supervisor = supervisor_of(jp_serverapp)
    lab = jp_serverapp.web_app.settings["agilab_lab"]["lab"]

    code, accepted = await call(jp_fetch, "POST", "apps", "minimal_app", "runs", body={"args": {"items": 3}})
    assert code == 202
    run = await finished_run(jp_fetch, accepted["run_id"])
    assert run["status"] == "succeeded", run["error"]

    _, project = await call(jp_fetch, "POST", "projects", body={"name": "where"})
    _, design = await call(jp_fetch, "POST", "projects", project["id"], "constraints",
                           body={"constraints": json.loads(FORECAST.model_dump_json())})
    assert (await settled(jp_fetch, design["decision_set_id"]))["status"] == "awaiting_approval"

    for job_id in (accepted["job_id"], design["job_id"]):
        job = await finished_job(lab, job_id)
        pid = worker_pid(job.lease_owner)
        assert job.status == "succeeded" and pid is not None
        assert pid != os.getpid(), "the job ran inside the Jupyter server process"
        assert pid in supervisor.pids


async def test_the_cluster_of_a_dask_run_in_a_worker_process_is_listed_by_the_server(jp_fetch, jp_serverapp):
    _, accepted = await call(jp_fetch, "POST", "apps", "minimal_app", "runs",
                             body={"mode": "dask", "workers": 1, "args": {"items": 4}})
    run = await finished_run(jp_fetch, accepted["run_id"], timeout_s=300)
    assert run["status"] == "succeeded", run["error"]
    lab = jp_serverapp.web_app.settings["agilab_lab"]["lab"]
    _, body = await call(jp_fetch, "GET", "cluster")
    [cluster] = [c for c in body["clusters"] if c in await asyncio.to_thread(published_clusters, lab.home)]
    assert cluster["dashboard"] and cluster["scheduler"].startswith("tcp://")
    assert [w["name"] for w in cluster["workers"]] == ["0"]
    await asyncio.to_thread(supervisor_of(jp_serverapp).stop)  # the worker exits, closing its cluster
    _, body = await call(jp_fetch, "GET", "cluster")
    assert cluster["scheduler"] not in [c["scheduler"] for c in body["clusters"]]
