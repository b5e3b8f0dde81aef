"""Join the four issue-7 branches (sessions, two-step, signature trust, organisations) into one head.

Each of 0004, 0005, 0006 and 0007 was written on its own branch on top of 0003, and they touch
different tables, so they are kept exactly as written (a migration is never edited once
written) and joined here. No schema change.

Revision ID: 0008
Revises: 0004, 0005, 0006, 0007
Create Date: 2026-12-03 08:50:00
"""

from __future__ import annotations

revision = "0008"
down_revision = ("0004", "0005", "0006", "0007")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
