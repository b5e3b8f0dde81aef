"""Email digests and reminders sent by the background job queue (issue 9).

Tables: notification_email_setting (each, daily, weekly or never, per person),
notification_digest (one row per person and period, claimed before sending),
sent_reminder (one row per reminder kind, subject and person). Columns on notification:
emailed_at (claimed before an email goes out) and digest_id.

Revision ID: 0010
Revises: 0008
Create Date: 2026-12-03 09:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import collab.db

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

_FREQUENCY = sa.Enum(
    "each", "daily", "weekly", "never", name="email_frequency", native_enum=False, create_constraint=True, length=40
)


def upgrade() -> None:
    op.create_table(
        "notification_email_setting",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("frequency", _FREQUENCY, nullable=False),
        sa.Column("updated_at", collab.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_email_setting_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_notification_email_setting")),
    )
    op.create_table(
        "notification_digest",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("frequency", _FREQUENCY, nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("created_at", collab.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", collab.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("notification_count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_notification_digest_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_digest")),
        sa.UniqueConstraint(
            "user_id", "frequency", "period_start", name=op.f("uq_notification_digest_user_id_frequency_period_start")
        ),
    )
    op.create_table(
        "sent_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("subject", sa.String(length=80), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", collab.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_sent_reminder_user_id_user"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_reminder")),
        sa.UniqueConstraint("kind", "subject", "user_id", name=op.f("uq_sent_reminder_kind_subject_user_id")),
    )
    op.create_index(op.f("ix_sent_reminder_user_id"), "sent_reminder", ["user_id"], unique=False)
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("emailed_at", collab.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("digest_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_notification_digest_id_notification_digest"),
            "notification_digest", ["digest_id"], ["id"], ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.drop_constraint(op.f("fk_notification_digest_id_notification_digest"), type_="foreignkey")
        batch.drop_column("digest_id")
        batch.drop_column("emailed_at")
    op.drop_index(op.f("ix_sent_reminder_user_id"), table_name="sent_reminder")
    op.drop_table("sent_reminder")
    op.drop_table("notification_digest")
    op.drop_table("notification_email_setting")
