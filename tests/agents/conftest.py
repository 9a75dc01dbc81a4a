"""Fixtures of the designer tests."""

import pytest

from agilab_lab.agents.designer import Designer
from agilab_lab.agents.providers import OfflineProvider

from .test_graph import RecordingGenerator


@pytest.fixture
def designer(lab):
    """The offline designer with the repository generator stubbed (it is judged in tests/repogen)."""
    return Designer(lab, provider=OfflineProvider(), generate=RecordingGenerator())
