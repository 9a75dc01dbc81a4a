"""Server-sent events: backlog, Last-Event-ID resume and heartbeats on an idle stream."""

import json

import pytest
from tornado.httpclient import HTTPClientError

from agilab_lab.core import Lab
from agilab_lab.server.base import EventStreamHandler
from agilab_lab.settings import load_settings


def _parse(stream: str) -> list[dict]:
    events = []
    for block in stream.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines() if not line.startswith(":"))
        if "data" in fields:
            events.append({"id": int(fields["id"]), "event": fields["event"], "data": json.loads(fields["data"])})
    return events


async def test_backlog_then_resume_from_last_event_id(jp_fetch, home):
    response = await jp_fetch("agilab-lab", "api", "projects", method="POST", body=json.dumps({"name": "sse"}))
    project = json.loads(response.body)
    backlog = await jp_fetch("agilab-lab", "api", "projects", project["id"], "events", params={"follow": "0"})
    initial = _parse(backlog.body.decode())
    assert [e["event"] for e in initial] == ["project.created"]
    lab = Lab.open(load_settings(home=str(home)))  # the server's database and owner
    for i in range(4):
        lab.events.append(lab.owner, f"project:{project['id']}", "card", {"i": i})
    response = await jp_fetch("agilab-lab", "api", "projects", project["id"], "events", params={"follow": "0"})
    assert response.headers["Content-Type"].startswith("text/event-stream")
    cards = [e for e in _parse(response.body.decode()) if e["event"] == "card"]
    assert [e["data"]["payload"]["i"] for e in cards] == [0, 1, 2, 3]
    resumed = await jp_fetch("agilab-lab", "api", "projects", project["id"], "events", params={"follow": "0"},
                             headers={"Last-Event-ID": str(cards[1]["id"])})
    assert [e["data"]["payload"]["i"] for e in _parse(resumed.body.decode())] == [2, 3]


async def test_idle_stream_sends_heartbeats(jp_fetch, monkeypatch):
    monkeypatch.setattr(EventStreamHandler, "heartbeat_s", 0.2)
    monkeypatch.setattr(EventStreamHandler, "poll_s", 0.05)
    response = await jp_fetch("agilab-lab", "api", "projects", method="POST", body=json.dumps({"name": "idle"}))
    project = json.loads(response.body)
    chunks = []
    with pytest.raises(HTTPClientError):  # the client gives up; the server only stops on disconnect
        await jp_fetch("agilab-lab", "api", "projects", project["id"], "events",
                       streaming_callback=lambda chunk: chunks.append(chunk.decode()), request_timeout=1.5)
    assert "".join(chunks).count(": heartbeat") >= 2


async def test_bad_last_event_id_is_a_400(jp_fetch):
    response = await jp_fetch("agilab-lab", "api", "projects", method="POST", body=json.dumps({"name": "x"}))
    project = json.loads(response.body)
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("agilab-lab", "api", "projects", project["id"], "events", params={"follow": "0"},
                       headers={"Last-Event-ID": "abc"})
    assert err.value.code == 400


async def test_follow_0_pages_through_the_whole_backlog_to_the_terminal_event(jp_fetch, home, monkeypatch):
    monkeypatch.setattr(EventStreamHandler, "page_size", 100)  # many pages without writing 10**5 rows
    response = await jp_fetch("agilab-lab", "api", "projects", method="POST", body=json.dumps({"name": "long"}))
    project = json.loads(response.body)
    lab = Lab.open(load_settings(home=str(home)))
    for i in range(1200):
        lab.events.append(lab.owner, f"project:{project['id']}", "card", {"i": i})
    lab.events.append(lab.owner, f"project:{project['id']}", "status", {"status": "generated"})
    response = await jp_fetch("agilab-lab", "api", "projects", project["id"], "events", params={"follow": "0"})
    events = _parse(response.body.decode())
    assert len(events) == 1202  # project.created, 1200 cards, the terminal status
    assert [e["data"]["payload"]["i"] for e in events if e["event"] == "card"] == list(range(1200))
    assert events[-1]["event"] == "status" and events[-1]["data"]["payload"] == {"status": "generated"}
    assert len({e["id"] for e in events}) == 1202


async def test_an_empty_backlog_is_still_an_event_stream(jp_fetch, home):
    response = await jp_fetch("agilab-lab", "api", "projects", method="POST", body=json.dumps({"name": "quiet"}))
    project = json.loads(response.body)
    response = await jp_fetch("agilab-lab", "api", "projects", project["id"], "events",
                              params={"follow": "0", "after": str(10**9)})
    assert response.headers["Content-Type"].startswith("text/event-stream")
    assert _parse(response.body.decode()) == []


@pytest.mark.parametrize(("header", "query"), [
    ({"Last-Event-ID": "9" * 40}, {}),  # once an SQLite integer overflow (500)
    ({"Last-Event-ID": str(2**53 + 1)}, {}),
    ({"Last-Event-ID": "-1"}, {}),
    ({}, {"after": "1e9"}),
    ({}, {"last_event_id": "9" * 400}),
    ({}, {"follow": "yes"}),
])
async def test_out_of_range_resume_points_are_a_400(jp_fetch, header, query):
    response = await jp_fetch("agilab-lab", "api", "projects", method="POST", body=json.dumps({"name": "x"}))
    project = json.loads(response.body)
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("agilab-lab", "api", "projects", project["id"], "events", params={"follow": "0", **query},
                       headers=header)
    assert err.value.code == 400
    assert json.loads(err.value.response.body)["error"]["code"] in ("bad_last_event_id", "bad_follow")
