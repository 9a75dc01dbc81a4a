"""``agilab-lab worker`` runs queued jobs in its own process, in the foreground."""

from __future__ import annotations

import os
import subprocess
import sys

from agilab_lab.jobs.loop import worker_pid
from agilab_lab.runtime import AGI, RunRequest
from agilab_lab.runtime.jobs import enqueue_run

from .helpers import ROOT


def test_cli_worker_once_runs_the_queued_run_in_its_own_process(lab, home):
    agi = AGI(lab, allow_app_paths=False)
    run_id, job_id = enqueue_run(agi, RunRequest(app="minimal_app", args={"items": 4}))
    env = {**os.environ, "AGILAB_LAB_HOME": str(home), "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-m", "agilab_lab.cli", "worker", "--once"], env=env,
                          capture_output=True, text=True, timeout=300, cwd=home)
    assert proc.returncode == 0, proc.stderr
    assert "agilab-lab worker" in proc.stderr
    record = agi.get_run(run_id)
    assert record.status == "succeeded" and record.result["items"] == 4
    job = lab.queue.get(job_id)
    assert job.status == "succeeded"
    assert worker_pid(job.lease_owner) not in (None, os.getpid())
