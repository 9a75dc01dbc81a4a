"""Compare two decision sets: plan changes, monthly cost delta and, once both versions were
generated, the per-file diffs from the project's git history (``store.gitrepo``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..store.gitrepo import ProjectRepo, VersionNotFoundError, version_diff
from ..store.models import DecisionSet


def _monthly(ds: DecisionSet) -> float | None:
    return ((ds.critics or {}).get("cost") or {}).get("monthly_usd")


def _file_diffs(old: DecisionSet, new: DecisionSet, home: Path) -> list[dict[str, str]] | None:
    """Per-file diffs of the generated repositories, or None when a side was never generated."""
    if old.project_id != new.project_id or not (old.zip_path and new.zip_path):
        return None
    try:
        return ProjectRepo(home, new.project_id).file_diffs(old.version, new.version)
    except VersionNotFoundError:
        return None


def diff_decision_sets(old: DecisionSet, new: DecisionSet, home: Path) -> dict[str, Any]:
    """The ``diff --json`` object of DESIGN.md for two decision sets (plus ``files_compared``)."""
    files = _file_diffs(old, new, home)
    result = version_diff(old.id, new.id, files or [], (old.plan or {}, new.plan or {}), (_monthly(old), _monthly(new)))
    return {**result, "files_compared": files is not None}
