"""decision sets: the untyped ``extra`` bag becomes typed columns; ``job_key`` owns transient statuses

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 08:00:00

Existing rows keep every value: each key of ``extra`` moves to its column (downgrade moves them
back). Columns are added and dropped in place (no batch copy of the table: on SQLite, with
foreign keys on, dropping the old table would cascade into approvals and agent runs).
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

EMPTY_LIST = sa.text("'[]'")
COLUMNS = (
    sa.Column("auto_approve", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("out_dir", sa.Text(), nullable=True),
    sa.Column("constraints_given", sa.Boolean(), nullable=False, server_default=sa.false()),
    sa.Column("revision_of", sa.String(length=32), nullable=True),
    sa.Column("revision_comment", sa.Text(), nullable=False, server_default=""),
    sa.Column("assumptions", sa.JSON(), nullable=False, server_default=EMPTY_LIST),
    sa.Column("rounds", sa.JSON(), nullable=False, server_default=EMPTY_LIST),
    sa.Column("infeasible", sa.JSON(), nullable=True),
    sa.Column("approval", sa.JSON(), nullable=True),
    sa.Column("waiting_for", sa.JSON(), nullable=True),
    sa.Column("job_key", sa.String(length=200), nullable=True),
)
MOVED = ("auto_approve", "out_dir", "constraints_given", "revision_of", "revision_comment", "assumptions",
         "rounds", "infeasible", "approval", "waiting_for")
DEFAULTS = {"auto_approve": False, "constraints_given": False, "revision_comment": "", "assumptions": [],
            "rounds": []}


def _table(*names: str) -> sa.Table:
    types = {c.name: c.type for c in COLUMNS} | {"extra": sa.JSON()}
    return sa.table("decision_sets", sa.column("id", sa.String), *(sa.column(n, types[n]) for n in names))


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("decision_sets", column.copy())
    bind = op.get_bind()
    table = _table("extra", *MOVED)
    for row in bind.execute(sa.select(table.c.id, table.c.extra)).all():
        extra = row.extra or {}
        values = {name: extra.get(name, DEFAULTS.get(name)) for name in MOVED}
        values = {k: (DEFAULTS[k] if v is None and k in DEFAULTS else v) for k, v in values.items()}
        bind.execute(table.update().where(table.c.id == row.id).values(**values))
    op.drop_column("decision_sets", "extra")


def downgrade() -> None:
    op.add_column("decision_sets", sa.Column("extra", sa.JSON(), nullable=False, server_default=sa.text("'{}'")))
    bind = op.get_bind()
    table = _table("extra", *MOVED)
    for row in bind.execute(sa.select(table.c.id, *(table.c[n] for n in MOVED))).all():
        extra = {name: getattr(row, name) for name in MOVED}
        bind.execute(table.update().where(table.c.id == row.id).values(extra=extra))
    for column in COLUMNS:
        op.drop_column("decision_sets", column.name)
