"""``POST runs/{id}/notebook`` writes the notebook under the Jupyter root, for Lab to open."""

from __future__ import annotations

import json

import nbformat
import pytest
from tornado.httpclient import HTTPClientError


async def test_notebook_route_writes_under_the_root(jp_fetch, jp_root_dir, home):
    from agilab_lab.core import Lab
    from agilab_lab.runtime import AGI

    record = AGI(Lab.open()).run("minimal_app", items=3)  # the owner of a single-user server
    response = await jp_fetch("agilab-lab", "api", "runs", record.id, "notebook", method="POST", body="{}")
    path = json.loads(response.body)["path"]
    assert response.code == 201 and path == f"agilab-runs/minimal_app-{record.id[:8]}.ipynb"
    notebook = nbformat.read(jp_root_dir / path, as_version=4)
    assert notebook.metadata["agilab_lab"]["run_id"] == record.id

    with pytest.raises(HTTPClientError) as err:
        await jp_fetch("agilab-lab", "api", "runs", "someone-elses", "notebook", method="POST", body="{}")
    assert err.value.code == 404 and json.loads(err.value.response.body)["error"]["code"] == "run_not_found"
