"""A Jupyter server without worker processes, and the real job worker in a thread of the test
process instead, so a test can stand in for the slow repository generator (tests/repogen judges
it) or make it fail on purpose. Import the fixtures into a test module to use them."""

from __future__ import annotations

import threading

import pytest


def server_config(home, database_url: str | None = None) -> dict:
    app = {"home": str(home), "job_workers": 0, **({"database_url": database_url} if database_url else {})}
    return {"ServerApp": {"jpserver_extensions": {"agilab_lab": True}}, "AgilabLabApp": app}


@pytest.fixture
def job_worker(jp_serverapp):
    """The server's own job worker loop (same handlers and on-dead hooks), in a thread here."""
    from agilab_lab.jobs import JobWorker

    lab = jp_serverapp.web_app.settings["agilab_lab"]["lab"]
    worker = JobWorker(lab, poll_s=0.05)
    thread = threading.Thread(target=worker.run_forever, daemon=True)
    thread.start()
    yield worker
    worker.stop()
    thread.join(60)
