"""Migrations run only when the database is behind the code: an up-to-date open skips Alembic."""

import os
import subprocess
import sys
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from agilab_lab.store.db import Store, _alembic_config, database_revisions, script_heads

ROOT = Path(__file__).parents[2]
OPEN = ("import sys; from agilab_lab.store.db import Store; s = Store(sys.argv[1]); "
        "print(s.revision, 'alembic' in sys.modules)")


def _open_in_a_new_process(url: str) -> tuple[str, bool]:
    out = subprocess.run([sys.executable, "-c", OPEN, url], env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, check=True, timeout=120)
    revision, imported = out.stdout.split()
    return revision, imported == "True"


def test_heads_read_from_the_files_are_alembics_heads(store):
    assert script_heads() == frozenset(ScriptDirectory.from_config(_alembic_config(store.engine)).get_heads())


def test_an_up_to_date_database_is_opened_without_alembic(db_url):
    Store(db_url).dispose()  # creates the schema
    revision, alembic_imported = _open_in_a_new_process(db_url)
    assert revision == ",".join(sorted(script_heads())) and not alembic_imported


def test_a_database_behind_the_code_is_upgraded(db_url):
    store = Store(db_url, run_migrations=False)
    config = _alembic_config(store.engine)
    head = ScriptDirectory.from_config(config).get_current_head()
    previous = ScriptDirectory.from_config(config).get_revision(head).down_revision
    command.upgrade(config, previous)
    assert database_revisions(store.engine) == {previous}
    revision, alembic_imported = _open_in_a_new_process(db_url)
    assert revision == head and alembic_imported
    assert database_revisions(store.engine) == {head}
    store.dispose()
