"""``iam_least_privilege``: every role, service account and identity of the generated stack has
the permissions its component needs, scoped to the stack's resources, and nothing more.

AWS: :mod:`iam_aws` (own checks + parliament). GCP and Azure: :mod:`iam_gcp_azure`.
"""

from __future__ import annotations

from pathlib import Path

from .base import CheckResult, missing_tool


def check_iam(root: Path) -> CheckResult:
    try:
        import hcl2  # noqa: F401  (validate extra)
        import parliament  # noqa: F401
    except ImportError as exc:
        return missing_tool("iam_least_privilege", exc.name or "python-hcl2 / parliament")
    from .iam_aws import aws_findings
    from .iam_gcp_azure import azure_findings, gcp_findings

    checkers = {"aws": aws_findings, "gcp": gcp_findings, "azure": azure_findings}
    findings: list[str] = []
    summary: dict = {}
    stacks = 0
    for cloud, checker in checkers.items():
        tf_dir = root / "infra" / "terraform" / cloud
        if tf_dir.is_dir():
            stacks += 1
            found, counts = checker(tf_dir)
            findings += found
            summary[cloud] = counts
    if not stacks:
        return CheckResult(name="iam_least_privilege", passed=False,
                           details="no Terraform stack under infra/terraform")
    summary["findings"] = len(findings)
    details = "\n".join(findings) or "every identity has scoped permissions; no wildcard"
    return CheckResult(name="iam_least_privilege", passed=not findings, details=details,
                       summary=summary)
