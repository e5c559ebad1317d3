"""content: fact sheets and drafts

Revision ID: 0004_content
Revises: 0001_foundation
Create Date: 2026-11-23 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_content"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _bookkeeping() -> list[sa.Column]:
    return [
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("first_seen_run", sa.String(length=64), nullable=False),
        sa.Column("last_changed_run", sa.String(length=64), nullable=False),
        sa.Column("removed_run", sa.String(length=64), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "content_fact_sheets",
        sa.Column("fact_sheet_id", sa.String(length=64), nullable=False),
        sa.Column("artist_id", sa.String(length=64), nullable=False),
        sa.Column("period_start", sa.String(length=10), nullable=False),
        sa.Column("period_end", sa.String(length=10), nullable=False),
        sa.Column("schema_version", sa.String(length=32), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("coverage", sa.JSON(), nullable=False),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("fact_sheet_id"),
    )
    with op.batch_alter_table("content_fact_sheets", schema=None) as batch_op:
        batch_op.create_index("ix_content_fact_sheets_artist_id", ["artist_id"], unique=False)

    op.create_table(
        "content_drafts",
        sa.Column("fact_sheet_id", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("platform", sa.String(length=16), nullable=False),
        sa.Column("seed", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("draft_id", sa.String(length=32), nullable=False),
        sa.Column("artist_id", sa.String(length=64), nullable=False),
        sa.Column("backend", sa.String(length=32), nullable=False),
        sa.Column("model", sa.String(length=128), nullable=False),
        sa.Column("template_version", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("hashtags", sa.JSON(), nullable=False),
        sa.Column("char_limit", sa.Integer(), nullable=False),
        sa.Column("grounded", sa.Boolean(), nullable=False),
        sa.Column("validation", sa.JSON(), nullable=False),
        sa.Column("fallback", sa.JSON(), nullable=True),
        *_bookkeeping(),
        sa.PrimaryKeyConstraint("fact_sheet_id", "kind", "language", "platform", "seed"),
    )
    with op.batch_alter_table("content_drafts", schema=None) as batch_op:
        batch_op.create_index("ix_content_drafts_draft_id", ["draft_id"], unique=False)
        batch_op.create_index("ix_content_drafts_artist_id", ["artist_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("content_drafts", schema=None) as batch_op:
        batch_op.drop_index("ix_content_drafts_artist_id")
        batch_op.drop_index("ix_content_drafts_draft_id")
    op.drop_table("content_drafts")
    with op.batch_alter_table("content_fact_sheets", schema=None) as batch_op:
        batch_op.drop_index("ix_content_fact_sheets_artist_id")
    op.drop_table("content_fact_sheets")
