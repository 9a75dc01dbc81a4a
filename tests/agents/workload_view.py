"""What the workload eval sets (evals_workload*) judge beyond the constraints: a flat view of the
plan, its cost lines, latency path and critic findings, in shapes the evals' grader compares
(lists of lower-case strings, numbers)."""

from __future__ import annotations

from typing import Any

from agilab_lab.agents.catalogue import default_catalogue


def plan_view(ds) -> dict[str, Any]:
    """Capabilities, GPU capabilities, tools, cost lines, latency path, jobs over their window,
    findings ("kind:subject") and data populations ("name:region") of a settled decision set."""
    plan, critics, constraints = ds.plan or {}, ds.critics or {}, ds.constraints or {}
    components = plan.get("components", [])
    catalogue = default_catalogue()
    technical = critics.get("technical") or {}
    findings = technical.get("findings", []) + (critics.get("cost") or {}).get("findings", [])
    path = (technical.get("latency_budget") or {}).get("components", [])
    tools = {t for c in components for t in _tools(catalogue, c["option_id"])}
    return {
        "capabilities": [c["capability"] for c in components],
        "gpu": [c["capability"] for c in components if (c.get("sizing") or {}).get("accelerator") == "gpu"],
        "tools": sorted(tools),
        "cost_lines": [line["capability"] for line in (critics.get("cost") or {}).get("breakdown", [])],
        "latency_path": [c["capability"] for c in path],
        "jobs_over_window": sum(1 for c in components if _over_window(c.get("sizing") or {})),
        "findings": [f"{f['kind']}:{f.get('subject') or f.get('capability') or ''}" for f in findings],
        "populations": [f"{p['name']}:{r}" for p in constraints.get("populations", []) for r in p.get("regions", [])],
    }


def _tools(catalogue, option_id: str) -> list[str]:
    try:
        return catalogue.get(option_id).tools
    except KeyError:
        return []


def _over_window(sizing: dict) -> bool:
    run, window = sizing.get("run_hours"), sizing.get("window_hours")
    return run is not None and window is not None and run > window
