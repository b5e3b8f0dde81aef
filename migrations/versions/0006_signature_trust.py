"""Trust in signatures and the audit trail (issue 7).

- agreement_version: alliance_name (frozen at publication), reference (random, in the
  canonical text), audit_head (the audit trail's head when it was published).
- signature: account_name (the account's name beside the typed one), hash_scheme.
- audit_entry: hash_scheme.
  Existing signatures and audit entries keep their unkeyed SHA-256 and are marked
  "sha256" (legacy); new rows are "hmac-sha256".
- Existing versions: alliance_name is read back from their canonical text (the
  "Alliance: ..." line, which is what was published), or the alliance's current name
  if the text has no such line.
- PostgreSQL: triggers refuse UPDATE, DELETE and TRUNCATE on signature and audit_entry.

Revision ID: 0006
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0003"
branch_labels = None
depends_on = None

PROTECTED = ("signature", "audit_entry")


def _frozen_alliance_name(canonical_text: str, current: str) -> str:
    for line in (canonical_text or "").split("\n")[:6]:
        if line.startswith("Alliance: "):
            return line[len("Alliance: "):][:200]
    return (current or "")[:200]


def upgrade() -> None:
    with op.batch_alter_table("agreement_version", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alliance_name", sa.String(length=200), server_default="", nullable=False))
        batch_op.add_column(sa.Column("reference", sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column("audit_head", sa.String(length=90), nullable=True))
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.add_column(sa.Column("account_name", sa.String(length=100), nullable=True))
        batch_op.add_column(sa.Column("hash_scheme", sa.String(length=20), server_default="sha256", nullable=False))
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.add_column(sa.Column("hash_scheme", sa.String(length=20), server_default="sha256", nullable=False))

    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT v.id, v.canonical_text, al.name FROM agreement_version v "
        "JOIN agreement a ON a.id = v.agreement_id JOIN alliance al ON al.id = a.alliance_id"
    )).all()
    for version_id, canonical_text, current in rows:
        bind.execute(
            sa.text("UPDATE agreement_version SET alliance_name = :name WHERE id = :id"),
            {"name": _frozen_alliance_name(canonical_text, current), "id": version_id},
        )

    if bind.dialect.name == "postgresql":
        op.execute(
            """
            CREATE OR REPLACE FUNCTION collab_refuse_change() RETURNS trigger AS $$
            BEGIN
                RAISE EXCEPTION '% rows cannot be changed or deleted (tamper evidence)', TG_TABLE_NAME
                    USING ERRCODE = 'insufficient_privilege';
            END;
            $$ LANGUAGE plpgsql
            """
        )
        for table in PROTECTED:
            op.execute(
                f"CREATE TRIGGER {table}_refuse_change BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION collab_refuse_change()"
            )
            op.execute(
                f"CREATE TRIGGER {table}_refuse_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION collab_refuse_change()"
            )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in PROTECTED:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_truncate ON {table}")
            op.execute(f"DROP TRIGGER IF EXISTS {table}_refuse_change ON {table}")
        op.execute("DROP FUNCTION IF EXISTS collab_refuse_change()")
    with op.batch_alter_table("audit_entry", schema=None) as batch_op:
        batch_op.drop_column("hash_scheme")
    with op.batch_alter_table("signature", schema=None) as batch_op:
        batch_op.drop_column("hash_scheme")
        batch_op.drop_column("account_name")
    with op.batch_alter_table("agreement_version", schema=None) as batch_op:
        batch_op.drop_column("audit_head")
        batch_op.drop_column("reference")
        batch_op.drop_column("alliance_name")
