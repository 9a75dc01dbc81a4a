"""The offline extractor, and the designer behind it, on tests/agents/evals_extra: varied
requirement texts (other clouds, units, phrasings, injections, secrets, vague and impossible
asks) written in the style of the shared evals and graded by the evals' own check.py.

Each NAME.md is a requirements text and NAME.expected.json what a careful reader takes from it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from agilab_lab.agents.extract import extract_constraints

from .grading import RUN_KEYS, design_result, grade

EXTRA = Path(__file__).parent / "evals_extra"
SAMPLES = sorted(p.name.removesuffix(".expected.json") for p in EXTRA.glob("*.expected.json"))

def _sample(name: str) -> tuple[str, dict]:
    return (EXTRA / f"{name}.md").read_text(), json.loads((EXTRA / f"{name}.expected.json").read_text())


def test_the_extra_set_is_varied_enough_to_mean_something():
    expected = [_sample(name)[1] for name in SAMPLES]
    clouds = {e["constraints"].get("cloud") for e in expected}
    assert len(SAMPLES) >= 40 and {"aws", "gcp", "azure", None} <= clouds
    assert sum(1 for e in expected if "min_items" in str(e["constraints"].get("open_questions"))) >= 3


@pytest.mark.parametrize("name", SAMPLES)
def test_extractor_reads_the_constraints_a_careful_reader_would(name):
    text, expected = _sample(name)
    result = {"constraints": extract_constraints(text).model_dump()}
    assert grade({"constraints": expected["constraints"]}, result) == []


# design runs are slower: only the samples whose expectation is about the run itself
RUN_SAMPLES = [name for name in SAMPLES if set(RUN_KEYS) & _sample(name)[1].keys()]


@pytest.mark.parametrize("name", RUN_SAMPLES)
def test_design_run_ends_as_expected(designer, name):
    """`design --auto-approve` in process (the repository generator stubbed, it is judged elsewhere)."""
    text, expected = _sample(name)
    assert grade(expected, design_result(designer, name, text)) == []
