"""Run artifacts and generated zips are served with their real media type and a filename, never as JSON."""

from __future__ import annotations

import asyncio
import io
import json
import zipfile

import pytest
from sqlalchemy import update

from agilab_lab.agents.designer import Designer
from agilab_lab.core import Lab
from agilab_lab.runtime.records import run_dir
from agilab_lab.server.files import content_disposition, media_type
from agilab_lab.settings import load_settings
from agilab_lab.store.models import DecisionSet

PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 3
ARTIFACTS = {  # name -> (body, expected Content-Type prefix, shown inline)
    "chart.png": (PNG, "image/png", True),
    "table.csv": (b"a,b\n1,2\n", "text/csv", True),
    "summary.json": (b'{"ok": true}', "application/json", True),
    "data.parquet": (b"PAR1" + b"\x00" * 600_000 + b"PAR1", "application/vnd.apache.parquet", False),
    "report.html": (b"<script>alert(document.cookie)</script>", "text/html", False),
    "drawing.svg": (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml", False),
    "blob.weird": (b"\x00\x01", "application/octet-stream", False),
}


@pytest.mark.parametrize(("name", "kind", "inline"), [
    ("x.PNG", "image/png", True), ("x.parquet", "application/vnd.apache.parquet", False),
    ("x.html", "text/html; charset=utf-8", False), ("x", "application/octet-stream", False),
    ("x.js", "application/octet-stream", False),
])
def test_media_types_show_inline_only_what_runs_no_code(name, kind, inline):
    assert media_type(name) == (kind, inline)


def test_content_disposition_keeps_the_header_ascii_and_the_name_exact():
    header = content_disposition('rés"ult\r\n.csv', inline=False)
    assert header.startswith('attachment; filename="r_s_ult__.csv"; filename*=UTF-8\'\'r%C3%A9s%22ult%0D%0A.csv')
    assert header.isascii() and "\n" not in header


async def _finished_run(jp_fetch) -> str:
    response = await jp_fetch("agilab-lab", "api", "apps", "minimal_app", "runs", method="POST",
                              body=json.dumps({"mode": "local", "args": {"items": 2}}))
    run_id = json.loads(response.body)["run_id"]
    for _ in range(300):
        run = json.loads((await jp_fetch("agilab-lab", "api", "runs", run_id)).body)
        if run["status"] in ("succeeded", "failed"):
            return run_id
        await asyncio.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish: {run['status']}")


async def test_artifacts_are_served_under_their_own_type(jp_fetch, home):
    run_id = await _finished_run(jp_fetch)
    for name, (body, _, _) in ARTIFACTS.items():
        (run_dir(home, run_id) / name).write_bytes(body)
    for name, (body, kind, inline) in ARTIFACTS.items():
        response = await jp_fetch("agilab-lab", "api", "runs", run_id, "artifacts", name)
        assert response.headers["Content-Type"].startswith(kind), (name, response.headers["Content-Type"])
        disposition = response.headers["Content-Disposition"]
        assert disposition.startswith("inline" if inline else "attachment"), (name, disposition)
        assert f'filename="{name}"' in disposition
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in response.headers["Content-Security-Policy"]
        assert response.body == body, name


async def test_the_zip_is_application_zip_named_after_project_and_version(jp_fetch, home):
    lab = Lab.open(load_settings(home=str(home)))  # the server's database and owner
    designer = Designer(lab)
    project = designer.create_project("zipped")
    ds = designer.new_decision_set(project.id, text="AWS batch scoring, $2k/month")
    archive = home / "generated.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("README.md", "# generated\n")
        zf.writestr("infra/main.tf", "terraform {}\n" * 20_000)
    with lab.store.session() as session:
        session.execute(update(DecisionSet).where(DecisionSet.id == ds.id).values(zip_path=str(archive)))
    response = await jp_fetch("agilab-lab", "api", "decision-sets", ds.id, "zip")
    assert response.headers["Content-Type"] == "application/zip"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="zipped-v1.zip"')
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.body == archive.read_bytes()
    assert zipfile.ZipFile(io.BytesIO(response.body)).namelist() == ["README.md", "infra/main.tf"]
