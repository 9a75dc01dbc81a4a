"""jobs: execution domain column (which home's workers may claim a job)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 08:00:00

Jobs queued before this revision keep a NULL domain: only a worker without a domain claims
them, so no server runs a job that was queued from another home.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("jobs", sa.Column("domain", sa.String(64), nullable=True))
    op.create_index("ix_jobs_domain_claim", "jobs", ["domain", "status", "run_after"])


def downgrade() -> None:
    op.drop_index("ix_jobs_domain_claim", table_name="jobs")
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("domain")
