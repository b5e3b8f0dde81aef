"""Join the workshops branch (0014) and the joined branches (0023) into one head.

0014 adds the workshop tables only; no other branch touches them, so the order does not matter.
Kept as written and joined here. No schema change.

Revision ID: 0024
Revises: 0014, 0023
Create Date: 2026-12-03 10:40:00
"""

from __future__ import annotations

revision = "0024"
down_revision = ("0014", "0023")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
