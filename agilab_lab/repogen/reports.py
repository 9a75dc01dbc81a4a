"""Report files of a generated repository (``reports/``).

Generation writes what the decision set knows (policy, cost, plan); validation writes what
the checks found. Report contents hold no timings or random ids, so the same decision set
and the same check results give byte-identical files (timings live in the returned
:class:`~agilab_lab.repogen.validate.base.ValidationReport`).
"""

from __future__ import annotations

import json

from agilab_lab.agents.types import RepoSpec

REPORTS_DIR = "reports"


def dump_json(value) -> str:
    """Stable JSON: sorted keys, two-space indent, final newline."""
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def plan_summary(spec: RepoSpec, implementation: list[dict] | None = None) -> dict:
    """The part of the plan that diffs between versions compare (reports/plan.json).

    With ``implementation`` (see :mod:`agilab_lab.repogen.implementation`), each component
    also names its priced sizing and the files and Terraform variables that implement it:
    the ``consistency`` gate checks the repository against exactly this.
    """
    summary = {
        "cloud": spec.plan.cloud,
        "region": spec.plan.region,
        "regions": spec.plan.regions,
        "workloads": spec.plan.workloads,
        "components": [
            {"capability": c.capability, "service": c.service, "option_id": c.option_id,
             "provider": c.provider, "terraform_kind": c.terraform_kind,
             "monthly_usd": round(c.monthly_usd, 2)}
            for c in spec.plan.components
        ],
    }
    for component, extra in zip(summary["components"], implementation or [], strict=False):
        component.update({k: v for k, v in extra.items() if k not in component})
    return summary


def policy_markdown(spec: RepoSpec) -> str:
    policy = spec.policy
    lines = [f"# Policy report: {spec.project_name} v{spec.version}", "",
             f"Result: **{'passed' if policy.passed else 'failed'}**", ""]
    if policy.checked:
        lines += ["Rules checked:", ""] + [f"- `{rule}`" for rule in policy.checked] + [""]
    if policy.violations:
        lines += ["| severity | rule | message |", "|---|---|---|"]
        lines += [f"| {v.severity} | `{v.rule}` | {v.message.replace('|', '/')} |"
                  for v in policy.violations]
    else:
        lines.append("No violations.")
    return "\n".join(lines) + "\n"


def generation_reports(spec: RepoSpec, implementation: list[dict] | None = None
                       ) -> dict[str, str]:
    """reports/ files known at generation time (before any check ran)."""
    return {
        f"{REPORTS_DIR}/policy_report.md": policy_markdown(spec),
        f"{REPORTS_DIR}/policy_report.json": dump_json(spec.policy.model_dump(mode="json")),
        f"{REPORTS_DIR}/cost_estimate.json": dump_json(spec.cost.model_dump(mode="json")),
        f"{REPORTS_DIR}/plan.json": dump_json(plan_summary(spec, implementation)),
    }
