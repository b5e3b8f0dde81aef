"""Service specifications: specs, sections, frozen versions, paragraphs, comments, supports, responses.

Also an index on the shared comment table for counting visible comments per thread.

Tables: spec, spec_section, spec_version, spec_section_version, spec_paragraph, spec_comment,
spec_comment_support, spec_response, spec_clause_link. spec.current_version_id points at
spec_version, which points back at spec, so that foreign key is added after both tables exist.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 19:07:41.910273
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Shared comments: counting the visible comments of every paragraph reads only this index.
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.create_index(
            'ix_comment_thread_id_visibility', ['thread_id', 'deleted_at', 'hidden_at', 'author_id'], unique=False
        )

    op.create_table('spec',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('service_area', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('easy_read', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('drafting', 'consultation', 'reviewing', 'published', name='spec_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('consultation_opens_on', sa.Date(), nullable=True),
    sa.Column('consultation_closes_on', sa.Date(), nullable=True),
    sa.Column('current_version_id', sa.Integer(), nullable=True),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('publish_override_by_id', sa.Integer(), nullable=True),
    sa.Column('publish_override_reason', sa.Text(), nullable=True),
    sa.Column('publish_override_unanswered', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_spec_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_spec_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['publish_override_by_id'], ['user.id'], name=op.f('fk_spec_publish_override_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec'))
    )
    with op.batch_alter_table('spec', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spec_alliance_id'), ['alliance_id'], unique=False)

    op.create_table('spec_section',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spec_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('hint', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('lock_version', sa.Integer(), nullable=False),
    sa.Column('readability', sa.JSON(), nullable=False),
    sa.Column('updated_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['spec_id'], ['spec.id'], name=op.f('fk_spec_section_spec_id_spec'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_spec_section_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_section'))
    )
    with op.batch_alter_table('spec_section', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spec_section_spec_id'), ['spec_id'], unique=False)

    op.create_table('spec_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spec_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('drafting', 'consultation', 'reviewing', 'published', name='spec_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('easy_read', sa.Text(), nullable=False),
    sa.Column('canonical_text', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_spec_version_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['spec_id'], ['spec.id'], name=op.f('fk_spec_version_spec_id_spec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_version')),
    sa.UniqueConstraint('spec_id', 'number', name=op.f('uq_spec_version_spec_id_number'))
    )
    with op.batch_alter_table('spec_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spec_version_spec_id'), ['spec_id'], unique=False)

    with op.batch_alter_table('spec', schema=None) as batch_op:
        batch_op.create_foreign_key(
            'fk_spec_current_version_id_spec_version', 'spec_version', ['current_version_id'], ['id'], ondelete='SET NULL'
        )

    op.create_table('spec_clause_link',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spec_id', sa.Integer(), nullable=False),
    sa.Column('clause_id', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['clause_id'], ['clause.id'], name=op.f('fk_spec_clause_link_clause_id_clause'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_spec_clause_link_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['spec_id'], ['spec.id'], name=op.f('fk_spec_clause_link_spec_id_spec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_clause_link')),
    sa.UniqueConstraint('spec_id', 'clause_id', name=op.f('uq_spec_clause_link_spec_id_clause_id'))
    )
    with op.batch_alter_table('spec_clause_link', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spec_clause_link_clause_id'), ['clause_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spec_clause_link_spec_id'), ['spec_id'], unique=False)

    op.create_table('spec_paragraph',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spec_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('first_version', sa.Integer(), nullable=False),
    sa.Column('last_version', sa.Integer(), nullable=False),
    sa.Column('removed_in_version', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['section_id'], ['spec_section.id'], name=op.f('fk_spec_paragraph_section_id_spec_section'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['spec_id'], ['spec.id'], name=op.f('fk_spec_paragraph_spec_id_spec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_paragraph'))
    )
    with op.batch_alter_table('spec_paragraph', schema=None) as batch_op:
        batch_op.create_index('ix_spec_paragraph_section_id_position', ['section_id', 'position'], unique=False)
        batch_op.create_index(batch_op.f('ix_spec_paragraph_spec_id'), ['spec_id'], unique=False)

    op.create_table('spec_section_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('heading', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('blocks', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['section_id'], ['spec_section.id'], name=op.f('fk_spec_section_version_section_id_spec_section'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['spec_version.id'], name=op.f('fk_spec_section_version_version_id_spec_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_section_version')),
    sa.UniqueConstraint('version_id', 'section_id', name=op.f('uq_spec_section_version_version_id_section_id'))
    )
    with op.batch_alter_table('spec_section_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spec_section_version_section_id'), ['section_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_spec_section_version_version_id'), ['version_id'], unique=False)

    op.create_table('spec_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('comment_id', sa.Integer(), nullable=False),
    sa.Column('spec_id', sa.Integer(), nullable=False),
    sa.Column('section_id', sa.Integer(), nullable=False),
    sa.Column('paragraph_id', sa.Integer(), nullable=False),
    sa.Column('version_number', sa.Integer(), nullable=False),
    sa.Column('quote', sa.Text(), nullable=False),
    sa.Column('speaker_role', sa.Enum('commissioner', 'provider', 'service_user', 'facilitator', 'observer', name='alliance_role', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('anchor', sa.Enum('current', 'moved', 'edited', 'removed', name='spec_anchor_state', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('position_key', sa.Integer(), nullable=False),
    sa.Column('support_count', sa.Integer(), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['comment_id'], ['comment.id'], name=op.f('fk_spec_comment_comment_id_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['paragraph_id'], ['spec_paragraph.id'], name=op.f('fk_spec_comment_paragraph_id_spec_paragraph'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['section_id'], ['spec_section.id'], name=op.f('fk_spec_comment_section_id_spec_section'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['spec_id'], ['spec.id'], name=op.f('fk_spec_comment_spec_id_spec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_comment')),
    sa.UniqueConstraint('comment_id', name=op.f('uq_spec_comment_comment_id'))
    )
    with op.batch_alter_table('spec_comment', schema=None) as batch_op:
        batch_op.create_index('ix_spec_comment_paragraph_id', ['paragraph_id'], unique=False)
        batch_op.create_index('ix_spec_comment_spec_id_section_id', ['spec_id', 'section_id'], unique=False)
        batch_op.create_index('ix_spec_comment_spec_id_position_key', ['spec_id', 'position_key', 'id'], unique=False)
        batch_op.create_index('ix_spec_comment_spec_id_speaker_role', ['spec_id', 'speaker_role', 'comment_id'], unique=False)
        batch_op.create_index('ix_spec_comment_spec_id_anchor', ['spec_id', 'anchor', 'section_id'], unique=False)

    op.create_table('spec_comment_support',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spec_comment_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['spec_comment_id'], ['spec_comment.id'], name=op.f('fk_spec_comment_support_spec_comment_id_spec_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_spec_comment_support_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_comment_support')),
    sa.UniqueConstraint('spec_comment_id', 'user_id', name=op.f('uq_spec_comment_support_spec_comment_id_user_id'))
    )
    with op.batch_alter_table('spec_comment_support', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spec_comment_support_user_id'), ['user_id'], unique=False)

    op.create_table('spec_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('spec_comment_id', sa.Integer(), nullable=False),
    sa.Column('spec_id', sa.Integer(), nullable=False),
    sa.Column('outcome', sa.Enum('changed', 'partly_changed', 'not_changed', 'answered', name='spec_outcome', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('change_section_id', sa.Integer(), nullable=True),
    sa.Column('change_version_number', sa.Integer(), nullable=True),
    sa.Column('responded_by_id', sa.Integer(), nullable=True),
    sa.Column('responded_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['change_section_id'], ['spec_section.id'], name=op.f('fk_spec_response_change_section_id_spec_section'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['responded_by_id'], ['user.id'], name=op.f('fk_spec_response_responded_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['spec_comment_id'], ['spec_comment.id'], name=op.f('fk_spec_response_spec_comment_id_spec_comment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['spec_id'], ['spec.id'], name=op.f('fk_spec_response_spec_id_spec'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_spec_response')),
    sa.UniqueConstraint('spec_comment_id', name=op.f('uq_spec_response_spec_comment_id'))
    )
    with op.batch_alter_table('spec_response', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_spec_response_spec_id'), ['spec_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('spec', schema=None) as batch_op:
        batch_op.drop_constraint('fk_spec_current_version_id_spec_version', type_='foreignkey')

    with op.batch_alter_table('spec_response', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_response_spec_id'))

    op.drop_table('spec_response')
    with op.batch_alter_table('spec_comment_support', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_comment_support_user_id'))

    op.drop_table('spec_comment_support')
    with op.batch_alter_table('spec_comment', schema=None) as batch_op:
        batch_op.drop_index('ix_spec_comment_spec_id_anchor')
        batch_op.drop_index('ix_spec_comment_spec_id_speaker_role')
        batch_op.drop_index('ix_spec_comment_spec_id_position_key')
        batch_op.drop_index('ix_spec_comment_spec_id_section_id')
        batch_op.drop_index('ix_spec_comment_paragraph_id')

    op.drop_table('spec_comment')
    with op.batch_alter_table('spec_section_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_section_version_version_id'))
        batch_op.drop_index(batch_op.f('ix_spec_section_version_section_id'))

    op.drop_table('spec_section_version')
    with op.batch_alter_table('spec_paragraph', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_paragraph_spec_id'))
        batch_op.drop_index('ix_spec_paragraph_section_id_position')

    op.drop_table('spec_paragraph')
    with op.batch_alter_table('spec_clause_link', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_clause_link_spec_id'))
        batch_op.drop_index(batch_op.f('ix_spec_clause_link_clause_id'))

    op.drop_table('spec_clause_link')
    with op.batch_alter_table('spec_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_version_spec_id'))

    op.drop_table('spec_version')
    with op.batch_alter_table('spec_section', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_section_spec_id'))

    op.drop_table('spec_section')
    with op.batch_alter_table('spec', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_spec_alliance_id'))

    op.drop_table('spec')
    with op.batch_alter_table('comment', schema=None) as batch_op:
        batch_op.drop_index('ix_comment_thread_id_visibility')
