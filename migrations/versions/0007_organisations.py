"""Organisations: corrections proposed by commissioners, decided by the organisation's representatives.

Tables: organisation_correction.

Revision ID: 0007
Revises: 0003
Create Date: 2026-12-03 03:45:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db


revision = '0007'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('organisation_correction',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'accepted', 'declined', name='correction_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', collab.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_organisation_correction_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_organisation_correction_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['user.id'], name=op.f('fk_organisation_correction_proposed_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_correction'))
    )
    with op.batch_alter_table('organisation_correction', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organisation_correction_organisation_id'), ['organisation_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('organisation_correction', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_organisation_correction_organisation_id'))
    op.drop_table('organisation_correction')
