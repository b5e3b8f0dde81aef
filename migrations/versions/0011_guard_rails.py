"""Guard rails: a specification closed for comments early keeps when, who and why.

Columns: spec.closed_early_at, spec.closed_early_by_id, spec.closed_early_reason.

Revision ID: 0011
Revises: 0008
Create Date: 2026-12-03 09:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db


revision = '0011'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('spec', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_early_at', collab.db.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('closed_early_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('closed_early_reason', sa.Text(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_spec_closed_early_by_id_user'), 'user', ['closed_early_by_id'], ['id'], ondelete='SET NULL')


def downgrade() -> None:
    with op.batch_alter_table('spec', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_spec_closed_early_by_id_user'), type_='foreignkey')
        batch_op.drop_column('closed_early_reason')
        batch_op.drop_column('closed_early_by_id')
        batch_op.drop_column('closed_early_at')
