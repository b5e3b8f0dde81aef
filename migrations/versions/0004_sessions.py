"""Server-side sign-in sessions and hashed, rotating remember-me tokens.

Tables: sign_in_session, remember_token.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 03:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sign_in_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('id_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_seen_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('user_agent', sa.String(length=200), nullable=True),
    sa.Column('ip_address', sa.String(length=45), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_sign_in_session_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_in_session')),
    sa.UniqueConstraint('id_hash', name=op.f('uq_sign_in_session_id_hash'))
    )
    with op.batch_alter_table('sign_in_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sign_in_session_user_id'), ['user_id'], unique=False)

    op.create_table('remember_token',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('family', sa.String(length=32), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('expires_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('used_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_remember_token_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_remember_token')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_remember_token_token_hash'))
    )
    with op.batch_alter_table('remember_token', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_remember_token_family'), ['family'], unique=False)
        batch_op.create_index(batch_op.f('ix_remember_token_user_id'), ['user_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('remember_token', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_remember_token_user_id'))
        batch_op.drop_index(batch_op.f('ix_remember_token_family'))
    op.drop_table('remember_token')
    with op.batch_alter_table('sign_in_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sign_in_session_user_id'))
    op.drop_table('sign_in_session')
