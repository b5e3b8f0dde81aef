"""Join the For you branch (0009) and the joined queue and resources branches (0020) into one head.

Both were written on top of 0008. Each adds its own columns to ``notification`` (0009:
action_key and resolved_at; 0010: emailed_at and digest_id) and its own tables, so applying them
in either order gives the same schema; kept as written and joined here. No schema change.

Revision ID: 0021
Revises: 0009, 0020
Create Date: 2026-12-03 10:20:00
"""

from __future__ import annotations

revision = "0021"
down_revision = ("0009", "0020")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
