"""The Lab UI's routes: table previews of run artifacts and unpacking a generated version."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import polars as pl
import pytest
from tornado.httpclient import HTTPClientError

from agilab_lab.repogen.unpack import DESIGNS_DIR, UnpackRefused, unpack_target, unpack_version
from agilab_lab.runtime.preview import NotTabular, UnreadableTable, preview_table
from agilab_lab.store.models import DecisionSet, Run


async def call(jp_fetch, method, *path, **params):
    body = b"" if method == "POST" else None
    response = await jp_fetch("agilab-lab", "api", *path, method=method, params=params or None, body=body)
    return response.code, json.loads(response.body)


async def error_of(jp_fetch, method, *path, **params):
    with pytest.raises(HTTPClientError) as err:
        await call(jp_fetch, method, *path, **params)
    return err.value.code, json.loads(err.value.response.body)["error"]["code"]


# -- previews -----------------------------------------------------------------------------


def test_preview_returns_the_first_rows_and_the_total(tmp_path):
    frame = pl.DataFrame({"flight": [f"FL{i}" for i in range(120)], "km": [i * 1.5 for i in range(120)]})
    frame.write_parquet(tmp_path / "flights.parquet")
    frame.write_csv(tmp_path / "flights.csv")
    for name in ("flights.parquet", "flights.csv"):
        preview = preview_table(tmp_path / name, limit=10)
        assert [c["name"] for c in preview["columns"]] == ["flight", "km"]
        assert preview["rows"][3] == ["FL3", 4.5] and len(preview["rows"]) == 10
        assert preview["total_rows"] == 120 and preview["truncated"] is True
    assert preview_table(tmp_path / "flights.csv", limit=500)["truncated"] is False


def test_preview_refuses_what_is_not_a_table(tmp_path):
    (tmp_path / "chart.vl.json").write_text("{}")
    (tmp_path / "broken.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(NotTabular):
        preview_table(tmp_path / "chart.vl.json")
    with pytest.raises(UnreadableTable):
        preview_table(tmp_path / "broken.parquet")


def _server_lab(jp_serverapp):
    return jp_serverapp.web_app.settings["agilab_lab"]["lab"]


def _finished_run(lab) -> str:
    """A run row with a parquet artifact in its run directory (no worker needed)."""
    with lab.store.session() as session:
        run = Run(owner=lab.owner, app="flight_telemetry", mode="local", status="succeeded", args={}, extra={})
        session.add(run)
        session.flush()
        run_id = run.id
    directory = lab.home / "runs" / run_id
    (directory / "outputs").mkdir(parents=True)
    pl.DataFrame({"a": list(range(80))}).write_parquet(directory / "flights.parquet")
    (directory / "summary.json").write_text("{}")
    return run_id


async def test_preview_route_serves_rows_and_refuses_bad_requests(jp_fetch, jp_serverapp):
    run_id = _finished_run(_server_lab(jp_serverapp))
    code, preview = await call(jp_fetch, "GET", "runs", run_id, "preview", "flights.parquet", limit="5")
    assert code == 200 and preview["path"] == "flights.parquet"
    assert preview["rows"] == [[0], [1], [2], [3], [4]] and preview["total_rows"] == 80

    assert await error_of(jp_fetch, "GET", "runs", run_id, "preview", "summary.json") == (415, "not_tabular")
    assert await error_of(jp_fetch, "GET", "runs", run_id, "preview", "flights.parquet", limit="0") == (
        400, "bad_limit")
    assert await error_of(jp_fetch, "GET", "runs", run_id, "preview", "..%2F..%2Fagilab-lab.sqlite") == (
        404, "run_not_found")
    assert await error_of(jp_fetch, "GET", "runs", "no-such-run", "preview", "flights.parquet") == (
        404, "run_not_found")


async def test_the_openapi_document_lists_the_lab_routes(jp_fetch):
    _, document = await call(jp_fetch, "GET", "openapi.json")
    assert "get" in document["paths"]["/agilab-lab/api/runs/{run_id}/preview/{path}"]
    assert "post" in document["paths"]["/agilab-lab/api/decision-sets/{id}/unpack"]


# -- unpacking ----------------------------------------------------------------------------


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return path


def test_unpack_writes_the_version_once_under_the_root(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    archive = _zip(tmp_path / "repo.zip", {"README.md": "# fraud", "reports/validation.json": "{}"})
    first = unpack_version(archive, root, "Fraud scoring!", "abcdef0123456789", 2)
    assert first == {"path": f"{DESIGNS_DIR}/fraud-scoring-abcdef01/v2", "files": 2, "created": True,
                     "report": f"{DESIGNS_DIR}/fraud-scoring-abcdef01/v2/reports/validation.json"}
    assert (root / first["path"] / "README.md").read_text() == "# fraud"
    (root / first["path"] / "README.md").write_text("edited by the user")
    again = unpack_version(archive, root, "Fraud scoring!", "abcdef0123456789", 2)
    assert again["created"] is False and (root / first["path"] / "README.md").read_text() == "edited by the user"


def test_unpack_refuses_archives_and_names_that_leave_the_root(tmp_path):
    root = tmp_path / "root"
    root.mkdir()
    evil = _zip(tmp_path / "evil.zip", {"../../escaped.txt": "x"})
    with pytest.raises(ValueError):
        unpack_version(evil, root, "p", "0123456789", 1)
    assert not (tmp_path / "escaped.txt").exists()
    target = unpack_target(root, "../../../etc", "0123456789", 1)
    assert target.is_relative_to(root.resolve()) and ".." not in target.parts
    with pytest.raises(UnpackRefused):
        unpack_version(tmp_path / "missing.zip", root, "p", "0123456789", 1)


async def test_unpack_route_puts_a_generated_version_in_the_jupyter_root(jp_fetch, jp_serverapp, tmp_path):
    lab = _server_lab(jp_serverapp)
    code, project = await call_json(jp_fetch, "POST", "projects", {"name": "Fraud scoring"})
    archive = _zip(tmp_path / "fraud-v1.zip", {"README.md": "# fraud", "infra/main.tf": "terraform {}\n"})
    with lab.store.session() as session:
        ds = DecisionSet(owner=lab.owner, project_id=project["id"], version=1, status="awaiting_approval",
                         constraints={})
        session.add(ds)
        session.flush()
        ds_id = ds.id
    assert await error_of(jp_fetch, "POST", "decision-sets", ds_id, "unpack") == (409, "not_generated")
    with lab.store.session() as session:
        row = session.get(DecisionSet, ds_id)
        row.status, row.zip_path = "generated", str(archive)
    code, unpacked = await call(jp_fetch, "POST", "decision-sets", ds_id, "unpack")
    assert code == 200 and unpacked["path"].startswith(f"{DESIGNS_DIR}/fraud-scoring-")
    root = Path(jp_serverapp.root_dir)
    assert (root / unpacked["path"] / "infra" / "main.tf").read_text() == "terraform {}\n"
    # Lab's contents API (what the file browser lists) sees the folder.
    listing = await jp_fetch("api", "contents", *unpacked["path"].split("/"), method="GET")
    assert {item["name"] for item in json.loads(listing.body)["content"]} == {"README.md", "infra"}
    assert await error_of(jp_fetch, "POST", "decision-sets", "no-such-set", "unpack") == (404, "not_found")


async def call_json(jp_fetch, method, *path_and_body):
    *path, body = path_and_body
    response = await jp_fetch("agilab-lab", "api", *path, method=method, body=json.dumps(body))
    return response.code, json.loads(response.body)


async def test_labs_cache_buster_is_not_an_unknown_query_argument(jp_fetch):
    """Lab's ServerConnection sends GET health?1733212345678: it must not be refused."""
    response = await jp_fetch("agilab-lab", "api", "health", method="GET", params={"1733212345678": ""})
    assert response.code == 200
    assert await error_of(jp_fetch, "GET", "health", bogus="1") == (400, "unknown_query")
    assert await error_of(jp_fetch, "GET", "health", **{"1733212345678": "x"}) == (400, "unknown_query")
