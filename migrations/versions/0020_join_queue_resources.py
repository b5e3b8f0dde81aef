"""Join the job-queue branch (0010) and the shared-resources branch (0015) into one head.

Both were written on top of 0008 and touch different tables; kept as written and joined here.
No schema change.

Revision ID: 0020
Revises: 0010, 0015
Create Date: 2026-12-03 10:20:00
"""

from __future__ import annotations

revision = "0020"
down_revision = ("0010", "0015")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
