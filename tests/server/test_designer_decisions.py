"""Approval decisions over REST: concurrent decisions (one wins, the others get 409 with the current
status, on SQLite and PostgreSQL) and a failed generation that approve and generate start again."""

from __future__ import annotations

import asyncio
import json

import pytest
from tornado.httpclient import HTTPClientError

from agilab_lab.agents import nodes
from tests.agents.designer_samples import FORECAST

from .inprocess import job_worker, server_config  # noqa: F401 (fixtures)
from .test_designer_api import call, settled, start

pytestmark = pytest.mark.usefixtures("job_worker")


@pytest.fixture
def jp_server_config(home, db_url):
    return server_config(home, db_url)


@pytest.fixture
def generator(monkeypatch):
    """The repository generator (judged in tests/repogen); ``fail`` makes its next call raise."""
    calls = {"n": 0, "fail": 0}

    def generate(spec, out_dir, home, on_step=None):
        calls["n"] += 1
        if calls["fail"]:
            calls["fail"] -= 1
            raise RuntimeError("disk full")
        return {"zip": f"{out_dir}/repo.zip", "validation": {"passed": True, "checks": []}}

    monkeypatch.setattr(nodes, "_generate_repository", generate)
    return calls


async def _post(jp_fetch, ds_id, body):
    try:
        response = await jp_fetch("agilab-lab", "api", "decision-sets", ds_id, "approve", method="POST",
                                  body=json.dumps(body))
        return response.code, json.loads(response.body)
    except HTTPClientError as err:
        return err.code, json.loads(err.response.body)


async def test_concurrent_decisions_one_wins_the_others_get_409_with_the_current_status(jp_fetch, generator):
    project, ds = await start(jp_fetch, {"constraints": FORECAST.model_dump()})
    assert ds["status"] == "awaiting_approval"
    bodies = [{"decision": "approve", "comment": "go"}, {"decision": "reject", "comment": "no"},
              {"decision": "revise", "comment": "stream it", "constraints": {"workloads": ["forecasting", "streaming"]}}]
    answers = await asyncio.gather(*(_post(jp_fetch, ds["id"], bodies[i % 3]) for i in range(9)))
    accepted = [body for code, body in answers if code == 202]
    refused = [body["error"] for code, body in answers if code == 409]
    assert len(accepted) == 1 and len(refused) == 8, answers
    current = {e["current"] for e in refused}  # the winner's status (or, for an approval, where its job got to)
    assert current == {"rejected"} or current <= {"generating", "generated"}, current
    assert all(e["code"] == "conflict" and e["current"] in e["message"] for e in refused)
    done = await settled(jp_fetch, ds["id"], after=ds["lock_version"])
    assert done["status"] in ("generated", "rejected") and done["approval"]["decision"] in ("approve", "reject", "revise")


async def test_a_failed_generation_is_approved_and_generated_again(jp_fetch, generator):
    _, ds = await start(jp_fetch, {"constraints": FORECAST.model_dump()})
    generator["fail"] = 1
    code, _ = await _post(jp_fetch, ds["id"], {"decision": "approve", "comment": "ship"})
    assert code == 202
    failed = await settled(jp_fetch, ds["id"], after=ds["lock_version"])
    assert failed["status"] == "failed" and failed["error"] == "RuntimeError: disk full"
    code, _ = await _post(jp_fetch, ds["id"], {"decision": "approve", "comment": "try again"})
    assert code == 202
    done = await settled(jp_fetch, ds["id"], after=failed["lock_version"])
    assert done["status"] == "generated" and done["approval"]["comment"] == "try again"
    code, accepted = await call(jp_fetch, "POST", "decision-sets", ds["id"], "generate", body={})
    assert code == 202 and accepted["decision_set_id"] == ds["id"]
    again = await settled(jp_fetch, ds["id"], after=done["lock_version"])
    assert again["status"] == "generated" and generator["n"] == 3
    code, body = await _post(jp_fetch, ds["id"], {"decision": "approve"})
    assert code == 409 and body["error"]["current"] == "generated"
