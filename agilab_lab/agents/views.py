"""JSON views of designer records: the REST bodies and the ``design --json`` object (DESIGN.md)."""

from __future__ import annotations

from typing import Any

from ..store.models import DecisionSet, Project


def project_view(project: Project) -> dict[str, Any]:
    return {"id": project.id, "name": project.name, "description": project.description,
            "created_at": project.created_at.isoformat(), "updated_at": project.updated_at.isoformat()}


def decision_set_view(ds: DecisionSet, *, full: bool = True) -> dict[str, Any]:
    """A decision set; ``lock_version`` is what ``approve`` expects back as ``version``."""
    view = {"id": ds.id, "project_id": ds.project_id, "parent_id": ds.parent_id, "version": ds.version,
            "status": ds.status, "lock_version": ds.lock_version, "error": ds.error,
            "monthly_usd": (ds.critics or {}).get("cost", {}).get("monthly_usd"),
            "created_at": ds.created_at.isoformat(), "updated_at": ds.updated_at.isoformat()}
    if full:
        view.update(requirements_text=ds.requirements_text, constraints=ds.constraints or None, plan=ds.plan or None, policy=ds.policy or None,
                    critics=ds.critics or None, sections=ds.sections or [], summary_md=ds.summary_md,
                    validation=ds.validation or None, zip=ds.zip_path, zip_sha256=ds.zip_sha256,
                    open_questions=(ds.constraints or {}).get("open_questions", []),
                    infeasible=ds.infeasible, approval=ds.approval, assumptions=ds.assumptions or [],
                    waiting_for=ds.waiting_for, rounds=ds.rounds or [], revision_of=ds.revision_of)
    return view


def design_output(ds: DecisionSet) -> dict[str, Any]:
    """Exactly the object ``agilab-lab design --json`` prints (DESIGN.md)."""
    plan = ds.plan or None
    policy = ds.policy or None
    return {
        "project_id": ds.project_id,
        "decision_set_id": ds.id,
        "version": ds.version,
        "status": ds.status,
        "constraints": ds.constraints or None,
        "plan": plan,
        "policy": {"passed": policy["passed"], "violations": policy["violations"]} if policy else None,
        "critics": ds.critics or None,
        "zip": ds.zip_path,
        "validation": ds.validation or None,
    }
