"""``agilab-lab validate`` and ``agilab-lab diff`` from the command line."""

from __future__ import annotations

import importlib
import json

import pytest

from agilab_lab.cli import main
from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.store.gitrepo import ProjectRepo

from .plans import make_spec


@pytest.fixture
def two_versions(home):
    """Version 1 and a version 2 with another region and a higher budget-driven cost."""
    v1 = make_spec("aws", "realtime")
    v2 = make_spec("aws", "realtime", version=2, region="eu-central-1")
    v2.cost.monthly_usd = v1.cost.monthly_usd - 120.0
    repo = ProjectRepo(home, v1.project_id)
    for spec in (v1, v2):
        repo.commit_version(generate(spec), version=spec.version,
                            decision_set_id=spec.decision_set_id)
    return v1, v2


def test_diff_json_between_two_decision_sets(two_versions, capsys):
    v1, v2 = two_versions
    assert main(["diff", v1.decision_set_id, v2.decision_set_id, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"from", "to", "files", "plan_changes", "cost_delta_usd", "cost_delta_pct"}
    assert (result["from"], result["to"]) == (v1.decision_set_id, v2.decision_set_id)
    assert result["cost_delta_usd"] == pytest.approx(v2.cost.monthly_usd - v1.cost.monthly_usd)
    assert "infra/terraform/aws/variables.tf" in {f["path"] for f in result["files"]}
    assert {f["change"] for f in result["files"]} <= {"added", "deleted", "modified"}


def test_diff_text_output_and_project_version_refs(two_versions, capsys):
    v1, _ = two_versions
    assert main(["diff", f"{v1.project_id}:v1", f"{v1.project_id}:v2"]) == 0
    out = capsys.readouterr().out
    assert "cost -120.00 USD/month" in out and "plan region: eu-west-1 -> eu-central-1" in out


@pytest.mark.parametrize("refs", [["nope-a", "nope-b"], ["prj-aws-realtime:v1", "other:v1"],
                                  ["prj-aws-realtime:vX", "prj-aws-realtime:v1"]])
def test_diff_bad_input_is_a_one_line_error(two_versions, refs, capsys):
    assert main(["diff", *refs]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("agilab-lab: error:") and "\n" not in err


def test_validate_bad_input(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing")]) == 2
    (tmp_path / "notes.txt").write_text("x")
    assert main(["validate", str(tmp_path / "notes.txt")]) == 2
    (tmp_path / "bad.zip").write_text("not a zip")
    assert main(["validate", str(tmp_path / "bad.zip")]) == 2
    assert "error" in capsys.readouterr().err


def test_validate_json_on_a_directory(tmp_path, venv_cache, monkeypatch, capsys):
    # The package attribute ``validate`` is the function: patch the module itself.
    checks = importlib.import_module("agilab_lab.repogen.validate")
    monkeypatch.setattr(checks, "default_cache_dir", lambda: venv_cache)
    root = write_tree(generate(make_spec("gcp", "training")), tmp_path / "repo")
    assert main(["validate", str(root), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["passed"] is True
    assert all({"name", "passed", "seconds"} <= set(c) for c in report["checks"])
    (root / "ml" / "broken.py").write_text("import os\n")
    assert main(["validate", str(root), "--json"]) == 1
