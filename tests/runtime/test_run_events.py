"""A log-heavy run writes its events in batches: every line, in order, in a few transactions."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("mode", ["local", "pool"])
def test_a_line_per_item_costs_a_few_transactions_and_keeps_the_chain(agi, mode):
    record = agi.run("minimal_app", mode=mode, workers=1, items=300, log_each_item=True)
    assert record.status == "succeeded", record.error
    events = agi.lab.events.since(f"run:{record.id}", limit=2000)
    lines = [e.payload["line"] for e in events if e.kind == "log"]
    assert [line.split()[-2] for line in lines if line.endswith(" done")] == [f"item-{i:03d}" for i in range(300)]
    # One append_many stamps its whole batch with one created_at: few stamps, few transactions.
    assert len({e.created_at for e in events}) <= 12 < len(events)
    assert events[-1].kind == "status" and events[-1].payload["state"] == "succeeded"
    assert agi.lab.events.verify_chain().ok


def test_events_of_a_failed_run_are_all_written(agi):
    record = agi.run("minimal_app", mode="local", items=50, log_each_item=True, fail_on="item-30")
    assert record.status == "failed"
    events = agi.lab.events.since(f"run:{record.id}", limit=2000)
    assert sum(e.kind == "log" and e.payload["line"].endswith(" done") for e in events) == 30
    assert events[-1].payload["state"] == "failed"
