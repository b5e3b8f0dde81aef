"""Spec comments on a whole section, or on the whole specification.

spec_comment.paragraph_id and spec_comment.section_id may be empty: a comment with a section
and no paragraph is about the section as a whole; with neither, about the whole specification.
A check keeps a paragraph's comment tied to its section.

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-03 12:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


revision = '0032'
down_revision = '0031'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('spec_comment', schema=None) as batch_op:
        batch_op.alter_column('section_id', existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column('paragraph_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_check_constraint(
            op.f('ck_spec_comment_paragraph_has_section'), 'paragraph_id IS NULL OR section_id IS NOT NULL'
        )


def downgrade() -> None:
    # Comments on a whole section or on the whole specification have no paragraph to go back to.
    op.execute('DELETE FROM spec_comment WHERE paragraph_id IS NULL')
    with op.batch_alter_table('spec_comment', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_spec_comment_paragraph_has_section'), type_='check')
        batch_op.alter_column('paragraph_id', existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column('section_id', existing_type=sa.Integer(), nullable=False)
