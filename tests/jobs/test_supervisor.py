"""The supervisor's worker processes: spawned, restarted after a kill -9, stopped; settings handed over."""

from __future__ import annotations

import os
import signal

from agilab_lab.jobs.supervisor import WorkerSupervisor
from agilab_lab.jobs.worker import settings_env, settings_from_env

from .helpers import ROOT, wait_for


def test_settings_reach_the_worker_unchanged(settings):
    settings.job_lease_s = 7.5
    settings.webhook_urls = ["http://127.0.0.1:9/hook"]
    settings.ssh_hosts = {"a": 2}
    copy = settings_from_env(settings_env(settings))
    assert copy.job_lease_s == 7.5 and copy.webhook_urls == ["http://127.0.0.1:9/hook"]
    assert copy.ssh_hosts == {"a": 2} and copy.home == settings.home
    assert settings_from_env({}) is None


def test_killed_worker_is_restarted_and_all_stop_with_the_supervisor(settings, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    supervisor = WorkerSupervisor(settings, 2, check_s=0.2, stop_timeout_s=20)
    supervisor.start()
    try:
        first = wait_for(lambda: len(supervisor.pids) == 2 and supervisor.pids, what="two workers")
        assert os.getpid() not in first
        os.kill(first[0], signal.SIGKILL)
        after = wait_for(lambda: (p := supervisor.pids) and len(p) == 2 and first[0] not in p and p,
                         what="a replacement worker")
        assert first[1] in after and supervisor.restarts == 1
    finally:
        supervisor.stop()
    assert supervisor.pids == []
    for pid in after:
        assert not _alive(pid)


def test_no_workers_when_count_is_zero(settings):
    supervisor = WorkerSupervisor(settings, 0)
    supervisor.start()
    assert supervisor.pids == []
    supervisor.stop()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): reaped children are gone, so look at its state.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def test_workers_run_niced_below_the_server(settings, monkeypatch):
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    settings.job_worker_nice = 7
    supervisor = WorkerSupervisor(settings, 1, check_s=0.2)
    supervisor.start()
    try:
        (pid,) = wait_for(lambda: supervisor.pids, what="a worker")
        mine = os.getpriority(os.PRIO_PROCESS, 0)
        wait_for(lambda: os.getpriority(os.PRIO_PROCESS, pid) == min(19, mine + 7), what="the worker's niceness")
    finally:
        supervisor.stop()
