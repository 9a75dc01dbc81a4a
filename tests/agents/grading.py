"""The evals' own grader (tests/agents/evals/check.py, a copy of ../shared/evals/check.py kept so
the tests run without the shared directory): one implementation of the expectation grammar."""

from __future__ import annotations

import importlib.util
from pathlib import Path

CHECK = Path(__file__).parent / "evals" / "check.py"
# keys of an expected file that judge the whole design run rather than the constraints
RUN_KEYS = ("status", "status_in", "policy")


def _load_grade():
    spec = importlib.util.spec_from_file_location("evals_check", CHECK)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.grade


grade = _load_grade()


def design_result(designer, name: str, text: str) -> dict:
    """What `design --auto-approve --json` reports, from an in-process design of ``text``."""
    ds = designer.design(designer.create_project(name).id, text=text, auto_approve=True)
    return {"status": ds.status, "policy": ds.policy, "constraints": ds.constraints}
