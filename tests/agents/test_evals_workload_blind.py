"""The blind half of the workload evals (tests/agents/evals_workload_blind): written together with
tests/agents/evals_workload, before the code, and kept aside (not run) until that code was done,
so its first score measures how the designer does on texts it was not tuned on. Graded as the
visible half is (tests/agents/test_evals_workload.py)."""

from __future__ import annotations

import pytest

from .test_evals_workload import HERE, case, run_design, samples

BLIND = HERE / "evals_workload_blind"
# cases graded correctly that the designer does not meet yet: name -> why
# First run (before any fix): 17 of 20 samples passed; iot_devices ("N devices, each sending...")
# and selfhosted_llama ("Llama 3 70B") were fixed after it, the gap below remains.
GAPS: dict[str, str] = {
    "us_only_hosting_violation": (
        "'Churn prediction' names no workload the extractor knows (no latency, cadence or batch words), so "
        "the design waits for input instead of reaching the policy that would reject EU data in us-east-1"
    ),
}


def test_the_blind_half_is_as_large_as_the_visible_one():
    assert len(samples(BLIND)) >= 20


@pytest.mark.parametrize("name", [case(name, GAPS) for name in samples(BLIND)])
def test_workload_blind_sample(designer, name):
    assert run_design(designer, BLIND, name) == []
