"""Failures end runs clearly: a raising worker, a Dask worker killed mid-run, bad args, timeouts."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from agilab_lab.runtime import AGI, BadArgs
from agilab_lab.runtime.backends.clusters import ClusterPool
from agilab_lab.runtime.records import run_dir
from agilab_lab.store.models import Run


@pytest.mark.parametrize("mode", ["local", "dask"])
def test_a_raising_worker_fails_the_run_and_keeps_the_other_results(agi, home, mode):
    record = agi.run("minimal_app", mode=mode, workers=2, items=6, fail_on="item-4")
    assert record.status == "failed"
    assert "item item-4 failed on purpose" in record.error
    stored = agi.get_run(record.id)
    log = (run_dir(home, record.id) / "log.txt").read_text()
    assert "Traceback" in log and "RuntimeError: item item-4 failed on purpose" in log
    timings = {w["worker"]: w for w in stored.timings["workers"]}
    failed = [w for w in timings.values() if w["error"]]
    healthy = [w for w in timings.values() if not w["error"]]
    assert len(failed) == 1 and len(healthy) == 1
    assert healthy[0]["done"] == healthy[0]["items"]  # the other worker's results are kept
    assert record.result == {}


def test_bad_args_raise_and_record_nothing(agi, lab):
    with pytest.raises(BadArgs, match="items"):
        agi.run("minimal_app", items=0)
    with pytest.raises(BadArgs, match="unknown argument"):
        agi.run("minimal_app", nope=1)
    with pytest.raises(BadArgs, match="scheduler"):
        agi.run("minimal_app", mode="local", scheduler="tcp://127.0.0.1:1")
    with lab.store.session() as session:
        assert session.query(Run).count() == 0


def test_a_pool_task_that_overruns_its_timeout_is_failed(agi):
    record = agi.run("minimal_app", mode="pool", workers=1, items=2, seconds_per_item=30, timeout_s=1.5)
    assert record.status == "failed" and "timed out after 1.5 s" in record.error


@pytest.fixture
def killable_agi(lab):
    """Its own cluster: killing a worker must not disturb the session cluster."""
    pool = ClusterPool()
    yield AGI(lab, clusters=pool)
    pool.close()


def _run_and_kill(agi: AGI, retries: int):
    started = threading.Event()
    outcome = {}

    def on_event(kind, payload):
        if kind == "worker" and payload.get("state") == "started":
            started.set()

    def run():
        outcome["record"] = agi.run("minimal_app", mode="dask", workers=2, items=8, seconds_per_item=0.4,
                                    retries=retries, timeout_s=60, on_event=on_event)

    client = agi.clusters.client(agi.runner.backend(_dask_request()).target)
    pids = client.run(os.getpid)
    thread = threading.Thread(target=run)
    thread.start()
    assert started.wait(30)
    victim = sorted(pids)[0]
    os.kill(pids[victim], signal.SIGKILL)
    thread.join(90)
    assert not thread.is_alive(), "the run hung after a worker was killed"
    return outcome["record"], victim


def _dask_request():
    from agilab_lab.runtime import RunRequest

    return RunRequest(app="minimal_app", mode="dask", workers=2)


def test_a_killed_dask_worker_is_retried_once_or_fails_clearly(killable_agi):
    record, victim = _run_and_kill(killable_agi, retries=1)
    assert record.status == "succeeded", record.error
    assert record.result["items"] == 8
    assert any(w["retried_on"] for w in record.timings["workers"])
    assert victim in record.log or "left mid-run" in record.log

    record, victim = _run_and_kill(killable_agi, retries=0)
    assert record.status == "failed"
    assert "left the cluster mid-run" in record.error
