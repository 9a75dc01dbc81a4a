"""python-hcl2 parse of every Terraform file (checkov exits 0 on broken HCL, so parse too)."""

from __future__ import annotations

from pathlib import Path

from .base import CheckResult, missing_tool


def check_hcl2(root: Path) -> CheckResult:
    try:
        import hcl2  # the optional "validate" extra
    except ImportError:
        return missing_tool("hcl2", "python-hcl2")
    files = sorted(root.glob("infra/terraform/**/*.tf"))
    if not files:
        return CheckResult(name="hcl2", passed=False, details="no Terraform files found")
    errors = []
    for path in files:
        try:
            hcl2.loads(path.read_text())
        except Exception as exc:  # the parser raises several unrelated types
            errors.append(f"{path.relative_to(root)}: {str(exc).splitlines()[0]}")
    details = "\n".join(errors) or f"{len(files)} files parsed"
    return CheckResult(name="hcl2", passed=not errors, details=details,
                       summary={"files": len(files), "errors": len(errors)})
