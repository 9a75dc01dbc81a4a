"""Malformed requests get a 4xx JSON error, never a 5xx or a traceback, and change nothing."""

import json

import pytest
from sqlalchemy import func, select
from tornado.httpclient import HTTPClientError

from agilab_lab.store.db import Store
from agilab_lab.store.models import Base

OVERSIZED = json.dumps({"name": "x" * 2_000_000})
DEEP = '{"name": "x", "description": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}"
VERY_DEEP = "[" * 100_000 + "]" * 100_000  # past the interpreter's recursion limit: once a 500
HUGE = "9" * 40
FORM = {"Content-Type": "multipart/form-data; boundary=x"}
XML = {"Content-Type": "application/xml"}

BAD_REQUESTS = [
    ("POST", "projects", b"{not json"),
    ("POST", "projects", b"[1, 2, 3]"),
    ("POST", "projects", b'"just a string"'),
    ("POST", "projects", json.dumps({"name": 42})),
    ("POST", "projects", json.dumps({"name": ""})),
    ("POST", "projects", json.dumps({"name": "ok", "unknown_field": True})),
    ("POST", "projects", OVERSIZED),
    ("POST", "projects", b"\xff\xfe\x00garbage"),
    ("POST", "projects/does-not-exist/constraints", json.dumps({"text": "AWS, $5k/month"})),
    ("POST", "decision-sets/does-not-exist/approve", json.dumps({"decision": "approve"})),
    ("POST", "decision-sets/does-not-exist/approve", json.dumps({"decision": "maybe"})),
    ("GET", "decision-sets/does-not-exist", None),
    ("GET", "decision-sets/does-not-exist/diff?against=other", None),
    ("GET", "decision-sets/does-not-exist/zip", None),
    ("GET", "projects/does-not-exist", None),
    ("GET", "projects/does-not-exist/events?follow=0", None),
    ("GET", "apps/no_such_app", None),
    ("POST", "apps/no_such_app/runs", json.dumps({"mode": "local"})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "warp-drive"})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local", "args": {"n_items": "many"}})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local", "workers": "lots"})),
    ("PUT", "apps/minimal_app/settings", json.dumps({"args": {"n_items": -5}})),
    ("GET", "runs/does-not-exist", None),
    ("GET", "runs/does-not-exist/artifacts/../../etc/passwd", None),
    ("GET", "runs/does-not-exist/events?follow=0", None),
    ("GET", "no/such/route", None),
    # the hostile table: nesting, overflows, NaN/Infinity, bounds, traversal, unknown fields, media types
    ("POST", "projects", DEEP),
    ("POST", "projects", VERY_DEEP),
    ("POST", "apps/minimal_app/runs", '{"mode": "local", "args": ' + "[" * 33 + "]" * 33 + "}"),
    ("POST", "apps/minimal_app/runs", '{"mode": "local", "timeout_s": NaN}'),
    ("POST", "apps/minimal_app/runs", '{"mode": "local", "timeout_s": Infinity}'),
    ("POST", "apps/minimal_app/runs", '{"mode": "local", "timeout_s": "Infinity"}'),
    ("POST", "apps/minimal_app/runs", '{"mode": "local", "timeout_s": 1e400}'),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local", "timeout_s": 10**9})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local", "timeout_s": -1})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local", "workers": 1_000_000})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local", "workers": -4})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local", "workers": 0})),
    ("POST", "apps/minimal_app/runs", '{"mode": "local", "workers": ' + HUGE + "}"),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "dask", "workers": {"h": 10**6}})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local", "retries": 99})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local", "priority": "high"})),
    ("POST", "apps/minimal_app/install", json.dumps({"mode": "local", "workers": 10**6})),
    ("POST", "apps/minimal_app/runs", json.dumps({"mode": "local"}), XML),
    ("POST", "projects", json.dumps({"name": "ok"}), FORM),
    ("POST", "projects", "<project><name>x</name></project>", XML),
    ("POST", "decision-sets/does-not-exist/approve", '{"decision": "approve", "version": ' + HUGE + "}"),
    ("POST", "decision-sets/does-not-exist/approve", json.dumps({"decision": "approve", "version": -1})),
    ("POST", "projects/does-not-exist/constraints", json.dumps({"text": "x", "constraints": {}})),
    ("GET", f"runs/{HUGE}", None),
    ("GET", f"decision-sets/{'d' * 5000}", None),
    ("GET", f"projects/{HUGE}/events?follow=0", None, {"Last-Event-ID": HUGE}),
    ("GET", "runs/does-not-exist/artifacts/%2e%2e/%2e%2e/agilab-lab.sqlite", None),
    ("GET", "runs/..%2F..%2Fagilab-lab.sqlite", None),
    ("GET", "apps/..%2F..%2Fetc/settings", None),
    ("GET", "runs?limit=0", None),
    ("GET", f"runs?limit={HUGE}", None),
    ("GET", "runs?debug=1", None),
    ("GET", "runs/a\x00b", None),
    ("GET", "runs?app=\x00", None),
    ("POST", "projects", json.dumps({"name": "nul\x00name"})),
    ("GET", "decision-sets/does-not-exist/diff", None),
]


def _row_counts(url):
    store = Store(url, run_migrations=False)
    try:
        with store.session() as session:
            return {t.name: session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}
    finally:
        store.dispose()


async def test_malformed_requests_get_json_4xx_and_write_nothing(jp_fetch, home):
    url = f"sqlite:///{home / 'agilab-lab.sqlite'}"
    await jp_fetch("agilab-lab", "api", "health")  # the server is up and migrated
    before = _row_counts(url)
    for method, path, body, *headers in BAD_REQUESTS:
        route, _, query = path.partition("?")
        params = dict(p.split("=", 1) for p in query.split("&")) if query else None
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("agilab-lab", "api", *route.split("/"), method=method, body=body, params=params,
                           headers=headers[0] if headers else None, allow_nonstandard_methods=True)
        status = err.value.code
        assert 400 <= status < 500, (method, path, status, err.value.response.body[:300])
        error = json.loads(err.value.response.body)["error"]
        assert error["code"] and error["message"], (method, path)
        assert "Traceback" not in err.value.response.body.decode(errors="replace")
    assert _row_counts(url) == before
    assert len(BAD_REQUESTS) >= 55
