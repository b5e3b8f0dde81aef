"""Join the guard-rails branch (0011) and the joined branches (0021) into one head.

0011 adds three closed_early columns to ``spec``; nothing in 0009, 0010 or 0015 touches that
table, so the order does not matter. Kept as written and joined here. No schema change.

Revision ID: 0022
Revises: 0011, 0021
Create Date: 2026-12-03 10:20:00
"""

from __future__ import annotations

revision = "0022"
down_revision = ("0011", "0021")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
