"""The CLI's local run path on the light SQLite store: same records as the ORM path, no SQLAlchemy.

A run recorded through ``Lab.open(light=True)`` must read back identically through the ORM
(``RunStore``, the predictor's history, ``agilab-lab verify``); the CLI process must not import
SQLAlchemy, Alembic, asyncio or numpy; and whatever the light store cannot serve (a new or
PostgreSQL database) must take the full store.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from agilab_lab.core import Lab
from agilab_lab.runtime import AGI
from agilab_lab.runtime.predictor import CapacityPredictor
from agilab_lab.runtime.records import RunStore
from agilab_lab.store.db import Store
from agilab_lab.store.lite import LiteStore

from .conftest import fail_first_succeeded_append

ROOT = Path(__file__).parents[2]
NOT_ON_THE_RUN_PATH = ("sqlalchemy", "alembic", "asyncio", "numpy")
PROBE = ("import json, sys; from agilab_lab.cli import main; code = main(sys.argv[1:]); "
         "print(json.dumps({'code': code, 'modules': sorted(m for m in sys.modules if m.split('.')[0] in "
         f"{NOT_ON_THE_RUN_PATH!r})}}), file=sys.stderr)")


def _cli(home: Path, *args: str, probe: bool = False) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "AGILAB_LAB_HOME": str(home)}
    argv = [sys.executable, "-c", PROBE, *args] if probe else [sys.executable, "-m", "agilab_lab.cli", *args]
    return subprocess.run(argv, env=env, capture_output=True, text=True, timeout=300)


def test_a_cli_local_run_imports_no_sqlalchemy_and_verifies(home):
    first = _cli(home, "run", "minimal_app", "--json")  # a new database: the full store migrates it
    assert first.returncode == 0, first.stderr
    again = _cli(home, "run", "minimal_app", "--json", "--set", "items=7", probe=True)
    assert again.returncode == 0, again.stderr
    probe = json.loads(again.stderr.strip().splitlines()[-1])
    assert probe == {"code": 0, "modules": []}
    record = json.loads(again.stdout)
    assert record["status"] == "succeeded" and record["result"]["items"] == 7
    verify = _cli(home, "verify", "--json")
    assert verify.returncode == 0 and json.loads(verify.stdout)["ok"], verify.stdout


def test_a_light_run_reads_back_identically_through_the_orm(settings):
    Store(settings.resolved_database_url).dispose()  # the schema, at head
    light = Lab.open(settings, owner="tester", light=True)
    assert isinstance(light.store, LiteStore)
    agi = AGI(light)
    record = agi.run("minimal_app", items=12)
    assert record.status == "succeeded" and record.artifacts
    orm = Store(settings.resolved_database_url)
    assert RunStore(orm, "tester").get(record.id) == agi.get_run(record.id)
    assert [r.id for r in RunStore(orm, "tester").list()] == [r.id for r in agi.list_runs()]
    workers = [t["worker"] for t in record.timings["workers"]]
    assert CapacityPredictor(orm, "tester").history("minimal_app", workers) == \
        CapacityPredictor(light.store, "tester").history("minimal_app", workers)
    kinds = [e.kind for e in light.events.since(f"run:{record.id}")]
    assert kinds[0] == "status" and kinds[-1] == "status" and "worker" in kinds
    assert Lab(settings=settings, store=orm).events.verify_chain().ok
    orm.dispose()


def test_an_orm_run_reads_back_identically_through_the_light_store(lab):
    record = AGI(lab).run("minimal_app", items=5)
    light = Lab.open(lab.settings, owner=lab.owner, light=True)
    assert isinstance(light.store, LiteStore)
    assert AGI(light).get_run(record.id) == AGI(lab).get_run(record.id)


def test_a_failed_light_run_is_recorded_as_the_orm_reads_it(settings):
    Store(settings.resolved_database_url).dispose()
    agi = AGI(Lab.open(settings, owner="tester", light=True))
    record = agi.run("minimal_app", items=3, fail_on="item-1", log_each_item=True)
    assert record.status == "failed" and "item-1" in record.error
    orm = Store(settings.resolved_database_url)
    assert RunStore(orm, "tester").get(record.id) == record
    assert Lab(settings=settings, store=orm).events.verify_chain().ok
    orm.dispose()


def test_a_new_database_takes_the_full_store(settings):
    lab = Lab.open(settings, light=True)
    assert isinstance(lab.store, Store)


@pytest.mark.postgres
def test_postgres_takes_the_full_store_and_runs(settings, postgres_url, request):
    from tests.conftest import _fresh_pg_database

    settings.database_url = _fresh_pg_database(postgres_url, request.node.name)
    lab = Lab.open(settings, owner="tester", light=True)
    assert isinstance(lab.store, Store) and lab.store.kind == "postgresql"
    record = AGI(lab).run("minimal_app", items=4)
    assert record.status == "succeeded"
    assert lab.events.verify_chain().ok


def test_the_command_keeps_its_exit_codes(home):
    """``python -m agilab_lab.cli`` goes through ``console_main`` (which freezes the heap before exiting)."""
    assert _cli(home, "run", "minimal_app", "--json").returncode == 0
    bad = _cli(home, "run", "minimal_app", "--set", "items=0")
    assert bad.returncode == 2 and "items" in bad.stderr
    failed = _cli(home, "run", "minimal_app", "--set", "items=2", "--set", "fail_on='item-0'")
    assert failed.returncode == 1 and "item-0" in failed.stderr


def test_a_light_runs_terminal_event_commits_with_its_final_row(settings, monkeypatch):
    """As on the ORM path: never ``succeeded`` in the row without the terminal event (one transaction)."""
    from agilab_lab.store.lite import LiteEventLog

    Store(settings.resolved_database_url).dispose()
    fail_first_succeeded_append(monkeypatch, LiteEventLog)
    agi = AGI(Lab.open(settings, owner="tester", light=True))
    with pytest.raises(OSError, match="disk full"):
        agi.run("minimal_app", items=3)
    orm = Store(settings.resolved_database_url)
    [record] = RunStore(orm, "tester").list()
    assert record.status == "failed" and "disk full" in record.error
    full = Lab(settings=settings, store=orm)
    states = [e.payload["state"] for e in full.events.since(f"run:{record.id}") if e.kind == "status"]
    assert states == ["planning", "running", "failed"]
    assert full.events.verify_chain().ok
    orm.dispose()
