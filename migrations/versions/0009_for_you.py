"""For you (issue 9): visits to the For you page and each alliance's panel, notifications that
resolve when the action is done, and the seats that never answered a decided proposal.

Tables: attention_visit. Columns: notification.action_key, notification.resolved_at,
proposal.unanswered_seats.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('attention_visit',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=40), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=True),
    sa.Column('seen_at', collab.db.UTCDateTime(), nullable=False),
    sa.Column('sitting_started_at', collab.db.UTCDateTime(), nullable=False),
    sa.Column('previous_seen_at', collab.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_attention_visit_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_attention_visit_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attention_visit')),
    sa.UniqueConstraint('user_id', 'scope', name=op.f('uq_attention_visit_user_id_scope'))
    )
    with op.batch_alter_table('attention_visit', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attention_visit_alliance_id'), ['alliance_id'], unique=False)

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.add_column(sa.Column('action_key', sa.String(length=120), nullable=True))
        batch_op.add_column(sa.Column('resolved_at', collab.db.UTCDateTime(), nullable=True))
        batch_op.create_index(batch_op.f('ix_notification_action_key'), ['action_key'], unique=False)

    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unanswered_seats', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('proposal', schema=None) as batch_op:
        batch_op.drop_column('unanswered_seats')

    with op.batch_alter_table('notification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notification_action_key'))
        batch_op.drop_column('resolved_at')
        batch_op.drop_column('action_key')

    with op.batch_alter_table('attention_visit', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attention_visit_alliance_id'))
    op.drop_table('attention_visit')
