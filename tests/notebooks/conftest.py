"""Notebook fixtures: an AGI opened as the CLI and a kernel open it (same home, same owner)."""

from __future__ import annotations

import pytest

from tests.runtime.conftest import cluster_pool  # noqa: F401


@pytest.fixture
def agi(home, cluster_pool):  # noqa: F811
    from agilab_lab.core import Lab
    from agilab_lab.runtime import AGI

    return AGI(Lab.open(), clusters=cluster_pool)
