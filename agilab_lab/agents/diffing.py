"""Compare two decision sets: plan changes, monthly cost delta and, once both versions were
generated, the per-file diffs from the project's git history (``store.gitrepo``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..store.gitrepo import ProjectRepo, VersionNotFoundError, plan_changes
from ..store.models import DecisionSet


def _monthly(ds: DecisionSet) -> float:
    return float(((ds.critics or {}).get("cost") or {}).get("monthly_usd") or 0.0)


def _file_diffs(old: DecisionSet, new: DecisionSet, home: Path) -> list[dict[str, str]] | None:
    """Per-file diffs of the generated repositories, or None when a side was never generated."""
    if old.project_id != new.project_id or not (old.zip_path and new.zip_path):
        return None
    try:
        return ProjectRepo(home, new.project_id).diff(old.version, new.version)["files"]
    except VersionNotFoundError:
        return None


def diff_decision_sets(old: DecisionSet, new: DecisionSet, home: Path) -> dict[str, Any]:
    """The ``diff --json`` object of DESIGN.md for two decision sets (plus ``files_compared``)."""
    a, b = _monthly(old), _monthly(new)
    files = _file_diffs(old, new, home)
    return {"from": old.id, "to": new.id, "files": files or [], "files_compared": files is not None,
            "plan_changes": plan_changes(old.plan or {}, new.plan or {}),
            "cost_delta_usd": round(b - a, 2), "cost_delta_pct": round((b - a) / a * 100, 2) if a else 0.0}
