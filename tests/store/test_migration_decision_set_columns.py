"""Migration 0004 on a database created at the previous head, with data: ``extra`` -> typed columns."""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa
from alembic import command

from agilab_lab.store.db import _alembic_config, make_engine

EXTRA = {"auto_approve": True, "out_dir": "/tmp/out", "constraints_given": True, "revision_of": "p" * 32,
         "revision_comment": "cheaper", "assumptions": ["a1"], "rounds": [{"round": 1, "blocking": []}],
         "infeasible": None, "approval": {"decision": "approve", "comment": "ok", "actor": "u"},
         "waiting_for": {"kind": "approval"}}


def _insert_previous_head_rows(engine) -> None:
    now = "2026-12-01 10:00:00"
    with engine.begin() as conn:
        conn.execute(sa.text("INSERT INTO projects (id, owner, name, description, created_at, updated_at) "
                             "VALUES ('p1', 'u', 'p', '', :now, :now)"), {"now": now})
        for ds_id, version, extra in (("d1", 1, EXTRA), ("d2", 2, {})):
            conn.execute(sa.text(
                "INSERT INTO decision_sets (id, owner, project_id, version, status, requirements_text, constraints,"
                " plan, policy, critics, sections, summary_md, validation, extra, lock_version, created_at,"
                " updated_at) VALUES (:id, 'u', 'p1', :v, 'awaiting_approval', 'txt', '{}', '{}', '{}', '{}',"
                " '[]', '', '{}', :extra, 3, :now, :now)"), {"id": ds_id, "v": version, "extra": json.dumps(extra),
                                                             "now": now})
        conn.execute(sa.text("INSERT INTO approvals (id, owner, decision_set_id, decision, comment, created_at)"
                             " VALUES ('a1', 'u', 'd1', 'approve', 'ok', :now)"), {"now": now})


def _columns(engine) -> set[str]:
    return {c["name"] for c in sa.inspect(engine).get_columns("decision_sets")}


@pytest.fixture
def engine(db_url):
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_extra_moves_to_typed_columns_and_back(engine):
    config = _alembic_config(engine)
    command.upgrade(config, "0003")
    _insert_previous_head_rows(engine)
    command.upgrade(config, "0004")
    assert "extra" not in _columns(engine) and {"approval", "job_key", "auto_approve"} <= _columns(engine)
    table = sa.Table("decision_sets", sa.MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        rows = {r.id: r for r in conn.execute(sa.select(table))}
        approvals = conn.execute(sa.text("SELECT count(*) FROM approvals")).scalar()
    d1, d2 = rows["d1"], rows["d2"]
    assert (d1.auto_approve, d1.out_dir, d1.constraints_given, d1.revision_of) == (True, "/tmp/out", True, "p" * 32)
    assert (d1.revision_comment, d1.assumptions, d1.rounds) == ("cheaper", ["a1"], EXTRA["rounds"])
    assert d1.approval == EXTRA["approval"] and d1.waiting_for == {"kind": "approval"} and d1.infeasible is None
    assert (d2.auto_approve, d2.revision_comment, d2.assumptions, d2.approval, d2.job_key) == (False, "", [], None, None)
    assert d1.lock_version == 3 and approvals == 1  # nothing else touched, no cascade
    command.downgrade(config, "0003")
    assert "extra" in _columns(engine) and "approval" not in _columns(engine)
    with engine.connect() as conn:
        extras = dict(conn.execute(sa.text("SELECT id, extra FROM decision_sets")).all())
    restored = extras["d1"] if isinstance(extras["d1"], dict) else json.loads(extras["d1"])
    assert restored == EXTRA
