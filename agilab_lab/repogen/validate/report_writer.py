"""Write the validation results into ``reports/`` as text and JSON.

Files hold no timings and no absolute paths, so re-validating an unchanged repository
rewrites them byte for byte (the zip of a decision set stays reproducible).
"""

from __future__ import annotations

from pathlib import Path

from ..reports import dump_json
from .base import CheckResult, ValidationReport

VALIDATION_REPORTS = ("iac_validation.txt", "lint_summary.txt", "test_summary.txt",
                      "sbom.cdx.json", "validation.json")
VOLATILE_SUMMARY_KEYS = ("venv_built", "cached")


def _status(check: CheckResult | None) -> str:
    if check is None:
        return "not run"
    if check.skipped:
        return "skipped"
    return "passed" if check.passed else "FAILED"


def _line(report: ValidationReport, name: str, label: str) -> str:
    check = report.check(name)
    details = check.details.splitlines()[0] if check and check.details else ""
    return f"{label}: {_status(check)}" + (f" ({details})" if details else "")


def _findings(report: ValidationReport, names: list[str], key: str) -> list[str]:
    lines = []
    for name in names:
        check = report.check(name)
        for item in (check.summary.get(key, []) if check else []):
            reason = f": {item['reason']}" if item.get("reason") else ""
            lines.append(f"- {item['id']} {item['resource']} ({item['file']}){reason}")
    return lines


def iac_text(report: ValidationReport) -> str:
    checkov = ["checkov_terraform", "checkov_dockerfile", "checkov_secrets"]
    lines = ["# Infrastructure-as-code validation (offline: no cloud, no deploy)", "",
             _line(report, "hcl2", "python-hcl2 parse"),
             _line(report, "terraform_references", "references resolve, no unused variable"),
             _line(report, "terraform_fmt", "terraform fmt -check"),
             _line(report, "terraform_init", "terraform init (offline provider mirror)"),
             _line(report, "terraform_validate", "terraform validate"),
             _line(report, "terraform_plan", "terraform plan (example.tfvars, fake credentials)"),
             _line(report, "terraform_apply_emulator", "terraform apply + destroy (AWS emulator)"),
             _line(report, "hadolint", "hadolint (Dockerfiles)"),
             _line(report, "iam_least_privilege", "least-privilege IAM (own checks + parliament)"),
             _line(report, "image_delivery", "service images built, pushed and pullable"),
             _line(report, "consistency", "consistency with the approved plan")]
    lines += [_line(report, name, name.replace("_", " ", 1)) for name in checkov]
    lines += _deploy_lines(report)
    accepted = _findings(report, checkov, "accepted")
    failed = _findings(report, checkov, "failed_checks")
    lines += ["", f"Accepted findings ({len(accepted)}), suppressed in the source with a reason:"]
    lines += accepted or ["- none"]
    lines += ["", f"Failed findings ({len(failed)}):"] + (failed or ["- none"])
    drift = report.check("consistency")
    if drift and drift.summary.get("problems"):
        lines += ["", "Drift from the approved plan:"]
        lines += [f"- {problem}" for problem in drift.summary["problems"]]
    return "\n".join(lines) + "\n"


def _deploy_lines(report: ValidationReport) -> list[str]:
    apply = report.check("terraform_apply_emulator")
    if apply is None or apply.skipped or "planned" not in apply.summary:
        return []
    summary = apply.summary
    lines = ["", f"Deployability on the emulator: {summary['created']} of {summary['planned']} "
             "planned resources created, then destroyed"]
    lines += [f"- not emulated: {address}" for address in summary.get("not_emulated", [])]
    lines += [f"- created but not destroyed (moto cannot delete it): {address}"
              for address in summary.get("not_destroyed", [])]
    lines += [f"- applied with {name} = {swap}" for name, swap in
              sorted(summary.get("substituted", {}).items())]
    return lines


def lint_text(report: ValidationReport) -> str:
    lines = ["# Lint", "", _line(report, "ruff", "ruff check"),
             _line(report, "zizmor", "zizmor --offline (workflows)"),
             _line(report, "checkov_github_actions", "checkov github_actions (workflows)"),
             _line(report, "secret_scan", "secret scan")]
    for name in ("ruff", "zizmor", "secret_scan"):
        check = report.check(name)
        if check and not check.passed:
            lines += ["", f"## {name}", check.details]
    lines += [""] + _findings(report, ["checkov_github_actions"], "failed_checks")
    return "\n".join(lines).rstrip() + "\n"


def test_text(report: ValidationReport) -> str:
    check = report.check("pytest")
    if check is None:
        return "# Tests\n\nnot run\n"
    summary = check.summary
    lines = ["# Tests (pytest in an isolated venv with the repository's exact pins)", "",
             f"result: {_status(check)}", check.details.splitlines()[0] if check.details else ""]
    if summary.get("venv"):
        lines.append(f"venv: cache key {summary['venv']}")
    lines += [f"- failing: {name}" for name in summary.get("failing", [])]
    return "\n".join(line for line in lines if line is not None) + "\n"


def stable_json(report: ValidationReport) -> str:
    checks = []
    for check in report.checks:
        summary = {k: v for k, v in check.summary.items() if k not in VOLATILE_SUMMARY_KEYS}
        checks.append({"name": check.name, "passed": check.passed, "skipped": check.skipped,
                       "details": check.details, "summary": summary})
    return dump_json({"passed": report.passed, "checks": checks})


def write_reports(root: Path, report: ValidationReport, sbom_text: str | None) -> Path:
    """Write reports/*.txt|json under ``root``; returns the reports directory."""
    out = root / "reports"
    out.mkdir(parents=True, exist_ok=True)
    (out / "iac_validation.txt").write_text(iac_text(report))
    (out / "lint_summary.txt").write_text(lint_text(report))
    (out / "test_summary.txt").write_text(test_text(report))
    if sbom_text is not None:
        (out / "sbom.cdx.json").write_text(sbom_text)
    (out / "validation.json").write_text(stable_json(report))
    return out
