"""The generated repositories' own gates: their pytest in a venv, ruff, hcl2, checkov, zizmor.

Three representative combinations always run. The rest of the matrix runs when
``AGILAB_FULL_MATRIX=1`` (scripts/test.sh sets it); otherwise each is reported as skipped
with that reason, never dropped silently.
"""

from __future__ import annotations

import json
import os
import zipfile

import pytest

from agilab_lab.repogen import generate, generate_and_validate, validate
from agilab_lab.repogen.build import write_tree
from agilab_lab.repogen.validate import validate_dir

from .plans import CLOUDS, FAMILIES, make_spec
from .test_repogen_deploy import DEPLOY_SUBSET

REPRESENTATIVE = {("aws", "realtime"), ("gcp", "batch"), ("azure", "rag")}
FULL = os.environ.get("AGILAB_FULL_MATRIX") == "1"
MATRIX = [(cloud, family) for cloud in CLOUDS for family in FAMILIES]
REPORT_FILES = {"policy_report.md", "policy_report.json", "cost_estimate.json", "plan.json",
                "iac_validation.txt", "lint_summary.txt", "test_summary.txt", "sbom.cdx.json",
                "validation.json"}


@pytest.mark.parametrize("case", MATRIX, ids=[f"{c}-{f}" for c, f in MATRIX])
def test_generated_repo_passes_its_own_gates(case, tmp_path, venv_cache):
    if case not in REPRESENTATIVE and not FULL:
        pytest.skip("full gate matrix runs with AGILAB_FULL_MATRIX=1 (scripts/test.sh)")
    root = write_tree(generate(make_spec(*case)), tmp_path / "repo")
    # The deploy gates run on DEPLOY_SUBSET (cached by content after test_repogen_deploy).
    report = validate_dir(root, cache_dir=venv_cache, deploy=case in DEPLOY_SUBSET)
    failed = {c.name: c.details for c in report.checks if not c.passed}
    assert report.passed, failed
    names = {c.name for c in report.checks}
    assert {"ruff", "pytest", "hcl2", "terraform_references", "checkov_terraform", "checkov_github_actions",
            "checkov_dockerfile", "checkov_secrets", "hadolint", "zizmor", "secret_scan", "sbom",
            "consistency", "terraform_init", "terraform_validate", "terraform_plan",
            "terraform_apply_emulator", "iam_least_privilege", "image_delivery"} <= names
    assert report.check("pytest").summary["tests"] >= 8
    assert {p.name for p in (root / "reports").iterdir()} == REPORT_FILES
    iac = (root / "reports" / "iac_validation.txt").read_text()
    assert "Failed findings (0):" in iac
    # Every accepted checkov finding carries its reason.
    accepted = [line for line in iac.splitlines() if line.startswith("- CKV")]
    assert all("): " in line for line in accepted)


def test_broken_repo_fails_the_right_checks(tmp_path, venv_cache):
    root = write_tree(generate(make_spec("aws", "realtime")), tmp_path / "repo")
    (root / "ml" / "pipelines" / "extra.py").write_text("import os\n")
    (root / "tests" / "unit" / "test_broken.py").write_text("def test_fails():\n    assert 1 == 2\n")
    with (root / "infra" / "terraform" / "aws" / "main.tf").open("a") as handle:
        handle.write('resource "aws_s3_bucket" "broken" {\n')
    workflow = root / ".github" / "workflows" / "ci.yml"
    workflow.write_text(workflow.read_text().replace(
        "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683", "actions/checkout@v4"))
    steps = []
    report = validate_dir(root, cache_dir=venv_cache, on_step=steps.append, deploy=False)
    status = {c.name: c.passed for c in report.checks}
    # Progress: every checker reports its start, every check its end with the report's verdict.
    assert {s["name"] for s in steps if s["state"] == "started"} == {
        "pytest", "checkov", "ruff", "hcl2", "terraform_references", "terraform_fmt", "zizmor",
        "secret_scan", "sbom",
        "consistency", "terraform", "hadolint", "iam_least_privilege", "image_delivery"}
    assert {s["name"]: s["passed"] for s in steps if s["state"] == "finished"} == status
    assert not report.passed
    assert status["ruff"] is False and status["pytest"] is False
    assert status["hcl2"] is False and status["zizmor"] is False
    assert status["terraform_references"] is False  # the broken file does not parse
    assert status["secret_scan"] is True and status["sbom"] is True
    assert status["consistency"] is True  # nothing the plan names was touched
    assert "test_broken" in (root / "reports" / "test_summary.txt").read_text()


@pytest.fixture(scope="module")
def generated(tmp_path_factory, venv_cache):
    """One decision set generated, validated, zipped and committed."""
    home = tmp_path_factory.mktemp("home")
    spec = make_spec("gcp", "batch")
    return spec, home, generate_and_validate(spec, home / "out", cache_dir=venv_cache, home=home)


def test_generate_and_validate_is_reproducible_and_versioned(generated, tmp_path, venv_cache):
    spec, home, (zip_path, sha256, report) = generated
    assert report.passed, [c for c in report.checks if not c.passed]
    again = generate_and_validate(spec, tmp_path, cache_dir=venv_cache)
    assert again[1] == sha256
    with zipfile.ZipFile(zip_path) as archive:
        names = set(archive.namelist())
        validation = json.loads(archive.read("reports/validation.json"))
    assert {f"reports/{name}" for name in REPORT_FILES} <= names
    assert validation["passed"] is True
    assert (home / "projects" / spec.project_id / "repo" / ".git").is_dir()


def test_validate_a_zip_writes_reports_next_to_it(generated, venv_cache):
    zip_path = generated[2][0]
    report = validate(zip_path, cache_dir=venv_cache)
    assert report.passed, [c for c in report.checks if not c.passed]
    reports = zip_path.with_name(f"{zip_path.stem}-reports")
    assert report.reports_dir == str(reports)
    assert (reports / "validation.json").exists()
    with zipfile.ZipFile(zip_path) as archive:  # re-validation reproduces the zipped reports
        assert archive.read("reports/iac_validation.txt") == (reports / "iac_validation.txt").read_bytes()
