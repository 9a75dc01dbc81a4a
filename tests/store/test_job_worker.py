"""The job worker runs registered handlers, retries failures and dead-letters permanent ones."""

from agilab_lab.jobs import JobWorker, PermanentJobError


def test_worker_runs_handler_for_the_job_owner(lab):
    seen = []

    def handler(job_lab, job):
        seen.append((job_lab.owner, job.payload["n"]))
        return {"double": job.payload["n"] * 2}

    job = lab.queue.enqueue("double", {"n": 21}, owner="alice", key="d1")
    worker = JobWorker(lab, handlers={"double": handler})
    assert worker.run_once()
    assert not worker.run_once()
    assert seen == [("alice", 21)]
    stored = lab.queue.get(job.id)
    assert stored.status == "succeeded" and stored.result == {"double": 42}


def test_worker_retries_a_crashing_handler(lab):
    def handler(_lab, job):
        raise ValueError(f"attempt {job.attempt} failed")

    job = lab.queue.enqueue("crash", {}, owner="alice", key="c1", max_attempts=2)
    worker = JobWorker(lab, handlers={"crash": handler})
    assert worker.run_once()
    stored = lab.queue.get(job.id)
    assert stored.status == "queued" and "attempt 1 failed" in stored.error


def test_permanent_error_is_dead_lettered_at_once(lab):
    def handler(_lab, _job):
        raise PermanentJobError("requirements text is empty")

    job = lab.queue.enqueue("bad", {}, owner="alice", key="b1", max_attempts=5)
    JobWorker(lab, handlers={"bad": handler}).run_once()
    stored = lab.queue.get(job.id)
    assert stored.status == "dead" and stored.error == "requirements text is empty" and stored.attempts == 1
