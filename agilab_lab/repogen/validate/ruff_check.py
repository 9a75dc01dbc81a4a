"""ruff on the generated Python, with the repository's own configuration."""

from __future__ import annotations

from pathlib import Path

from .base import CheckResult, missing_tool, run_tool, tool_path


def check_ruff(root: Path, timeout_s: float) -> CheckResult:
    ruff = tool_path("ruff")
    if ruff is None:
        return missing_tool("ruff", "ruff")
    run = run_tool([ruff, "check", "--no-cache", "--output-format", "concise", "."],
                   cwd=root, timeout_s=timeout_s)
    if run.timed_out:
        return CheckResult(name="ruff", passed=False, details=f"timed out after {timeout_s}s")
    findings = [line for line in run.stdout.splitlines() if line.strip() and ":" in line
                and not line.startswith("Found")]
    details = run.stdout.strip() or run.stderr.strip() or "All checks passed!"
    return CheckResult(name="ruff", passed=run.returncode == 0, details=details,
                       summary={"findings": len(findings)})
