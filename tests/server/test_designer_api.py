"""Designer REST routes against a live Jupyter server (design jobs run in its job worker)."""

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError

from tests.agents.designer_samples import FORECAST


async def call(jp_fetch, method, *path, body=None, **params):
    response = await jp_fetch("agilab-lab", "api", *path, method=method, params=params or None,
                              body=None if body is None else json.dumps(body))
    return response.code, json.loads(response.body) if response.body else None


async def error_of(jp_fetch, method, *path, body=None, **params):
    with pytest.raises(HTTPClientError) as err:
        await call(jp_fetch, method, *path, body=body, **params)
    return err.value.code, json.loads(err.value.response.body)["error"]["code"]


async def settled(jp_fetch, ds_id, after=None, timeout_s=60.0):
    """Poll a decision set until its job leaves it waiting or finished (and, with ``after``,
    until it has changed since that lock_version: an answer's job may not have started yet)."""
    for _ in range(int(timeout_s / 0.2)):
        _, ds = await call(jp_fetch, "GET", "decision-sets", ds_id)
        moved = after is None or ds["lock_version"] > after
        if moved and ds["status"] not in ("queued", "running", "generating"):
            return ds
        await asyncio.sleep(0.2)
    raise AssertionError(f"decision set {ds_id} still {ds['status']}")


async def start(jp_fetch, body):
    code, project = await call(jp_fetch, "POST", "projects", body={"name": "forecast"})
    assert code == 201 and project["name"] == "forecast"
    code, accepted = await call(jp_fetch, "POST", "projects", project["id"], "constraints", body=body)
    assert code == 202 and set(accepted) == {"job_id", "decision_set_id"}
    return project, await settled(jp_fetch, accepted["decision_set_id"])


async def test_design_then_reject_through_the_api(jp_fetch):
    project, ds = await start(jp_fetch, {"constraints": FORECAST.model_dump()})
    assert ds["status"] == "awaiting_approval", (ds["policy"], ds["error"])
    assert ds["plan"]["cloud"] == "gcp" and ds["policy"]["passed"]
    assert ds["critics"]["cost"]["monthly_usd"] > 0 and len(ds["sections"]) == 23
    assert await error_of(jp_fetch, "POST", "decision-sets", ds["id"], "approve",
                          body={"decision": "approve", "version": ds["lock_version"] + 5}) == (409, "stale_version")
    code, _ = await call(jp_fetch, "POST", "decision-sets", ds["id"], "approve",
                         body={"decision": "reject", "comment": "not now", "version": ds["lock_version"]})
    assert code == 202
    done = await settled(jp_fetch, ds["id"], after=ds["lock_version"])
    assert done["status"] == "rejected" and done["approval"]["decision"] == "reject"
    assert await error_of(jp_fetch, "POST", "decision-sets", ds["id"], "approve",
                          body={"decision": "approve"}) == (409, "conflict")
    _, listing = await call(jp_fetch, "GET", "projects")
    assert project["id"] in {p["id"] for p in listing["projects"]}


async def test_revise_creates_version_two_and_the_diff_reports_the_cost_delta(jp_fetch):
    project, ds = await start(jp_fetch, {"constraints": FORECAST.model_dump()})
    code, _ = await call(jp_fetch, "POST", "decision-sets", ds["id"], "approve",
                         body={"decision": "revise", "comment": "stream it",
                               "constraints": {"workloads": ["forecasting", "streaming"]}})
    assert code == 202
    await settled(jp_fetch, ds["id"], after=ds["lock_version"])
    for _ in range(100):  # the same job creates version 2 right after closing version 1
        _, sets = await call(jp_fetch, "GET", "projects", project["id"], "decision-sets")
        if len(sets["decision_sets"]) == 2:
            break
        await asyncio.sleep(0.2)
    versions = {d["version"]: d for d in sets["decision_sets"]}
    assert set(versions) == {1, 2} and versions[2]["parent_id"] == ds["id"]
    second = await settled(jp_fetch, versions[2]["id"])
    _, diff = await call(jp_fetch, "GET", "decision-sets", second["id"], "diff", against=ds["id"])
    stream = next(c["service"] for c in second["plan"]["components"] if c["capability"] == "stream")
    assert {"capability": "stream", "from": None, "to": stream} in diff["plan_changes"]
    expected = second["critics"]["cost"]["monthly_usd"] - ds["critics"]["cost"]["monthly_usd"]
    assert diff["cost_delta_usd"] == pytest.approx(expected, abs=0.01)
    assert diff["files_compared"] is False  # neither version was generated


async def test_clarifying_questions_wait_for_an_answer(jp_fetch):
    _, ds = await start(jp_fetch, {"text": "We'd like to start doing machine learning on our customer data."})
    assert ds["status"] == "awaiting_input" and len(ds["open_questions"]) >= 3 and ds["plan"] is None
    code, _ = await call(jp_fetch, "POST", "decision-sets", ds["id"], "answer",
                         body={"text": "AWS eu-west-1, batch scoring of churn every night, $2k per month."})
    assert code == 202
    answered = await settled(jp_fetch, ds["id"], after=ds["lock_version"])
    assert answered["status"] == "awaiting_approval" and answered["plan"]["cloud"] == "aws"


async def test_reason_cards_stream_as_server_sent_events(jp_fetch):
    project, _ = await start(jp_fetch, {"constraints": FORECAST.model_dump()})
    response = await jp_fetch("agilab-lab", "api", "projects", project["id"], "events", params={"follow": "0"})
    text = response.body.decode()
    assert "event: reason_card" in text and "event: decision_set.status" in text
    cards = [json.loads(line[6:]) for line in text.splitlines() if line.startswith("data: ")]
    card = next(c["payload"] for c in cards if c["kind"] == "reason_card")
    assert {"id", "agent", "title", "summary", "decision", "alternatives", "confidence", "risk", "ts"} <= set(card)


@pytest.mark.parametrize("method, path, body, expected", [
    ("POST", ("projects",), {"name": ""}, (422, "invalid_body")),
    ("POST", ("projects",), {"name": "x", "owner": "root"}, (422, "invalid_body")),
    ("GET", ("projects", "nope"), None, (404, "not_found")),
    ("POST", ("projects", "nope", "constraints"), {"text": "AWS"}, (404, "not_found")),
    ("GET", ("decision-sets", "nope"), None, (404, "not_found")),
    ("GET", ("decision-sets", "nope", "zip"), None, (404, "not_found")),
    ("POST", ("decision-sets", "nope", "approve"), {"decision": "approve"}, (404, "not_found")),
    ("POST", ("decision-sets", "nope", "approve"), {"decision": "ship"}, (422, "invalid_body")),
    ("GET", ("decision-sets", "nope", "diff"), None, (400, "missing_against")),
])
async def test_bad_requests_get_json_errors(jp_fetch, method, path, body, expected):
    assert await error_of(jp_fetch, method, *path, body=body) == expected


async def test_constraint_bodies_are_validated_before_anything_is_queued(jp_fetch):
    _, project = await call(jp_fetch, "POST", "projects", body={"name": "p"})
    for body, status in (({"text": "x", "constraints": {}}, 422), ({}, 422), ({"constraints": {"cloud": "mars"}}, 422)):
        code, _ = await error_of(jp_fetch, "POST", "projects", project["id"], "constraints", body=body)
        assert code == status
    _, sets = await call(jp_fetch, "GET", "projects", project["id"], "decision-sets")
    assert sets["decision_sets"] == []
