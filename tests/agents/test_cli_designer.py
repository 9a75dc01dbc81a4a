"""``agilab-lab design`` end to end on the shared eval samples (copied under tests/agents/evals)."""

import importlib.util
import json
from pathlib import Path

import pytest

from agilab_lab.cli import main

EVALS = Path(__file__).parent / "evals"
SAMPLES = sorted(p.stem for p in EVALS.glob("*.md") if p.stem != "README")
DESIGN_KEYS = {"project_id", "decision_set_id", "version", "status", "constraints", "plan", "policy",
               "critics", "zip", "validation"}


def _grade():
    spec = importlib.util.spec_from_file_location("eval_check", EVALS / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.grade


def _design(tmp_path, capsys, sample, *extra):
    code = main(["design", "--requirements", str(EVALS / f"{sample}.md"), "--out", str(tmp_path / "out"),
                 "--auto-approve", "--json", *extra])
    captured = capsys.readouterr()
    return code, captured


@pytest.mark.parametrize("sample", SAMPLES)
def test_eval_sample_grades_clean(tmp_path, capsys, sample):
    """The acceptance check: check.py's grading of `design --auto-approve --json` is empty."""
    code, captured = _design(tmp_path, capsys, sample)
    result = json.loads(captured.out)
    assert set(result) == DESIGN_KEYS
    expected = json.loads((EVALS / f"{sample}.expected.json").read_text())
    assert _grade()(expected, result) == []
    assert code == 0
    assert "design:" in captured.err  # progress went to stderr, stdout is one JSON object
    assert (tmp_path / "out" / "design.json").is_file()
    if result["status"] == "generated":
        assert Path(result["zip"]).is_file() and Path(result["zip"]).parent == tmp_path / "out"
        assert result["validation"]["checks"]


def test_vague_sample_waits_for_input_with_questions_and_invents_nothing(tmp_path, capsys):
    code, captured = _design(tmp_path, capsys, "vague")
    result = json.loads(captured.out)
    assert code == 0 and result["status"] == "awaiting_input"
    assert len(result["constraints"]["open_questions"]) >= 3
    assert result["constraints"]["cloud"] is None and result["plan"] is None


def test_impossible_sample_explains_the_conflict(tmp_path, capsys):
    code, captured = _design(tmp_path, capsys, "impossible_ads")
    result = json.loads(captured.out)
    assert code == 0 and result["status"] == "infeasible" and result["policy"]["passed"] is False
    assert any(v["rule"] == "budget" for v in result["policy"]["violations"])
    assert result["critics"]["rounds"] == 3


def test_project_option_adds_a_version(tmp_path, capsys):
    _, captured = _design(tmp_path, capsys, "impossible_ads")
    first = json.loads(captured.out)
    _, captured = _design(tmp_path, capsys, "impossible_ads", "--project", first["project_id"])
    second = json.loads(captured.out)
    assert second["project_id"] == first["project_id"] and second["version"] == 2


@pytest.mark.parametrize("problem, args", [
    ("missing file", ["--requirements", "/nonexistent/req.md"]),
    ("empty file", ["--requirements", "EMPTY"]),
    ("unknown project", ["--requirements", str(EVALS / "vague.md"), "--project", "nope"]),
    ("anthropic without a key", ["--requirements", str(EVALS / "vague.md"), "--provider", "anthropic"]),
])
def test_bad_input_exits_non_zero_with_one_line(tmp_path, capsys, problem, args):
    empty = tmp_path / "empty.md"
    empty.write_text("  \n")
    args = [str(empty) if a == "EMPTY" else a for a in args]
    code = main(["design", *args, "--out", str(tmp_path / "out"), "--json"])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1 and captured.err.startswith("agilab-lab: error:")
