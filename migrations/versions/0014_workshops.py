"""Co-production workshops (issue 11): planning, invitations and replies, the live ideas board, outcomes.

Tables: workshop, workshop_agenda_item, workshop_invitee, workshop_calendar_feed, workshop_theme,
workshop_idea, workshop_vote, workshop_contribution, workshop_decision, workshop_action.

Revision ID: 0014
Revises: 0008
Create Date: 2026-12-03 10:04:52.558936
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db

revision = '0014'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('workshop_calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_workshop_calendar_feed_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_workshop_calendar_feed_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_workshop_calendar_feed_user_id'))
    )
    op.create_table('workshop',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('starts_at', collab.db.UTCDateTime(), nullable=False),
    sa.Column('ends_at', collab.db.UTCDateTime(), nullable=False),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('in_person', sa.Boolean(), nullable=False),
    sa.Column('address', sa.Text(), nullable=False),
    sa.Column('step_free', sa.Boolean(), nullable=False),
    sa.Column('hearing_loop', sa.Boolean(), nullable=False),
    sa.Column('quiet_room', sa.Boolean(), nullable=False),
    sa.Column('accessible_toilets', sa.Boolean(), nullable=False),
    sa.Column('access_notes', sa.Text(), nullable=False),
    sa.Column('online', sa.Boolean(), nullable=False),
    sa.Column('meeting_link', sa.String(length=500), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('payment_pence', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('cancelled_at', collab.db.UTCDateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(), nullable=False),
    sa.Column('board_revision', sa.Integer(), nullable=False),
    sa.Column('current_item_id', sa.Integer(), nullable=True),
    sa.Column('voting_dots', sa.Integer(), nullable=False),
    sa.Column('voting_closed', sa.Boolean(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_workshop_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_workshop_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop'))
    )
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_alliance_id'), ['alliance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_starts_at'), ['starts_at'], unique=False)

    op.create_table('workshop_action',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=300), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', name='workshop_action_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_workshop_action_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['user.id'], name=op.f('fk_workshop_action_owner_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_action_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_action'))
    )
    with op.batch_alter_table('workshop_action', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_action_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_action_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_invitee',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=True),
    sa.Column('invited_at', collab.db.UTCDateTime(), nullable=False),
    sa.Column('reply', sa.Enum('pending', 'yes', 'waiting', 'maybe', 'no', name='workshop_reply', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('replied_at', collab.db.UTCDateTime(), nullable=True),
    sa.Column('waiting_number', sa.Integer(), nullable=True),
    sa.Column('access_needs', sa.JSON(), nullable=False),
    sa.Column('access_needs_other', sa.Text(), nullable=False),
    sa.Column('claims_payment', sa.Boolean(), nullable=False),
    sa.Column('named_in_exports', sa.Boolean(), nullable=False),
    sa.Column('attended', sa.Boolean(), nullable=True),
    sa.Column('attendance_marked_at', collab.db.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['invited_by_id'], ['user.id'], name=op.f('fk_workshop_invitee_invited_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_workshop_invitee_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_invitee_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_invitee')),
    sa.UniqueConstraint('workshop_id', 'user_id', name=op.f('uq_workshop_invitee_workshop_id_user_id'))
    )
    with op.batch_alter_table('workshop_invitee', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_invitee_user_id'), ['user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_invitee_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_theme',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_theme_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_theme'))
    )
    with op.batch_alter_table('workshop_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_theme_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_agenda_item',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('minutes', sa.Integer(), nullable=False),
    sa.Column('spec_section_id', sa.Integer(), nullable=True),
    sa.Column('clause_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['clause_id'], ['clause.id'], name=op.f('fk_workshop_agenda_item_clause_id_clause'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['spec_section_id'], ['spec_section.id'], name=op.f('fk_workshop_agenda_item_spec_section_id_spec_section'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_agenda_item_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_agenda_item'))
    )
    with op.batch_alter_table('workshop_agenda_item', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_agenda_item_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_contribution',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('group_name', sa.String(length=120), nullable=False),
    sa.Column('people', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(), nullable=False),
    sa.Column('spec_comment_id', sa.Integer(), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_workshop_contribution_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_workshop_contribution_proposal_id_proposal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['spec_comment_id'], ['spec_comment.id'], name=op.f('fk_workshop_contribution_spec_comment_id_spec_comment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_contribution_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_contribution'))
    )
    with op.batch_alter_table('workshop_contribution', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_contribution_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('spec_comment_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_workshop_decision_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_workshop_decision_proposal_id_proposal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['spec_comment_id'], ['spec_comment.id'], name=op.f('fk_workshop_decision_spec_comment_id_spec_comment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_decision_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_decision'))
    )
    with op.batch_alter_table('workshop_decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_decision_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_idea',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('agenda_item_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('for_user_id', sa.Integer(), nullable=True),
    sa.Column('for_name', sa.String(length=120), nullable=True),
    sa.Column('consent', sa.Boolean(), nullable=False),
    sa.Column('theme_id', sa.Integer(), nullable=True),
    sa.Column('merged_into_id', sa.Integer(), nullable=True),
    sa.Column('client_key', sa.String(length=64), nullable=True),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('spec_comment_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['agenda_item_id'], ['workshop_agenda_item.id'], name=op.f('fk_workshop_idea_agenda_item_id_workshop_agenda_item'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_workshop_idea_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['for_user_id'], ['user.id'], name=op.f('fk_workshop_idea_for_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['merged_into_id'], ['workshop_idea.id'], name=op.f('fk_workshop_idea_merged_into_id_workshop_idea'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_workshop_idea_proposal_id_proposal'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['spec_comment_id'], ['spec_comment.id'], name=op.f('fk_workshop_idea_spec_comment_id_spec_comment'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['theme_id'], ['workshop_theme.id'], name=op.f('fk_workshop_idea_theme_id_workshop_theme'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_idea_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_idea')),
    sa.UniqueConstraint('workshop_id', 'client_key', name=op.f('uq_workshop_idea_workshop_id_client_key'))
    )
    with op.batch_alter_table('workshop_idea', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_idea_workshop_id'), ['workshop_id'], unique=False)

    op.create_table('workshop_vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('workshop_id', sa.Integer(), nullable=False),
    sa.Column('idea_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('dots', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['idea_id'], ['workshop_idea.id'], name=op.f('fk_workshop_vote_idea_id_workshop_idea'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_workshop_vote_user_id_user'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['workshop_id'], ['workshop.id'], name=op.f('fk_workshop_vote_workshop_id_workshop'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_workshop_vote')),
    sa.UniqueConstraint('idea_id', 'user_id', name=op.f('uq_workshop_vote_idea_id_user_id'))
    )
    with op.batch_alter_table('workshop_vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_workshop_vote_idea_id'), ['idea_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_workshop_vote_workshop_id'), ['workshop_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('workshop_vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_vote_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_vote_idea_id'))

    op.drop_table('workshop_vote')
    with op.batch_alter_table('workshop_idea', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_idea_workshop_id'))

    op.drop_table('workshop_idea')
    with op.batch_alter_table('workshop_decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_decision_workshop_id'))

    op.drop_table('workshop_decision')
    with op.batch_alter_table('workshop_contribution', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_contribution_workshop_id'))

    op.drop_table('workshop_contribution')
    with op.batch_alter_table('workshop_agenda_item', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_agenda_item_workshop_id'))

    op.drop_table('workshop_agenda_item')
    with op.batch_alter_table('workshop_theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_theme_workshop_id'))

    op.drop_table('workshop_theme')
    with op.batch_alter_table('workshop_invitee', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_invitee_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_invitee_user_id'))

    op.drop_table('workshop_invitee')
    with op.batch_alter_table('workshop_action', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_action_workshop_id'))
        batch_op.drop_index(batch_op.f('ix_workshop_action_owner_id'))

    op.drop_table('workshop_action')
    with op.batch_alter_table('workshop', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_workshop_starts_at'))
        batch_op.drop_index(batch_op.f('ix_workshop_alliance_id'))

    op.drop_table('workshop')
    op.drop_table('workshop_calendar_feed')
