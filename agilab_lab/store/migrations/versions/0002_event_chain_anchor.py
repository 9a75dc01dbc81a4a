"""event log: the hash covers every column, the head is anchored in event_heads

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 07:40:00

Re-hashes the existing chain with the new scheme (id, owner, topic, kind, payload, created_at)
after checking it against the old one (owner, topic, kind, payload). Rows from the first one
that fails the old check onwards keep their old hashes, so ``agilab-lab verify`` still reports
that row: a migration never blesses a log that was already tampered with. The hash functions
are frozen copies: the migration must not change when the application code does.
"""

import hashlib
import json
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GENESIS = "0" * 64
BATCH = 2000

events = sa.table(
    "events", sa.column("id", sa.Integer), sa.column("owner", sa.String), sa.column("topic", sa.String),
    sa.column("kind", sa.String), sa.column("payload", sa.JSON), sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("prev_hash", sa.String), sa.column("hash", sa.String),
)
heads = sa.table(
    "event_heads", sa.column("stream", sa.String), sa.column("last_id", sa.Integer),
    sa.column("last_hash", sa.String), sa.column("count", sa.Integer),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _dumps(record) -> str:
    return json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _old_hash(prev: str, row) -> str:
    record = {"owner": row.owner, "topic": row.topic, "kind": row.kind, "payload": row.payload}
    return hashlib.sha256((prev + _dumps(record)).encode()).hexdigest()


def _new_hash(prev: str, row) -> str:
    created = row.created_at if row.created_at.tzinfo else row.created_at.replace(tzinfo=UTC)
    record = {"id": row.id, "owner": row.owner, "topic": row.topic, "kind": row.kind, "payload": row.payload,
              "created_at": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    return hashlib.sha256((prev + _dumps(record)).encode()).hexdigest()


def _rehash(check, compute) -> tuple[int, str, int]:
    """Walk the chain in id order, re-hashing rows while ``check`` holds: (last id, last hash, rows)."""
    bind = op.get_bind()
    old_prev, new_prev, last_id, count, intact = GENESIS, GENESIS, 0, 0, True
    while True:
        rows = bind.execute(sa.select(events).where(events.c.id > last_id).order_by(events.c.id).limit(BATCH)).all()
        if not rows:
            return last_id, new_prev, count
        for row in rows:
            intact = intact and row.prev_hash == old_prev and check(old_prev, row) == row.hash
            old_prev = row.hash
            if intact:
                digest = compute(new_prev, row)
                bind.execute(events.update().where(events.c.id == row.id).values(prev_hash=new_prev, hash=digest))
                new_prev = digest
            else:  # from the first broken row on, rows keep what they hold: verify reports it
                new_prev = row.hash
            last_id, count = row.id, count + 1


def upgrade() -> None:
    op.create_table(
        "event_heads",
        sa.Column("stream", sa.String(length=64), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("stream"),
    )
    last_id, last_hash, count = _rehash(_old_hash, _new_hash)
    op.get_bind().execute(heads.insert().values(stream="global", last_id=last_id, last_hash=last_hash,
                                                count=count, updated_at=datetime.now(UTC)))


def downgrade() -> None:
    _rehash(_new_hash, _old_hash)
    op.drop_table("event_heads")
