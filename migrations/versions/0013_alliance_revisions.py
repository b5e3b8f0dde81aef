"""Alliance revisions for the page cache (issue 10): one row per alliance, numbers from a sequence.

Revision ID: 0013
Revises: 0008
Create Date: 2026-12-03 09:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "alliance_revision",
        sa.Column("alliance_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("alliance_id", name=op.f("pk_alliance_revision")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE SEQUENCE alliance_revision_seq")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP SEQUENCE alliance_revision_seq")
    op.drop_table("alliance_revision")
