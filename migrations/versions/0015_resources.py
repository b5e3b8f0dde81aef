"""Shared resources (issue 12): the register, opening hours, bookings, needs, calendar feeds.

Tables: resource, resource_opening, resource_exception, resource_booking, resource_need,
resource_need_offer, resource_calendar_feed.

On PostgreSQL, an exclusion constraint (btree_gist) makes overlapping approved bookings of a
single-unit resource impossible, whatever the application does: the database's own backstop
for "no double booking". Resources with several units are serialised by a row lock on the
resource (collab/resources/services/booking.py). Alembic does not compare exclusion
constraints, so the models do not declare it.

Revision ID: 0015
Revises: 0008
Create Date: 2026-12-03 09:02:47.782157
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db


revision = '0015'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('resource_calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('last_used_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_resource_calendar_feed_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_resource_calendar_feed_token_hash')),
    sa.UniqueConstraint('user_id', name=op.f('uq_resource_calendar_feed_user_id'))
    )
    op.create_table('resource',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('room', 'vehicle', 'equipment', 'staff_time', 'training_place', 'volunteer_hours', 'data', 'other', name='resource_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('location', sa.String(length=300), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('accessibility', sa.Text(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=True),
    sa.Column('units', sa.Integer(), nullable=False),
    sa.Column('rate', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('rate_unit', sa.Enum('hour', 'day', 'unit', name='resource_rate_unit', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('auto_approve', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('active', 'paused', 'retired', name='resource_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('booking_version', sa.Integer(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint('rate >= 0', name=op.f('ck_resource_rate_not_negative')),
    sa.CheckConstraint('units >= 1', name=op.f('ck_resource_units_positive')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_resource_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['contact_id'], ['user.id'], name=op.f('fk_resource_contact_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_resource_created_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_resource_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource'))
    )
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_alliance_id'), ['alliance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('resource_need',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('posted_by_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.Enum('room', 'vehicle', 'equipment', 'staff_time', 'training_place', 'volunteer_hours', 'data', 'other', name='resource_kind', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('when', sa.String(length=300), nullable=False),
    sa.Column('status', sa.Enum('open', 'met', 'closed', name='need_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closed_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_resource_need_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_resource_need_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['posted_by_id'], ['user.id'], name=op.f('fk_resource_need_posted_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_need'))
    )
    with op.batch_alter_table('resource_need', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_need_alliance_id'), ['alliance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_need_posted_by_id'), ['posted_by_id'], unique=False)

    op.create_table('resource_booking',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('alliance_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=True),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('starts_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ends_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'approved', 'declined', 'cancelled', name='booking_status', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('exclusive', sa.Boolean(), nullable=False),
    sa.Column('series', sa.String(length=32), nullable=True),
    sa.Column('rate', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('rate_unit', sa.Enum('hour', 'day', 'unit', name='resource_rate_unit', native_enum=False, create_constraint=True, length=40), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=False),
    sa.Column('cancelled_by_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', collab.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_resource_booking_ends_after_starts')),
    sa.CheckConstraint('quantity >= 1', name=op.f('ck_resource_booking_quantity_positive')),
    sa.ForeignKeyConstraint(['alliance_id'], ['alliance.id'], name=op.f('fk_resource_booking_alliance_id_alliance'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['cancelled_by_id'], ['user.id'], name=op.f('fk_resource_booking_cancelled_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user.id'], name=op.f('fk_resource_booking_decided_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_resource_booking_organisation_id_organisation'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['user.id'], name=op.f('fk_resource_booking_requested_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_resource_booking_resource_id_resource'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_booking'))
    )
    with op.batch_alter_table('resource_booking', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_booking_alliance_id'), ['alliance_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_booking_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_booking_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index('ix_resource_booking_resource_id_starts_at', ['resource_id', 'starts_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_resource_booking_series'), ['series'], unique=False)
    if op.get_bind().dialect.name == 'postgresql':
        op.execute('CREATE EXTENSION IF NOT EXISTS btree_gist')
        op.execute(
            'ALTER TABLE resource_booking ADD CONSTRAINT ex_resource_booking_no_overlap '
            "EXCLUDE USING gist (resource_id WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) "
            "WHERE (status = 'approved' AND exclusive)"
        )

    op.create_table('resource_exception',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('closed', sa.Boolean(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=True),
    sa.Column('closes', sa.Time(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_resource_exception_resource_id_resource'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_exception'))
    )
    with op.batch_alter_table('resource_exception', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_exception_resource_id'), ['resource_id'], unique=False)

    op.create_table('resource_need_offer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('need_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('offered_by_id', sa.Integer(), nullable=True),
    sa.Column('resource_id', sa.Integer(), nullable=True),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('created_at', collab.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['need_id'], ['resource_need.id'], name=op.f('fk_resource_need_offer_need_id_resource_need'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['offered_by_id'], ['user.id'], name=op.f('fk_resource_need_offer_offered_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_resource_need_offer_organisation_id_organisation'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_resource_need_offer_resource_id_resource'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_need_offer'))
    )
    with op.batch_alter_table('resource_need_offer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_need_offer_need_id'), ['need_id'], unique=False)

    op.create_table('resource_opening',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('resource_id', sa.Integer(), nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('opens', sa.Time(), nullable=False),
    sa.Column('closes', sa.Time(), nullable=False),
    sa.CheckConstraint('closes > opens', name=op.f('ck_resource_opening_closes_after_opens')),
    sa.CheckConstraint('weekday >= 0 AND weekday <= 6', name=op.f('ck_resource_opening_weekday_range')),
    sa.ForeignKeyConstraint(['resource_id'], ['resource.id'], name=op.f('fk_resource_opening_resource_id_resource'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_resource_opening'))
    )
    with op.batch_alter_table('resource_opening', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_resource_opening_resource_id'), ['resource_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('resource_opening', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_opening_resource_id'))

    op.drop_table('resource_opening')
    with op.batch_alter_table('resource_need_offer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_need_offer_need_id'))

    op.drop_table('resource_need_offer')
    with op.batch_alter_table('resource_exception', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_exception_resource_id'))

    op.drop_table('resource_exception')
    with op.batch_alter_table('resource_booking', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_booking_series'))
        batch_op.drop_index('ix_resource_booking_resource_id_starts_at')
        batch_op.drop_index(batch_op.f('ix_resource_booking_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_resource_booking_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_resource_booking_alliance_id'))

    op.drop_table('resource_booking')
    with op.batch_alter_table('resource_need', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_need_posted_by_id'))
        batch_op.drop_index(batch_op.f('ix_resource_need_alliance_id'))

    op.drop_table('resource_need')
    with op.batch_alter_table('resource', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_resource_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_resource_alliance_id'))

    op.drop_table('resource')
    op.drop_table('resource_calendar_feed')
