"""``GET cluster`` tells the browser where a running cluster's dashboard is."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from agilab_lab.runtime import agi as agi_module
from agilab_lab.runtime.backends.clusters import ClusterPool, DaskTarget


@pytest.fixture
def started_pool(monkeypatch):
    """A pool with a running 1-worker LocalCluster, used by the server in place of the process pool."""
    pool = ClusterPool()
    client = pool.client(DaskTarget(n_workers=1))
    monkeypatch.setattr(agi_module, "default_cluster_pool", lambda: pool)
    yield pool, client
    pool.close()


async def test_cluster_route_reports_the_dashboard_of_a_started_local_cluster(jp_fetch, started_pool):
    _, client = started_pool
    response = await jp_fetch("agilab-lab", "api", "cluster")
    body = json.loads(response.body)

    [cluster] = body["clusters"]
    assert cluster["scheduler"] == client.scheduler.address
    assert cluster["dashboard"] == client.dashboard_link
    dashboard = urllib.parse.urlsplit(cluster["dashboard"])
    assert dashboard.scheme == "http" and dashboard.path.endswith("/status")
    # The port is the scheduler's bokeh service, the one the link points at.
    assert cluster["dashboard_port"] == client.scheduler_info()["services"]["dashboard"]
    assert cluster["dashboard_port"] == dashboard.port
    assert [w["name"] for w in cluster["workers"]] == ["0"]


async def test_cluster_route_lists_no_cluster_before_a_dask_run(jp_fetch, monkeypatch):
    monkeypatch.setattr(agi_module, "default_cluster_pool", ClusterPool)
    body = json.loads((await jp_fetch("agilab-lab", "api", "cluster")).body)
    assert body["clusters"] == []
