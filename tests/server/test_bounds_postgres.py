"""The server on PostgreSQL: a NUL character (which PostgreSQL text cannot hold) is a 4xx, not a 500."""

from __future__ import annotations

import json

import pytest
from tornado.httpclient import HTTPClientError

from tests.conftest import _fresh_pg_database

pytestmark = pytest.mark.postgres


@pytest.fixture
def jp_server_config(home, postgres_url, request):
    url = _fresh_pg_database(postgres_url, request.node.name)
    return {
        "ServerApp": {"jpserver_extensions": {"agilab_lab": True}},
        "AgilabLabApp": {"home": str(home), "job_workers": 0, "database_url": url},
    }


NUL_REQUESTS = [
    ("POST", ("projects",), None, json.dumps({"name": "nul\x00name"})),
    ("POST", ("projects",), None, json.dumps({"name": "ok", "description": {"k\x00": 1}})),
    ("GET", ("projects", "a\x00b"), None, None),
    ("GET", ("runs",), {"app": "x\x00"}, None),
    ("GET", ("decision-sets", "\x00", "diff"), {"against": "x"}, None),
]


async def test_nul_characters_never_reach_postgresql(jp_fetch):
    health = json.loads((await jp_fetch("agilab-lab", "api", "health")).body)
    assert health["database"]["kind"] == "postgresql"
    for method, path, params, body in NUL_REQUESTS:
        with pytest.raises(HTTPClientError) as err:
            await jp_fetch("agilab-lab", "api", *path, method=method, params=params, body=body)
        assert 400 <= err.value.code < 500, (path, err.value.response.body[:300])
        assert json.loads(err.value.response.body)["error"]["code"] == "nul_character", (path, err.value.response.body)
