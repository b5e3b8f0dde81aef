"""Spec comments that speak for a group, and where they came from.

Columns: spec_comment.group_size (how many people a group's comment speaks for),
spec_comment.source_key and spec_comment.source_label (an event such as a workshop,
so "you said, we did" can count groups with their size and be filtered by event).

Revision ID: 0031
Revises: 0025
Create Date: 2026-12-03 10:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0031'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('spec_comment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_key', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('source_label', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_spec_comment_spec_id_source_key', ['spec_id', 'source_key'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('spec_comment', schema=None) as batch_op:
        batch_op.drop_index('ix_spec_comment_spec_id_source_key')
        batch_op.drop_column('source_label')
        batch_op.drop_column('source_key')
        batch_op.drop_column('group_size')
