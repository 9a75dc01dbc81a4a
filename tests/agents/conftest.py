"""Fixtures of the designer tests."""

import pytest

from agilab_lab.agents.designer import Designer
from agilab_lab.agents.providers import OfflineProvider

from .test_graph import RecordingGenerator


@pytest.fixture
def designer(lab):
    """The offline designer with the repository generator stubbed (it is judged in tests/repogen)."""
    return Designer(lab, provider=OfflineProvider(), generate=RecordingGenerator())


@pytest.fixture
def db_lab(db_url, settings):
    """A lab on SQLite and on PostgreSQL (with the Postgres checkpointer)."""
    from agilab_lab.core import Lab
    from agilab_lab.store.db import Store

    settings.database_url = db_url
    store = Store(db_url)
    yield Lab(settings=settings, store=store, owner="tester")
    store.dispose()
