"""social accounts, daily snapshots and identity links

Revision ID: 0003_social
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_social"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _tracked() -> list[sa.Column]:
    return [
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen_run", sa.String(64), nullable=False),
        sa.Column("last_changed_run", sa.String(64), nullable=False),
        sa.Column("removed_run", sa.String(64), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "social_accounts",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("platform_id", sa.String(128), nullable=False),
        sa.Column("handle", sa.String(128), nullable=False),
        sa.Column("display_name", sa.Text(), nullable=True),
        sa.Column("artist_id", sa.String(64), nullable=True),
        sa.Column("verified", sa.Boolean(), nullable=True),
        sa.Column("link_source", sa.String(64), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("link_explanation", sa.Text(), nullable=False),
        *_tracked(),
        sa.PrimaryKeyConstraint("platform", "platform_id"),
    )
    op.create_index("ix_social_accounts_artist_id", "social_accounts", ["artist_id"])
    op.create_table(
        "social_snapshots",
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("platform_id", sa.String(128), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("artist_id", sa.String(64), nullable=True),
        sa.Column("followers", sa.BigInteger(), nullable=True),
        sa.Column("posts", sa.BigInteger(), nullable=True),
        sa.Column("views", sa.BigInteger(), nullable=True),
        sa.Column("likes", sa.BigInteger(), nullable=True),
        sa.Column("comments", sa.BigInteger(), nullable=True),
        sa.Column("sample_posts", sa.Integer(), nullable=False),
        sa.Column("engagement_rate", sa.Float(), nullable=True),
        *_tracked(),
        sa.PrimaryKeyConstraint("platform", "platform_id", "day"),
    )
    op.create_index("ix_social_snapshots_artist_id", "social_snapshots", ["artist_id"])
    op.create_table(
        "social_identity_links",
        sa.Column("artist_id", sa.String(64), nullable=False),
        sa.Column("platform", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("handle", sa.String(128), nullable=True),
        sa.Column("platform_id", sa.String(128), nullable=True),
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("candidates", sa.JSON(), nullable=False),
        sa.Column("overridden", sa.JSON(), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("artist_id", "platform"),
    )


def downgrade() -> None:
    op.drop_table("social_identity_links")
    op.drop_index("ix_social_snapshots_artist_id", table_name="social_snapshots")
    op.drop_table("social_snapshots")
    op.drop_index("ix_social_accounts_artist_id", table_name="social_accounts")
    op.drop_table("social_accounts")
