"""checkov over Terraform, GitHub Actions, the Dockerfile and secrets, in one offline run.

Findings suppressed in the source with ``#checkov:skip=ID:reason`` are *accepted*: they are
listed with their reason in reports/iac_validation.txt. Any other failed check, or a file
checkov could not parse, fails the framework's check.
"""

from __future__ import annotations

import json
from pathlib import Path

from .base import CheckResult, clean_env, run_tool, tool_path

FRAMEWORKS = ("terraform", "github_actions", "dockerfile", "secrets")


def _finding(item: dict) -> dict:
    return {"id": item["check_id"], "name": item.get("check_name", ""),
            "resource": item.get("resource", ""), "file": item.get("file_path", ""),
            "reason": (item.get("check_result") or {}).get("suppress_comment") or ""}


def _framework_result(framework: str, report: dict | None) -> CheckResult:
    name = f"checkov_{framework}"
    if report is None:
        return CheckResult(name=name, passed=True, details="no files of this kind, or no findings",
                           summary={"passed": 0, "failed": 0, "skipped": 0, "accepted": [],
                                    "failed_checks": [], "parsing_errors": []})
    results = report.get("results", {})
    failed = sorted((_finding(i) for i in results.get("failed_checks", [])),
                    key=lambda f: (f["file"], f["id"], f["resource"]))
    accepted = sorted((_finding(i) for i in results.get("skipped_checks", [])),
                      key=lambda f: (f["file"], f["id"], f["resource"]))
    parsing = sorted(results.get("parsing_errors", []))
    counts = report.get("summary", {})
    details = (f"passed {counts.get('passed', 0)}, failed {len(failed)}, "
               f"accepted {len(accepted)}, parsing errors {len(parsing)}")
    return CheckResult(
        name=name, passed=not failed and not parsing, details=details,
        summary={"passed": counts.get("passed", 0), "failed": len(failed),
                 "skipped": len(accepted), "accepted": accepted, "failed_checks": failed,
                 "parsing_errors": parsing},
    )


def check_checkov(root: Path, timeout_s: float) -> list[CheckResult]:
    """One CheckResult per framework (``checkov_terraform``, ...)."""
    checkov = tool_path("checkov")
    if checkov is None:
        return [CheckResult(name=f"checkov_{fw}", passed=False, details="checkov is not installed")
                for fw in FRAMEWORKS]
    cmd = [checkov, "-d", ".", "--framework", *FRAMEWORKS, "--skip-download", "-o", "json",
           "--skip-path", r"\.venv", "--skip-path", "reports"]
    run = run_tool(cmd, cwd=root, timeout_s=timeout_s, env=clean_env(BC_SKIP_MAPPING="TRUE"))
    if run.timed_out or not run.stdout.strip().startswith(("[", "{")):
        why = f"timed out after {timeout_s}s" if run.timed_out else run.stderr.strip()[-500:]
        return [CheckResult(name=f"checkov_{fw}", passed=False, details=f"checkov did not run: {why}")
                for fw in FRAMEWORKS]
    data = json.loads(run.stdout)
    reports = data if isinstance(data, list) else [data]
    by_type = {r.get("check_type"): r for r in reports if isinstance(r, dict) and "check_type" in r}
    return [_framework_result(fw, by_type.get(fw)) for fw in FRAMEWORKS]
