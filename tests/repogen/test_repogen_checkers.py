"""Checker behaviour that needs no full validation run: missing tools, reports, SBOM."""

from __future__ import annotations

import sys

import pytest

from agilab_lab.repogen import generate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate import checkov_check, ruff_check, sbom, terraform_fmt
from agilab_lab.repogen.validate.base import CheckResult, ValidationReport, at_low_priority, run_tool
from agilab_lab.repogen.validate.report_writer import iac_text, stable_json

from .plans import make_spec


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return write_tree(generate(make_spec("aws", "batch")), tmp_path_factory.mktemp("repo"))


def test_missing_terraform_is_reported_as_skipped_not_passed_silently(repo, monkeypatch):
    monkeypatch.setattr(terraform_fmt, "tool_path", lambda name: None)
    check = terraform_fmt.check_terraform_fmt(repo, 30)
    assert check.passed and check.skipped
    assert "no terraform binary" in check.details


@pytest.mark.parametrize("module, func, name", [
    (ruff_check, "check_ruff", "ruff"), (sbom, "build_sbom", "sbom")])
def test_a_missing_linter_fails_its_check(repo, monkeypatch, module, func, name):
    monkeypatch.setattr(module, "tool_path", lambda _: None)
    result = getattr(module, func)(repo, 30)
    check = result[0] if isinstance(result, tuple) else result
    assert check.name == name and not check.passed and "not installed" in check.details


def test_missing_checkov_fails_every_framework(repo, monkeypatch):
    monkeypatch.setattr(checkov_check, "tool_path", lambda _: None)
    results = checkov_check.check_checkov(repo, 30)
    assert [r.name for r in results] == [f"checkov_{fw}" for fw in checkov_check.FRAMEWORKS]
    assert not any(r.passed for r in results)


def test_sbom_is_reproducible_and_lists_every_pin(repo):
    first, text = sbom.build_sbom(repo, 60)
    second, again = sbom.build_sbom(repo, 60)
    assert first.passed and text == again
    assert '"timestamp"' not in text
    for line in (repo / "requirements.txt").read_text().splitlines():
        if "==" in line:
            assert line.split("==")[1] in text


def test_reports_list_accepted_findings_with_reasons_and_no_timings():
    accepted = {"id": "CKV_X_1", "resource": "aws_s3_bucket.store", "file": "/store.tf",
                "reason": "documented trade-off", "name": "n"}
    report = ValidationReport(passed=True, checks=[
        CheckResult(name="checkov_terraform", passed=True, seconds=4.2, details="passed 3",
                    summary={"accepted": [accepted], "failed_checks": []}),
        CheckResult(name="pytest", passed=True, seconds=9.9, summary={"venv_built": True}),
    ])
    text = iac_text(report)
    assert "- CKV_X_1 aws_s3_bucket.store (/store.tf): documented trade-off" in text
    assert "Failed findings (0):" in text
    stable = stable_json(report)
    assert "4.2" not in stable and "venv_built" not in stable


def test_tools_started_at_low_priority_run_niced_and_others_do_not(tmp_path):
    def niceness() -> int:
        run = run_tool([sys.executable, "-c", "import os; print(os.nice(0))"], cwd=tmp_path, timeout_s=30)
        return int(run.stdout)

    normal = niceness()
    assert at_low_priority(niceness) == min(normal + 10, 19)
    assert niceness() == normal  # the thread's priority is restored afterwards

