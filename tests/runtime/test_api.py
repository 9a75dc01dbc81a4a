"""The runtime's REST routes: apps, settings, queued runs with SSE events, artifacts, cluster."""

from __future__ import annotations

import asyncio
import inspect
import json

import pytest
from jupyter_server.auth.identity import IdentityProvider, User
from tornado.httpclient import HTTPClientError


class OneUser(IdentityProvider):
    """Token requests get a fresh random anonymous user each time; these tests need one owner."""

    async def get_user(self, handler):
        user = super().get_user(handler)
        if inspect.isawaitable(user):
            user = await user
        return None if user is None else User(username="alice")


@pytest.fixture
def jp_server_config(jp_server_config):
    return {**jp_server_config, "ServerApp": {**jp_server_config["ServerApp"], "identity_provider_class": OneUser}}


async def _json(jp_fetch, *path, method="GET", body=None, **kwargs):
    if body is not None:
        kwargs["body"] = json.dumps(body)
    response = await jp_fetch("agilab-lab", "api", *path, method=method, **kwargs)
    return response.code, json.loads(response.body)


async def _error(jp_fetch, *path, **kwargs):
    with pytest.raises(HTTPClientError) as err:
        await _json(jp_fetch, *path, **kwargs)
    return err.value.code, json.loads(err.value.response.body)["error"]


async def test_apps_and_their_settings(jp_fetch):
    code, body = await _json(jp_fetch, "apps")
    assert code == 200 and {"flight_telemetry", "minimal_app"} <= {a["name"] for a in body["apps"]}
    code, settings = await _json(jp_fetch, "apps", "minimal_app", "settings")
    assert settings["args"]["items"] == 20 and "# How many work items" in settings["text"]
    code, settings = await _json(jp_fetch, "apps", "minimal_app", "settings", method="PUT", body={"args": {"items": 5}})
    assert settings["args"]["items"] == 5 and "# How many work items" in settings["text"]

    code, error = await _error(jp_fetch, "apps", "minimal_app", "settings", method="PUT", body={"args": {"items": -3}})
    assert code == 400 and error["code"] == "bad_args" and "items" in error["message"]
    code, error = await _error(jp_fetch, "apps", "nope")
    assert code == 404 and error["code"] == "app_not_found"


async def test_a_queued_run_executes_streams_events_and_serves_artifacts(jp_fetch):
    code, accepted = await _json(jp_fetch, "apps", "flight_telemetry", "runs", method="POST",
                                 body={"mode": "local", "args": {"flights": 3, "points_per_flight": 40}})
    assert code == 202 and set(accepted) == {"run_id", "job_id"}
    run_id = accepted["run_id"]
    for _ in range(200):
        _, run = await _json(jp_fetch, "runs", run_id)
        if run["status"] in {"succeeded", "failed"}:
            break
        await asyncio.sleep(0.1)
    assert run["status"] == "succeeded", run["error"]
    assert run["result"]["flights"] == 3

    events = await jp_fetch("agilab-lab", "api", "runs", run_id, "events", params={"follow": "0"})
    messages = [json.loads(line[6:]) for line in events.body.decode().splitlines() if line.startswith("data: ")]
    states = [m["payload"]["state"] for m in messages if m["kind"] == "status"]
    assert states[0] == "queued" and states[-1] == "succeeded" and "running" in states
    logs = [line for m in messages if m["kind"] == "log" for line in m["payload"]["lines"]]
    assert any("FL00000" in line for line in logs)

    chart = await jp_fetch("agilab-lab", "api", "runs", run_id, "artifacts", "trajectories.vl.json")
    assert json.loads(chart.body)["mark"]["type"] == "line"
    for path in ("..%2F..%2Fagilab-lab.sqlite", "outputs/../../../etc/passwd", "missing.json"):
        code, error = await _error(jp_fetch, "runs", run_id, "artifacts", path)
        assert code == 404

    _, listing = await _json(jp_fetch, "runs")
    assert run_id in [r["run_id"] for r in listing["runs"]] and "id" not in listing["runs"][0]


async def test_bad_run_requests_are_400s_and_queue_nothing(jp_fetch):
    code, error = await _error(jp_fetch, "apps", "minimal_app", "runs", method="POST",
                               body={"mode": "local", "args": {"items": 0}})
    assert code == 400 and "items" in error["message"]
    code, error = await _error(jp_fetch, "apps", "minimal_app", "runs", method="POST",
                               body={"mode": "pool", "scheduler": "tcp://127.0.0.1:1"})
    assert code == 400
    code, error = await _error(jp_fetch, "apps", "minimal_app", "runs", method="POST", body={"mode": "gpu"})
    assert code == 422
    _, listing = await _json(jp_fetch, "runs")
    assert listing["runs"] == []
    code, error = await _error(jp_fetch, "runs", "no-such-run")
    assert code == 404 and error["code"] == "run_not_found"


async def test_cluster_reports_without_starting_one(jp_fetch):
    code, body = await _json(jp_fetch, "cluster")
    assert code == 200 and "clusters" in body


async def test_install_seeds_settings_and_builds_the_artifact(jp_fetch):
    code, report = await _json(jp_fetch, "apps", "minimal_app", "install", method="POST", body={"mode": "local"})
    assert code == 200 and report["artifact"].startswith("minimal_app_worker-")
    assert report["missing_requirements"] == [] and report["shipped_to"] == []


async def test_an_app_cannot_be_named_by_a_path_over_rest(jp_fetch):
    from urllib.parse import quote

    from agilab_lab.runtime.apps import BUILTIN_APPS_DIR

    code, error = await _error(jp_fetch, "apps", quote(str(BUILTIN_APPS_DIR / "minimal_app"), safe=""))
    assert code == 404 and error["code"] == "app_not_found"
