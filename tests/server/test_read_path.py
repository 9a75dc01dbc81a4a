"""What keeps the server's read path cheap: a cached OpenAPI document with an ETag, Labs built
once per owner, app argument schemas generated once, and a frozen start-up heap."""

from __future__ import annotations

import asyncio
import gc
import json

import pytest
from tornado.httpclient import HTTPClientError


async def test_openapi_is_served_with_an_etag_and_revalidates_to_a_304(jp_fetch):
    first = await jp_fetch("agilab-lab", "api", "openapi.json")
    etag = first.headers["ETag"]
    assert first.headers["Cache-Control"] == "no-cache"
    assert (await jp_fetch("agilab-lab", "api", "openapi.json")).headers["ETag"] == etag  # stable
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("agilab-lab", "api", "openapi.json", headers={"If-None-Match": etag})
    assert err.value.code == 304
    assert not err.value.response.body
    stale = await jp_fetch("agilab-lab", "api", "openapi.json", headers={"If-None-Match": '"stale"'})
    assert stale.code == 200 and json.loads(stale.body)["openapi"].startswith("3.1")


async def test_openapi_still_needs_credentials(jp_fetch):
    etag = (await jp_fetch("agilab-lab", "api", "openapi.json")).headers["ETag"]
    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("agilab-lab", "api", "openapi.json", headers={"Authorization": "", "If-None-Match": etag})
    assert err.value.code == 401


def test_a_lab_is_built_once_per_owner(lab):
    assert lab.for_owner(lab.owner) is lab
    other = lab.for_owner("someone-else")
    assert other is lab.for_owner("someone-else")
    assert (other.owner, other.store, other.settings) == ("someone-else", lab.store, lab.settings)
    assert other.queue.domain == lab.queue.domain


def test_app_argument_schemas_are_generated_once_and_handed_out_as_copies(lab):
    from pydantic import BaseModel, Field

    from agilab_lab.runtime.agi import _args_schema_json, args_schema

    class Args(BaseModel):
        items: int = Field(default=5, ge=1)

    before = _args_schema_json.cache_info()
    schema = args_schema(Args)
    assert schema == Args.model_json_schema()
    schema["properties"]["items"]["minimum"] = 99  # a caller's change does not leak into the next answer
    assert args_schema(Args) == Args.model_json_schema()
    after = _args_schema_json.cache_info()
    assert (after.misses - before.misses, after.hits - before.hits) == (1, 1)


@pytest.fixture
def unfrozen():
    yield
    gc.unfreeze()


def test_freeze_heap_moves_live_objects_out_of_the_collectors_scans(unfrozen):
    from agilab_lab.server.heap import freeze_heap

    gc.unfreeze()
    kept = [[i] for i in range(1000)]
    assert id(kept[0]) in {id(obj) for obj in gc.get_objects()}
    frozen = freeze_heap()
    assert frozen >= len(kept)
    # not ==: a frozen object can still be freed (its count drops) before we read the count again
    assert gc.get_freeze_count() >= len(kept)
    scanned = {id(obj) for obj in gc.get_objects()}  # the permanent generation is not scanned
    assert not any(id(obj) in scanned for obj in kept)


async def test_the_extension_freezes_the_heap_after_start_unless_disabled(unfrozen):
    from agilab_lab.app import AgilabLabApp

    gc.unfreeze()
    app = AgilabLabApp(gc_freeze_after_s=-1)
    await app._start_jupyter_server_extension(None)
    await asyncio.sleep(0.05)
    assert gc.get_freeze_count() == 0

    app = AgilabLabApp(gc_freeze_after_s=0)
    await app._start_jupyter_server_extension(None)
    await asyncio.sleep(0.05)
    assert gc.get_freeze_count() > 0


def test_a_runs_status_is_read_alone_and_only_for_its_owner(lab):
    from agilab_lab.runtime.errors import RunNotFound
    from agilab_lab.runtime.records import run_store
    from agilab_lab.store.lite import open_lite

    run_id = run_store(lab.store, lab.owner).create("minimal_app", "local", {}, {})
    lite = open_lite(lab.settings.resolved_database_url)
    assert lite is not None
    for store in (lab.store, lite):
        assert run_store(store, lab.owner).status(run_id) == "queued"
        with pytest.raises(RunNotFound):
            run_store(store, "someone-else").status(run_id)
        with pytest.raises(RunNotFound):
            run_store(store, lab.owner).status("no-such-run")


async def test_the_start_up_warm_up_builds_what_the_first_requests_would(jp_serverapp, jp_fetch):
    from agilab_lab.agents.catalogue import default_catalogue
    from agilab_lab.server.warmup import warm_up

    extension = jp_serverapp.web_app.settings["agilab_lab"]
    extension.pop("openapi", None)
    default_catalogue.cache_clear()
    await asyncio.to_thread(warm_up, extension, jp_serverapp.base_url)
    assert default_catalogue.cache_info().currsize == 1
    body, etag = extension["openapi"][jp_serverapp.base_url]
    response = await jp_fetch("agilab-lab", "api", "openapi.json")
    assert (response.body.decode(), response.headers["ETag"]) == (body, etag)  # served, not rebuilt
