"""Validation of a generated repository: static checks plus, for AWS stacks, offline
Terraform init/validate/plan and an apply + destroy against a local emulator (no cloud).

``validate(path_or_zip)`` runs every checker (in parallel threads, each subprocess with a
time limit), writes ``reports/`` and returns a :class:`ValidationReport`. A zip is extracted
to a temporary directory first and its reports are written next to it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from ..zipper import extract_zip
from .base import CheckResult, ValidationReport, at_low_priority, timed
from .checkov_check import check_checkov
from .consistency import check_consistency
from .hadolint_check import check_hadolint
from .hcl_parse import check_hcl2
from .iam_check import check_iam
from .images import check_image_delivery
from .pytest_venv import check_pytest
from .references import check_references
from .report_writer import VALIDATION_REPORTS, write_reports
from .ruff_check import check_ruff
from .sbom import build_sbom
from .secret_scan import check_secrets
from .terraform_deploy import CHECKS as DEPLOY_CHECKS
from .terraform_deploy import check_terraform_deploy, deploy_pending
from .terraform_fmt import check_terraform_fmt
from .workflow_lint import check_zizmor

__all__ = ["CheckResult", "StepCallback", "ValidationReport", "VALIDATION_REPORTS", "default_cache_dir",
           "validate", "validate_dir"]

CHECK_ORDER = ("ruff", "pytest", "hcl2", "terraform_references", "terraform_fmt", *DEPLOY_CHECKS,
               "iam_least_privilege", "image_delivery", "checkov_terraform",
               "checkov_github_actions", "checkov_dockerfile", "checkov_secrets", "hadolint",
               "zizmor", "secret_scan", "sbom", "consistency")


def default_cache_dir() -> Path:
    """``<home>/cache/venvs`` for the configured agilab-lab home."""
    home = os.environ.get("AGILAB_LAB_HOME") or str(Path.home() / ".agilab-lab")
    return Path(home).expanduser() / "cache" / "venvs"


#: Called from the checker threads with ``{"name", "state": "started"}`` when a check starts and
#: ``{"name", "state": "finished", "passed", "seconds"}`` when it ends (progress for the Lab).
StepCallback = Callable[[dict[str, Any]], None]


def _reporting(on_step: StepCallback | None, name: str, run: Callable[[], Any]) -> Any:
    """Run one checker (``run`` returns a CheckResult or a list of them), reporting its steps."""
    if on_step:
        on_step({"name": name, "state": "started"})
    outcome = run()
    if on_step:
        for result in outcome if isinstance(outcome, list) else [outcome]:
            on_step({"name": result.name, "state": "finished", "passed": result.passed,
                     "seconds": result.seconds, "skipped": result.skipped})
    return outcome


def validate_dir(root: Path, *, timeout_s: float = 300.0, cache_dir: Path | None = None,
                 write: bool = True, on_step: StepCallback | None = None,
                 deploy: bool = True) -> ValidationReport:
    """Run every checker on the repository at ``root`` and (by default) write its reports.

    ``deploy=False`` reports the Terraform init/validate/plan/emulator-apply gates of an AWS
    stack as skipped (the suite runs them on a representative subset of its render matrix).
    Their results are cached under ``<cache_dir>/../terraform`` by the stack's content hash.
    """
    root = Path(root).resolve()
    if not root.is_dir():
        raise FileNotFoundError(f"not a directory: {root}")
    cache_dir = cache_dir or default_cache_dir()
    sbom_text: list[str | None] = [None]

    def sbom() -> CheckResult:
        result, sbom_text[0] = build_sbom(root, timeout_s)
        return result

    # While terraform deploys a new AWS stack (the critical path, mostly waiting on the provider),
    # the static checks run at a lower CPU priority so that they fill the idle time instead of
    # slowing it down.
    tf_cache = cache_dir.parent / "terraform"
    background = deploy and deploy_pending(root, tf_cache)

    def submit(name: str, run: Callable[[], Any]):
        return pool.submit(_reporting, on_step, name,
                           partial(at_low_priority, run) if background else run)

    def step(name: str, func, *args):
        return submit(name, partial(timed, name, func, *args))

    with ThreadPoolExecutor(max_workers=4) as pool:
        # The two slow ones first so they overlap with everything else.
        pytest_f = step("pytest", check_pytest, root, cache_dir, timeout_s)
        checkov_f = submit("checkov", partial(_timed_checkov, root, timeout_s))
        deploy_f = pool.submit(_reporting, on_step, "terraform", partial(
            _deploy, root, timeout_s, tf_cache, deploy))
        others = [step(name, func, *args) for name, func, args in (
            ("ruff", check_ruff, (root, timeout_s)), ("hcl2", check_hcl2, (root,)),
            ("terraform_references", check_references, (root,)),
            ("terraform_fmt", check_terraform_fmt, (root, timeout_s)),
            ("zizmor", check_zizmor, (root, timeout_s)), ("secret_scan", check_secrets, (root,)),
            ("hadolint", check_hadolint, (root, timeout_s)),
            ("iam_least_privilege", check_iam, (root,)),
            ("image_delivery", check_image_delivery, (root,)),
            ("sbom", sbom, ()), ("consistency", check_consistency, (root,)))]
        results = [pytest_f.result(), *checkov_f.result(), *deploy_f.result(),
                   *(f.result() for f in others)]
    results.sort(key=lambda c: CHECK_ORDER.index(c.name) if c.name in CHECK_ORDER else 99)
    report = ValidationReport(passed=all(c.passed for c in results), checks=results)
    if write:
        report.reports_dir = str(write_reports(root, report, sbom_text[0]))
    return report


def _deploy(root: Path, timeout_s: float, tf_cache: Path, enabled: bool) -> list[CheckResult]:
    if not enabled and (root / "infra" / "terraform" / "aws").is_dir():
        return [CheckResult(name=name, passed=True, skipped=True,
                            details="not run here: `agilab-lab validate` runs the deployability gates")
                for name in DEPLOY_CHECKS]
    try:
        return check_terraform_deploy(root, timeout_s, tf_cache)
    except Exception as exc:  # a gate bug must fail the gates, not vanish
        return [CheckResult(name=name, passed=False, details=f"checker error: {exc!r}")
                for name in DEPLOY_CHECKS]


def _timed_checkov(root: Path, timeout_s: float) -> list[CheckResult]:
    start = time.perf_counter()
    results = check_checkov(root, timeout_s)
    share = round((time.perf_counter() - start) / len(results), 3)
    for result in results:
        result.seconds = share  # one checkov process serves all four frameworks
    return results


def validate(path_or_zip: str | Path, *, timeout_s: float = 300.0,
             cache_dir: Path | None = None) -> ValidationReport:
    """Validate a repository directory or zip; a zip's reports go to ``<zip stem>-reports/``."""
    path = Path(path_or_zip)
    if path.is_dir():
        return validate_dir(path, timeout_s=timeout_s, cache_dir=cache_dir)
    if not path.is_file():
        raise FileNotFoundError(f"no such file or directory: {path}")
    with tempfile.TemporaryDirectory(prefix="agilab-validate-") as scratch:
        root = Path(scratch) / "repo"
        extract_zip(path, root)
        report = validate_dir(root, timeout_s=timeout_s, cache_dir=cache_dir)
        target = path.with_name(f"{path.stem}-reports")
        shutil.rmtree(target, ignore_errors=True)
        shutil.copytree(root / "reports", target)
        report.reports_dir = str(target)
    return report
