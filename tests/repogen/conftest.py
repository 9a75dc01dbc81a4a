"""Fixtures of the repository-generator tests.

Golden snapshots under golden/ are generated repositories, not tests of this project:
they are never collected. Refresh them with ``AGILAB_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import pytest

collect_ignore_glob = ["golden/*"]


@pytest.fixture(scope="session")
def venv_cache(tmp_path_factory):
    """One venv cache for the whole session: each pin set is installed once."""
    return tmp_path_factory.mktemp("venvs")
