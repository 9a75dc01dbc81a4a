"""Runtime fixtures: an AGI on the test Lab and one small Dask LocalCluster for the session."""

from __future__ import annotations

import pytest

from agilab_lab.runtime import AGI
from agilab_lab.runtime.backends.clusters import ClusterPool


@pytest.fixture(scope="session")
def cluster_pool():
    """A 2 x 1-thread process LocalCluster, started by the first dask-mode run and shared."""
    pool = ClusterPool()
    yield pool
    pool.close()


@pytest.fixture
def agi(lab, cluster_pool):
    return AGI(lab, clusters=cluster_pool)


def same_frames(left, right) -> None:
    from polars.testing import assert_frame_equal

    assert_frame_equal(left, right)


def fail_first_succeeded_append(monkeypatch, log_class) -> None:
    """Make ``log_class.append_many`` raise ``OSError("disk full")`` once, on the batch holding a
    run's ``succeeded`` status event (the terminal event written with the run's final row)."""
    original, failed = log_class.append_many, []

    def append_many(self, specs, session=None):
        if not failed and any(kind == "status" and (p or {}).get("state") == "succeeded" for _, _, kind, p in specs):
            failed.append(True)
            raise OSError("disk full")
        return original(self, specs, session=session)

    monkeypatch.setattr(log_class, "append_many", append_many)
