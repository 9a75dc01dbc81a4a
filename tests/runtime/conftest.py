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
