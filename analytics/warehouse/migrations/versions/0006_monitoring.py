"""monitoring snapshots, alerts and the delivery outbox

Revision ID: 0006_monitoring
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_monitoring"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "monitoring_snapshots",
        sa.Column("artist_id", sa.String(64), nullable=False),
        sa.Column("metric", sa.String(64), nullable=False),
        sa.Column("granularity", sa.String(8), nullable=False),
        sa.Column("period", sa.String(16), nullable=False),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("artist_id", "metric", "granularity", "period"),
    )
    op.create_table(
        "monitoring_alerts",
        sa.Column("alert_id", sa.String(32), nullable=False),
        sa.Column("dedup_key", sa.String(255), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("artist_id", sa.String(64), nullable=False),
        sa.Column("subject", sa.String(160), nullable=False),
        sa.Column("severity", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.Column("rule", sa.JSON(), nullable=False),
        sa.Column("fired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("alert_id"),
    )
    op.create_index("ix_monitoring_alerts_key", "monitoring_alerts", ["dedup_key", "status"])
    # at most one open incident per key, whoever decides (the hourly flow, a live monitor)
    op.create_index(
        "ux_monitoring_alerts_open",
        "monitoring_alerts",
        ["dedup_key"],
        unique=True,
        sqlite_where=sa.text("status = 'firing'"),
        postgresql_where=sa.text("status = 'firing'"),
    )
    op.create_index("ix_monitoring_alerts_rule_id", "monitoring_alerts", ["rule_id"])
    op.create_index("ix_monitoring_alerts_artist_id", "monitoring_alerts", ["artist_id"])
    op.create_table(
        "monitoring_outbox",
        sa.Column("outbox_id", sa.String(32), nullable=False),
        sa.Column("alert_id", sa.String(32), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("outbox_id"),
    )
    op.create_index("ix_monitoring_outbox_status", "monitoring_outbox", ["status", "created_at"])
    op.create_index("ix_monitoring_outbox_alert_id", "monitoring_outbox", ["alert_id"])


def downgrade() -> None:
    op.drop_table("monitoring_outbox")
    op.drop_table("monitoring_alerts")
    op.drop_table("monitoring_snapshots")
