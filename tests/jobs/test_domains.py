"""Execution domains: a home's id is minted once; two homes on one database never run each other's jobs."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from traitlets.config import Config

from agilab_lab.core import Lab
from agilab_lab.jobs import JobWorker
from agilab_lab.jobs.domain import DOMAIN_FILE, execution_domain
from agilab_lab.jobs.loop import worker_pid
from agilab_lab.runtime import AGI, RunRequest
from agilab_lab.runtime.jobs import enqueue_run, run_job
from agilab_lab.runtime.records import run_dir
from agilab_lab.settings import load_settings
from agilab_lab.store.db import Store

from .helpers import spawn_worker, wait_for


def test_a_home_gets_one_domain_even_with_concurrent_creators(tmp_path):
    homes = [tmp_path / "a", tmp_path / "b"]
    seen: list[str] = []
    threads = [threading.Thread(target=lambda h=h: seen.append(execution_domain(h))) for h in homes * 8]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    by_home = {home: (home / DOMAIN_FILE).read_text().strip() for home in homes}
    assert set(seen) == set(by_home.values()) and len(set(by_home.values())) == 2
    assert not [p for p in tmp_path.rglob(".execution-domain.*")]  # no temporary file left behind


def test_a_damaged_domain_file_is_refused(tmp_path):
    (tmp_path / DOMAIN_FILE).write_text("../../etc/passwd\n")
    with pytest.raises(ValueError, match="execution domain"):
        execution_domain(tmp_path)


def two_homes(tmp_path: Path, db_url: str):
    """Two Labs with their own homes on one database (two users' servers of one hub)."""
    labs = []
    for name in ("alice", "bob"):
        settings = load_settings(Config(), home=str(tmp_path / name), database_url=db_url, job_lease_s=30.0)
        labs.append(Lab(settings=settings, store=Store(db_url), owner=name))
    return labs


def test_a_worker_claims_only_jobs_of_its_own_domain(tmp_path, db_url):
    alice, bob = two_homes(tmp_path, db_url)
    assert alice.queue.domain != bob.queue.domain
    _, alice_job = enqueue_run(AGI(alice, allow_app_paths=False), RunRequest(app="minimal_app"))
    _, bob_job = enqueue_run(AGI(bob, allow_app_paths=False), RunRequest(app="minimal_app"))
    design = bob.queue.enqueue("design", {"decision_set_id": "x", "action": "answer"}, owner="bob", key="d")

    worker = JobWorker(alice, handlers={"run": run_job, "design": run_job})
    assert worker.run_once() and not worker.run_once()
    assert alice.queue.get(alice_job).status == "succeeded"
    assert bob.queue.get(bob_job).status == bob.queue.get(design.id).status == "queued"
    for lab in (alice, bob):
        lab.store.dispose()


def test_two_homes_worker_processes_on_one_database_keep_their_own_runs(tmp_path, db_url):
    alice, bob = two_homes(tmp_path, db_url)
    queued = {}
    for lab in (alice, bob):  # queue first: neither worker is up yet
        agi = AGI(lab, allow_app_paths=False)
        queued[lab.owner] = [enqueue_run(agi, RunRequest(app="minimal_app", args={"items": 3})) for _ in range(3)]
    workers = {lab.owner: spawn_worker(lab.settings) for lab in (alice, bob)}
    try:
        for lab in (alice, bob):
            for run_id, job_id in queued[lab.owner]:
                job = wait_for(lambda q=lab.queue, i=job_id: (j := q.get(i)).status in ("succeeded", "dead") and j,
                               what=f"{lab.owner}'s job")
                assert job.status == "succeeded", job.error
                assert worker_pid(job.lease_owner) == workers[lab.owner].pid, "ran in the other home's worker"
                assert AGI(lab, allow_app_paths=False).get_run(run_id).status == "succeeded"
                other = bob if lab is alice else alice
                assert (run_dir(lab.home, run_id) / "manifest.json").is_file()
                assert not run_dir(other.home, run_id).exists()
    finally:
        for proc in workers.values():
            proc.terminate()
            proc.wait(timeout=60)
        for lab in (alice, bob):
            lab.store.dispose()
