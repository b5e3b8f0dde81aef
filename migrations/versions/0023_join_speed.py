"""Join the speed branch (0013, alliance revisions) and the joined branches (0022) into one head.

0013 adds the alliance_revision table (and its sequence on PostgreSQL); no other branch touches
it, so the order does not matter. Kept as written and joined here. No schema change.

Revision ID: 0023
Revises: 0013, 0022
Create Date: 2026-12-03 10:20:00
"""

from __future__ import annotations

revision = "0023"
down_revision = ("0013", "0022")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
