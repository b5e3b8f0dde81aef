"""Join three branches that each revise 0031 into one head.

0032 lets spec comments sit on a whole section or the whole spec; 0033 adds the group to
agreement proposals from workshops and the alliance's usual participation payment; 0034 adds
saved pain/gain scenarios, their attachment to proposals and spec sections linked to KRAs.
They touch different tables, so the order does not matter. No schema change.

Revision ID: 0036
Revises: 0032, 0033, 0034
Create Date: 2026-12-03 13:05:00
"""

from __future__ import annotations

revision = "0036"
down_revision = ("0032", "0033", "0034")
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
