"""Scan every file of the repository for credentials (cloud keys, tokens, private keys)."""

from __future__ import annotations

from pathlib import Path

from ..secrets import scan_text
from .base import CheckResult

SKIP_DIRS = frozenset({".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache"})


def iter_files(root: Path):
    for path in sorted(root.rglob("*")):
        if path.is_file() and not SKIP_DIRS.intersection(path.relative_to(root).parts):
            yield path


def check_secrets(root: Path) -> CheckResult:
    findings = []
    scanned = 0
    for path in iter_files(root):
        try:
            text = path.read_text()
        except UnicodeDecodeError:
            continue  # binary files: checkov's secrets framework covers entropy in them
        scanned += 1
        findings.extend(scan_text(str(path.relative_to(root)), text))
    # Never print the matched value: the report itself must stay clean.
    lines = [f"{f.path}:{f.line}: {f.kind}" for f in findings]
    return CheckResult(name="secret_scan", passed=not findings,
                       details="\n".join(lines) or f"{scanned} files scanned, no credential found",
                       summary={"files": scanned, "findings": len(findings)})
