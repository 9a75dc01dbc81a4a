"""zizmor (offline, pedantic persona) on .github/workflows; checkov's github_actions
framework runs in :mod:`checkov_check`. actionlint cannot be installed here (its sdist
downloads a binary at build time)."""

from __future__ import annotations

import json
from pathlib import Path

from .base import CheckResult, missing_tool, run_tool, tool_path


def check_zizmor(root: Path, timeout_s: float) -> CheckResult:
    if not (root / ".github" / "workflows").is_dir():
        return CheckResult(name="zizmor", passed=False, details="no .github/workflows directory")
    zizmor = tool_path("zizmor")
    if zizmor is None:
        return missing_tool("zizmor", "zizmor")
    run = run_tool([zizmor, "--offline", "--persona", "pedantic", "--format", "json",
                    "--no-exit-codes", ".github/workflows"], cwd=root, timeout_s=timeout_s)
    if run.timed_out:
        return CheckResult(name="zizmor", passed=False, details=f"timed out after {timeout_s}s")
    try:
        findings = json.loads(run.stdout or "[]")
    except json.JSONDecodeError:
        return CheckResult(name="zizmor", passed=False,
                           details=f"unreadable zizmor output: {run.stderr.strip()[-300:]}")
    lines = sorted(f"{f.get('ident', '?')}: {f.get('desc', '')}" for f in findings)
    return CheckResult(name="zizmor", passed=not findings,
                       details="\n".join(lines) or "no findings (offline, pedantic persona)",
                       summary={"findings": len(findings)})
