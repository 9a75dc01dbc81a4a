"""Config-style spec lines, where the unit sits in the key (`latency_p95_ms: 500`)."""

from __future__ import annotations

import pytest

from agilab_lab.agents.extract import extract_constraints


@pytest.mark.parametrize(
    ("text", "field", "value"),
    [
        ("latency_p95_ms: 500\n", "latency_slo", {"percentile": 95, "ms": 500.0}),
        ("LATENCY_P99_S=1.5\n", "latency_slo", {"percentile": 99, "ms": 1500.0}),
        ('{"peak_qps": 1500, "region": "us-east-1"}', "throughput_rps", 1500.0),
        ("max_rps = 1_200  # peak\n", "throughput_rps", 1200.0),
        ("budget_usd_per_month: 3,000\n", "budget_monthly_usd", 3000.0),
        ("annual-budget: 120000\n", "budget_monthly_usd", 10000.0),
        ("ingest_tb_per_day: 1.5\n", "batch_volume_gb_per_day", 1500.0),
    ],
)
def test_a_unit_in_the_key_reads_like_one_after_the_number(text, field, value):
    constraints = extract_constraints(text)
    assert constraints.model_dump()[field] == value
    assert constraints.evidence[field]  # quoted from the line


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("latency_ms: 100\n", "latency_slo"),  # no percentile: not an SLO a reader could state
        ("budget_eur_per_month: 3000\n", "budget_monthly_usd"),  # other currencies: left to the prose rules
        ("budget_total: 3000\n", "budget_monthly_usd"),  # no period: not a monthly budget
        ("model_version_2: 40\n", "throughput_rps"),
    ],
)
def test_keys_that_do_not_state_the_figure_are_left_alone(text, field):
    assert getattr(extract_constraints(text), field) is None


def test_prose_refusal_with_anything_but_is_one_clause():
    constraints = extract_constraints("Anything but AWS please. We're on Google Cloud, region europe-west1.")
    assert constraints.cloud == "gcp" and "aws" in constraints.tooling_avoid


def test_a_period_word_on_the_next_line_does_not_make_a_figure_a_budget():
    constraints = extract_constraints("peak rps: 40\nmonthly budget (USD): 3000\n")
    assert constraints.throughput_rps == 40 and constraints.budget_monthly_usd != 40
