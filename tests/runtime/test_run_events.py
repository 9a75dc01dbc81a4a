"""A log-heavy run writes its events in batches: every line, in order, in a few transactions."""

from __future__ import annotations

import pytest

from agilab_lab.store.event_buffer import log_lines


@pytest.mark.parametrize("mode", ["local", "pool"])
def test_a_line_per_item_costs_a_few_transactions_and_keeps_the_chain(agi, mode):
    record = agi.run("minimal_app", mode=mode, workers=1, items=300, log_each_item=True)
    assert record.status == "succeeded", record.error
    events = agi.lab.events.since(f"run:{record.id}", limit=2000)
    lines = [line for e in events if e.kind == "log" for line in log_lines(e.payload)]
    assert [line.split()[-2] for line in lines if line.endswith(" done")] == [f"item-{i:03d}" for i in range(300)]
    # One append_many stamps its whole batch with one created_at: few stamps, few transactions;
    # a batch's consecutive lines are one row.
    assert len({e.created_at for e in events}) <= 12
    assert len(events) < 300 // 10
    assert events[-1].kind == "status" and events[-1].payload["state"] == "succeeded"
    assert agi.lab.events.verify_chain().ok


def test_events_of_a_failed_run_are_all_written(agi):
    record = agi.run("minimal_app", mode="local", items=50, log_each_item=True, fail_on="item-30")
    assert record.status == "failed"
    events = agi.lab.events.since(f"run:{record.id}", limit=2000)
    lines = [line for e in events if e.kind == "log" for line in log_lines(e.payload)]
    assert sum(line.endswith(" done") for line in lines) == 30
    assert events[-1].payload["state"] == "failed"


def test_consecutive_lines_of_one_worker_and_stream_become_one_event():
    from agilab_lab.store.event_buffer import coalesce_logs

    def line(worker, text, stream="stderr"):
        return ("o", "run:1", "log", {"worker": worker, "line": text, "stream": stream})

    specs = [line("w0", "a"), line("w0", "b"), line("w1", "c"), line("w1", "d", "stdout"),
             ("o", "run:1", "worker", {"worker": "w0", "state": "finished"}), line("w0", "e"),
             ("o", "run:1", "log", {"worker": "w0", "line": "f", "extra": 1}), line("w0", "g")]
    merged = coalesce_logs(specs)
    assert [(kind, payload) for _, _, kind, payload in merged] == [
        ("log", {"worker": "w0", "stream": "stderr", "lines": ["a", "b"]}),
        ("log", {"worker": "w1", "stream": "stderr", "lines": ["c"]}),
        ("log", {"worker": "w1", "stream": "stdout", "lines": ["d"]}),
        ("worker", {"worker": "w0", "state": "finished"}),
        ("log", {"worker": "w0", "stream": "stderr", "lines": ["e"]}),
        ("log", {"worker": "w0", "line": "f", "extra": 1}),  # not a plain line: kept as it is
        ("log", {"worker": "w0", "stream": "stderr", "lines": ["g"]}),
    ]
    assert specs[0][3] == {"worker": "w0", "line": "a", "stream": "stderr"}  # the inputs are not changed
    assert coalesce_logs([("o", "run:2", "log", {"worker": "w0", "line": "x"}),
                          ("o", "run:3", "log", {"worker": "w0", "line": "y"})])[1][1] == "run:3"


def test_a_log_heavy_run_writes_a_row_per_batch_not_per_line(agi):
    record = agi.run("minimal_app", mode="local", items=400, log_each_item=True)
    events = agi.lab.events.since(f"run:{record.id}", limit=2000)
    logs = [e for e in events if e.kind == "log"]
    assert sum(len(e.payload["lines"]) for e in logs) >= 400
    assert len(logs) <= 10
