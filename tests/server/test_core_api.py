"""The server extension loads, authenticates every route and documents it."""

import json

import pytest
from tornado.httpclient import HTTPClientError


async def test_health_requires_authentication(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("agilab-lab", "api", "health", headers={"Authorization": ""})
    assert err.value.code == 401
    assert json.loads(err.value.response.body)["error"]["code"] == "unauthorized"
    assert err.value.response.headers["WWW-Authenticate"].startswith("token")


async def test_a_wrong_token_is_a_401_too(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("agilab-lab", "api", "projects", method="POST", body=b"{}",
                       headers={"Authorization": "token not-the-token"})
    assert err.value.code == 401


def _migration_head() -> str:
    from alembic.script import ScriptDirectory

    from agilab_lab.store.db import MIGRATIONS_DIR

    return ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head()


async def test_health_names_database_and_revision(jp_fetch):
    response = await jp_fetch("agilab-lab", "api", "health")
    body = json.loads(response.body)
    assert response.code == 200
    assert body["status"] == "ok"
    assert body["database"] == {"kind": "sqlite", "revision": _migration_head()}
    assert isinstance(body["queue"], dict)
    assert "running" in body["cluster"]


async def test_openapi_document_is_valid_and_lists_every_route(jp_fetch):
    from openapi_spec_validator import validate

    from agilab_lab.server import all_routes

    response = await jp_fetch("agilab-lab", "api", "openapi.json")
    document = json.loads(response.body)
    validate(document)
    documented = {path for path in document["paths"]}
    for route in all_routes():
        assert f"/agilab-lab/api/{route.path}" in documented


async def test_unknown_route_is_a_json_404(jp_fetch):
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("agilab-lab", "api", "no-such-thing")
    assert err.value.code == 404
    assert json.loads(err.value.response.body)["error"]["code"] == "not_found"


async def test_every_route_answers_anonymous_requests_with_a_json_401(jp_fetch):
    from agilab_lab.server import all_routes
    from agilab_lab.server.base import _placeholders

    checked = 0
    for route in all_routes():
        path = route.path.format(**{name: "x" for name in _placeholders(route.path)})
        for method in [*route.ops, "delete"]:  # an undocumented method too: no route leaks a 405 first
            body = b"{}" if method in ("post", "put") else None
            with pytest.raises(HTTPClientError) as err:
                await jp_fetch("agilab-lab", "api", *path.split("/"), method=method.upper(), body=body,
                               headers={"Authorization": ""}, allow_nonstandard_methods=True, follow_redirects=False)
            assert err.value.code == 401, (method, path, err.value.code)
            assert err.value.response.headers["Content-Type"].startswith("application/json"), (method, path)
            assert json.loads(err.value.response.body)["error"]["code"] == "unauthorized", (method, path)
            checked += 1
    assert checked >= len(all_routes())
