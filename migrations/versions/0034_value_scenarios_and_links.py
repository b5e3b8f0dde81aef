"""Saved pain/gain scenarios, their attachment to agreement proposals, and spec sections linked to KRAs.

Tables: value_scenario, value_scenario_attachment, value_spec_kra_link.

Revision ID: 0034
Revises: 0031
Create Date: 2026-12-03 12:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db


revision = '0034'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('value_scenario',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('actual', sa.Numeric(precision=14, scale=2), nullable=False),
    sa.Column('kras_total', sa.Integer(), nullable=False),
    sa.Column('kras_met', sa.Integer(), nullable=False),
    sa.Column('kras_below', sa.Integer(), nullable=False),
    sa.Column('model', sa.JSON(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_value_scenario_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_value_scenario_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_value_scenario'))
    )
    with op.batch_alter_table('value_scenario', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_value_scenario_alliance_id'), ['alliance_id'], unique=False)

    op.create_table('value_scenario_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('scenario_id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('attached_by_id', sa.Integer(), nullable=True),
    sa.Column('attached_at', collab.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_value_scenario_attachment_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['attached_by_id'], ['user.id'], name=op.f('fk_value_scenario_attachment_attached_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_value_scenario_attachment_proposal_id_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['scenario_id'], ['value_scenario.id'], name=op.f('fk_value_scenario_attachment_scenario_id_value_scenario'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_value_scenario_attachment')),
    sa.UniqueConstraint('scenario_id', 'proposal_id', name=op.f('uq_value_scenario_attachment_scenario_id_proposal_id'))
    )
    with op.batch_alter_table('value_scenario_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_value_scenario_attachment_alliance_id'), ['alliance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_value_scenario_attachment_proposal_id'), ['proposal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_value_scenario_attachment_scenario_id'), ['scenario_id'], unique=False)

    op.create_table('value_spec_kra_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('spec_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('kra_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_value_spec_kra_link_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_value_spec_kra_link_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['kra_id'], ['value_kra.id'], name=op.f('fk_value_spec_kra_link_kra_id_value_kra'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['spec_section.id'], name=op.f('fk_value_spec_kra_link_section_id_spec_section'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['spec_id'], ['spec.id'], name=op.f('fk_value_spec_kra_link_spec_id_spec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_value_spec_kra_link')),
    sa.UniqueConstraint('section_id', 'kra_id', name=op.f('uq_value_spec_kra_link_section_id_kra_id'))
    )
    with op.batch_alter_table('value_spec_kra_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_value_spec_kra_link_alliance_id'), ['alliance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_value_spec_kra_link_kra_id'), ['kra_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_value_spec_kra_link_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_value_spec_kra_link_spec_id'), ['spec_id'], unique=False)


def downgrade() -> None:
    op.drop_table('value_spec_kra_link')
    op.drop_table('value_scenario_attachment')
    op.drop_table('value_scenario')
