"""Fixtures shared by every Python test: a temporary home and a Lab on a temporary SQLite file."""

from __future__ import annotations

import pytest

pytest_plugins = ("pytest_jupyter.jupyter_server",)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    """No test reads the developer's home, config or API key."""
    home = tmp_path_factory.mktemp("agilab-home")
    monkeypatch.setenv("AGILAB_LAB_HOME", str(home))
    monkeypatch.delenv("AGILAB_LAB_DATABASE_URL", raising=False)
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.setenv("AGILAB_LAB_PROVIDER", "offline")


@pytest.fixture
def home(tmp_path, monkeypatch):
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("AGILAB_LAB_HOME", str(path))
    return path


@pytest.fixture
def settings(home):
    from traitlets.config import Config

    from agilab_lab.settings import load_settings

    return load_settings(Config(), home=str(home))


@pytest.fixture
def lab(settings):
    from agilab_lab.core import Lab
    from agilab_lab.store.db import Store

    store = Store(settings.resolved_database_url)
    yield Lab(settings=settings, store=store, owner="tester")
    store.dispose()


@pytest.fixture
def jp_server_config(home):
    return {
        "ServerApp": {"jpserver_extensions": {"agilab_lab": True}},
        "AgilabLabApp": {"home": str(home), "job_workers": 1},
    }


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server for the whole session (Debian's postgresql package)."""
    import os

    from tests.pg import postgres_server

    try:
        with postgres_server() as url:
            yield url
    except RuntimeError as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests cannot run: {exc}")
        pytest.skip(f"PostgreSQL unavailable: {exc}")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """Each store/queue test runs against SQLite and a real PostgreSQL server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    base = request.getfixturevalue("postgres_url")
    return _fresh_pg_database(base, request.node.name)


def _fresh_pg_database(base_url: str, name: str) -> str:
    import re

    from sqlalchemy import create_engine, text

    db = "t_" + re.sub(r"[^a-z0-9]+", "_", name.lower())[:50]
    admin = create_engine(base_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{db}"'))
        conn.execute(text(f'CREATE DATABASE "{db}"'))
    admin.dispose()
    return base_url.rsplit("/", 1)[0] + "/" + db


@pytest.fixture
def store(db_url):
    from agilab_lab.store.db import Store

    store = Store(db_url)
    yield store
    store.dispose()
