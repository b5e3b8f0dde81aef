"""Agreement proposals that speak for a group, and an alliance's usual workshop payment.

Columns: proposal.group_label ("From the 3 March workshop, table 2 (4 people)"),
proposal.group_size (how many people it speaks for), proposal.source_key and
proposal.source_label (the event it came from, such as a workshop), as spec comments have.
Table: workshop_settings, one row per alliance with the participation payment that new
workshops start from (each workshop keeps its own rate).

Revision ID: 0033
Revises: 0031
Create Date: 2026-12-03 12:55:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0033'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_label', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('group_size', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('source_key', sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column('source_label', sa.String(length=200), nullable=True))
    op.create_table(
        'workshop_settings',
        sa.Column('alliance_id', sa.Integer(), nullable=False),
        sa.Column('payment_pence', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_workshop_settings_alliance_id_alliance'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('alliance_id', name=op.f('pk_workshop_settings')),
    )


def downgrade() -> None:
    op.drop_table('workshop_settings')
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_column('source_label')
        batch_op.drop_column('source_key')
        batch_op.drop_column('group_size')
        batch_op.drop_column('group_label')
