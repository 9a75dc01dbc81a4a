"""The offline extractor on the evals' samples and on a varied set of other requirement texts."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from agilab_lab.agents.extract import extract_constraints

from .extract_cases import CASES
from .grading import grade

EVALS = Path("/work/shared/evals")


def _grade():
    """The evals' own grader, so both suites judge by exactly the same rules."""
    spec = importlib.util.spec_from_file_location("evals_check", EVALS / "check.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.grade


needs_evals = pytest.mark.skipif(not (EVALS / "check.py").exists(), reason="shared evals not present")


@needs_evals
@pytest.mark.parametrize("name", sorted(p.stem for p in EVALS.glob("*.md") if p.stem != "README"))
def test_eval_sample_constraints_grade_clean(name):
    expected = json.loads((EVALS / f"{name}.expected.json").read_text())
    constraints = extract_constraints((EVALS / f"{name}.md").read_text())
    assert _grade()({"constraints": expected["constraints"]}, {"constraints": constraints.model_dump()}) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_varied_requirement_texts(name):
    text, expected = CASES[name]
    constraints = extract_constraints(text).model_dump()
    assert grade(expected, constraints) == [], json.dumps(constraints, indent=1)


@needs_evals
def test_the_local_grammar_grades_like_the_evals_checker():
    checker = _grade()
    for text, expected in CASES.values():
        wrong = {**extract_constraints(text).model_dump(), "cloud": "nowhere", "regions": []}
        assert checker(expected, wrong) == grade(expected, wrong)
