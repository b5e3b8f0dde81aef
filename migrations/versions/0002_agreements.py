"""Agreements, shared documents (comment threads) and notifications.

Tables: agreement, clause, clause_revision, proposal, proposal_response, agreement_version,
agreement_version_clause, signature; discussion_thread, comment; notification,
notification_preference.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 19:06:25.586819
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('notification_preference',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('email', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_preference_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification_preference')),
    sa.UniqueConstraint('user_id', 'kind', name=op.f('uq_notification_preference_user_id_kind'))
    )
    op.create_index(op.f('ix_notification_preference_user_id'), 'notification_preference', ['user_id'], unique=False)

    op.create_table('agreement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('drafting', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_agreement_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_agreement_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement')),
    sa.UniqueConstraint('alliance_id', name=op.f('uq_agreement_alliance_id'))
    )
    op.create_table('discussion_thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('subject_type', sa.String(length=40), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_discussion_thread_alliance_id_alliance'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_thread')),
    sa.UniqueConstraint('subject_type', 'subject_id', name=op.f('uq_discussion_thread_subject_type_subject_id'))
    )
    op.create_index(op.f('ix_discussion_thread_alliance_id'), 'discussion_thread', ['alliance_id'], unique=False)

    op.create_table('notification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('url', sa.String(length=500), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_notification_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_notification_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notification'))
    )
    op.create_index('ix_notification_user_id_read_at', 'notification', ['user_id', 'read_at'], unique=False)

    op.create_table('agreement_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('canonical_text', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('published_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.Column('in_force_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_version_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['published_by_id'], ['user.id'], name=op.f('fk_agreement_version_published_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_version')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_agreement_version_agreement_id_number')),
    sa.UniqueConstraint('public_id', name=op.f('uq_agreement_version_public_id'))
    )
    op.create_index(op.f('ix_agreement_version_agreement_id'), 'agreement_version', ['agreement_id'], unique=False)
    op.create_index(op.f('ix_agreement_version_sha256'), 'agreement_version', ['sha256'], unique=False)

    op.create_table('clause',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('retired_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_clause_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_clause_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clause'))
    )
    op.create_index(op.f('ix_clause_agreement_id'), 'clause', ['agreement_id'], unique=False)

    op.create_table('comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_id', sa.Integer(), nullable=True),
    sa.Column('on_behalf_of_name', sa.String(length=100), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('body_html', sa.Text(), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('edited_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('deleted_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hidden_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.Column('hidden_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_comment_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_comment_hidden_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['on_behalf_of_id'], ['user.id'], name=op.f('fk_comment_on_behalf_of_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['parent_id'], ['comment.id'], name=op.f('fk_comment_parent_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_thread.id'], name=op.f('fk_comment_thread_id_discussion_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_comment'))
    )
    op.create_index(op.f('ix_comment_author_id'), 'comment', ['author_id'], unique=False)
    op.create_index(op.f('ix_comment_parent_id'), 'comment', ['parent_id'], unique=False)
    op.create_index(op.f('ix_comment_thread_id'), 'comment', ['thread_id'], unique=False)

    op.create_table('agreement_version_clause',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=True),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clause.id'], name=op.f('fk_agreement_version_clause_clause_id_clause'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], name=op.f('fk_agreement_version_clause_version_id_agreement_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_version_clause')),
    sa.UniqueConstraint('version_id', 'number', name=op.f('uq_agreement_version_clause_version_id_number'))
    )
    op.create_table('proposal',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('amend', 'new_clause', name='proposal_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=True),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('base_heading', sa.String(length=200), nullable=False),
    sa.Column('base_body', sa.Text(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('status', sa.Enum('open', 'carried', 'withdrawn', 'reserved', name='proposal_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('proposer_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('applied', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_proposal_agreement_id_agreement'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['clause_id'], ['clause.id'], name=op.f('fk_proposal_clause_id_clause'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_proposal_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposer_id'], ['user.id'], name=op.f('fk_proposal_proposer_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal'))
    )
    op.create_index(op.f('ix_proposal_agreement_id'), 'proposal', ['agreement_id'], unique=False)
    op.create_index(op.f('ix_proposal_clause_id'), 'proposal', ['clause_id'], unique=False)

    op.create_table('signature',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('organisation_name', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.Enum('commissioner', 'provider', 'service_user', 'facilitator', 'observer', name='alliance_role', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('typed_name', sa.String(length=200), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('signed_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ip_address', sa.String(length=64), nullable=False),
    sa.Column('user_agent', sa.String(length=400), nullable=False),
    sa.Column('version_sha256', sa.String(length=64), nullable=False),
    sa.Column('is_accession', sa.Boolean(), nullable=False),
    sa.Column('record_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_signature_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_signature_user_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], name=op.f('fk_signature_version_id_agreement_version'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_signature')),
    sa.UniqueConstraint('version_id', 'organisation_id', name=op.f('uq_signature_version_id_organisation_id'))
    )
    op.create_index(op.f('ix_signature_version_id'), 'signature', ['version_id'], unique=False)

    op.create_table('clause_revision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('source', sa.Enum('created', 'edit', 'proposal', 'retired', name='clause_revision_source', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_clause_revision_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['clause_id'], ['clause.id'], name=op.f('fk_clause_revision_clause_id_clause'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_clause_revision_proposal_id_proposal'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clause_revision')),
    sa.UniqueConstraint('clause_id', 'lock_version', name=op.f('uq_clause_revision_clause_id_lock_version'))
    )
    op.create_index(op.f('ix_clause_revision_clause_id'), 'clause_revision', ['clause_id'], unique=False)

    op.create_table('proposal_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('proposal_id', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('seat_key', sa.String(length=40), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('responder_id', sa.Integer(), nullable=True),
    sa.Column('response', sa.Enum('agree', 'stand_aside', 'object', name='proposal_response_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_proposal_response_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['proposal_id'], ['proposal.id'], name=op.f('fk_proposal_response_proposal_id_proposal'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['responder_id'], ['user.id'], name=op.f('fk_proposal_response_responder_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_proposal_response')),
    sa.UniqueConstraint('proposal_id', 'revision', 'seat_key', name=op.f('uq_proposal_response_proposal_id_revision_seat_key'))
    )
    op.create_index(op.f('ix_proposal_response_proposal_id'), 'proposal_response', ['proposal_id'], unique=False)



def downgrade() -> None:
    op.drop_index(op.f('ix_proposal_response_proposal_id'), table_name='proposal_response')

    op.drop_table('proposal_response')
    op.drop_index(op.f('ix_clause_revision_clause_id'), table_name='clause_revision')

    op.drop_table('clause_revision')
    op.drop_index(op.f('ix_signature_version_id'), table_name='signature')

    op.drop_table('signature')
    op.drop_index(op.f('ix_proposal_clause_id'), table_name='proposal')
    op.drop_index(op.f('ix_proposal_agreement_id'), table_name='proposal')

    op.drop_table('proposal')
    op.drop_table('agreement_version_clause')
    op.drop_index(op.f('ix_comment_thread_id'), table_name='comment')
    op.drop_index(op.f('ix_comment_parent_id'), table_name='comment')
    op.drop_index(op.f('ix_comment_author_id'), table_name='comment')

    op.drop_table('comment')
    op.drop_index(op.f('ix_clause_agreement_id'), table_name='clause')

    op.drop_table('clause')
    op.drop_index(op.f('ix_agreement_version_sha256'), table_name='agreement_version')
    op.drop_index(op.f('ix_agreement_version_agreement_id'), table_name='agreement_version')

    op.drop_table('agreement_version')
    op.drop_index('ix_notification_user_id_read_at', table_name='notification')

    op.drop_table('notification')
    op.drop_index(op.f('ix_discussion_thread_alliance_id'), table_name='discussion_thread')

    op.drop_table('discussion_thread')
    op.drop_table('agreement')
    op.drop_index(op.f('ix_notification_preference_user_id'), table_name='notification_preference')

    op.drop_table('notification_preference')
