"""``terraform fmt -check`` when a terraform binary is on PATH (it cannot be installed here)."""

from __future__ import annotations

from pathlib import Path

from .base import CheckResult, clean_env, run_tool, tool_path


def check_terraform_fmt(root: Path, timeout_s: float) -> CheckResult:
    terraform = tool_path("terraform")
    if terraform is None:
        return CheckResult(name="terraform_fmt", passed=True, skipped=True,
                           details="not run: no terraform binary on PATH (format not checked)")
    run = run_tool([terraform, "fmt", "-check", "-diff", "-recursive", "infra/terraform"],
                   cwd=root, timeout_s=timeout_s,
                   env=clean_env(TF_CLI_CONFIG_FILE="/dev/null", CHECKPOINT_DISABLE="1"))
    if run.timed_out:
        return CheckResult(name="terraform_fmt", passed=False,
                           details=f"timed out after {timeout_s}s")
    details = run.stdout.strip() or "all files formatted"
    return CheckResult(name="terraform_fmt", passed=run.returncode == 0, details=details)
