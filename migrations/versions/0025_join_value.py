"""Join the value branch (0016) and the joined branches (0024) into one head.

0016 adds the value tables only; no other branch touches them, so the order does not matter.
Kept as written and joined here. No schema change.

Revision ID: 0025
Revises: 0016, 0024
Create Date: 2026-12-03 10:40:00
"""

from __future__ import annotations

revision = "0025"
down_revision = ("0016", "0024")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
