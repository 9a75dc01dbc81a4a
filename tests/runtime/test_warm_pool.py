"""Pool mode keeps a warm process pool per Lab: reused by the next run, recycled on package change."""

from __future__ import annotations

import pytest

from agilab_lab.runtime.backends.warm_pool import PoolRegistry
from agilab_lab.runtime.templates import create_app
from agilab_lab.store.event_buffer import log_lines


@pytest.fixture
def registry(monkeypatch):
    registry = PoolRegistry()
    monkeypatch.setattr("agilab_lab.runtime.backends.pool.warm_pools", lambda: registry)
    yield registry
    registry.close()


def _pids(registry, home) -> set[int]:
    return {p.pid for p in registry._pools[str(home)].executor._processes.values()}


def test_a_second_run_reuses_the_warm_processes(agi, registry, home):
    first = agi.run("minimal_app", mode="pool", workers=2, items=20, log_each_item=True)
    pids = _pids(registry, home)
    second = agi.run("minimal_app", mode="pool", workers=2, items=20, log_each_item=True)
    assert first.status == second.status == "succeeded"
    assert registry.started == 1 and _pids(registry, home) == pids
    assert first.result == second.result
    for record in (first, second):  # each run gets its own log lines, however many runs the pool served
        lines = [line for e in agi.lab.events.since(f"run:{record.id}", limit=1000) if e.kind == "log"
                 for line in log_lines(e.payload)]
        assert sum("done" in line for line in lines) == 20, lines


def test_another_package_recycles_the_pool(agi, registry, home, tmp_path):
    app = create_app("spinner", "polars", tmp_path, home)
    assert agi.run("spinner", mode="pool", workers=1).status == "succeeded"
    pids = _pids(registry, home)
    worker = next((app / "spinner_worker").glob("*.py"))
    worker.write_text(worker.read_text() + "\n# changed\n")
    assert agi.run("spinner", mode="pool", workers=1).status == "succeeded"
    assert registry.started == 2 and _pids(registry, home).isdisjoint(pids)


def test_a_timed_out_pool_is_replaced_by_the_next_run(agi, registry, home):
    overdue = agi.run("minimal_app", mode="pool", workers=1, items=2, seconds_per_item=30, timeout_s=1.0)
    assert overdue.status == "failed" and "timed out" in overdue.error
    assert str(home) not in registry._pools  # closed, processes terminated
    assert agi.run("minimal_app", mode="pool", workers=1, items=3).status == "succeeded"
    assert registry.started == 2
