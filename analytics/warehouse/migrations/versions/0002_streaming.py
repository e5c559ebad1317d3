"""streaming: play events, Spotify for Artists exports, daily metrics, anomalies

Revision ID: 0002_streaming
Revises: 0001_foundation
Create Date: 2026-11-23 16:30:00

A branch from 0001 of its own: other packages add their own 000x revisions on 0001 and
``Warehouse.migrate()`` upgrades every head.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_streaming"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def _facts(*extra: sa.Column) -> list[sa.Column]:
    return [
        *extra,
        sa.Column("file_hash", sa.String(64), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "stream_files",
        sa.Column("file_hash", sa.String(64), primary_key=True),
        sa.Column("source", sa.String(32), nullable=False),
        sa.Column("file_name", sa.Text(), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows_read", sa.Integer(), nullable=False),
        sa.Column("rows_stored", sa.Integer(), nullable=False),
        sa.Column("rows_duplicate", sa.Integer(), nullable=False),
        sa.Column("rows_rejected", sa.Integer(), nullable=False),
    )
    op.create_table(
        "stream_play_events",
        sa.Column("event_id", sa.String(32), primary_key=True),
        sa.Column("ts", sa.DateTime(timezone=True), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("track_id", sa.String(64), nullable=False),
        sa.Column("artist_id", sa.String(64), nullable=True),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("platform", sa.String(16), nullable=True),
        sa.Column("ms_played", sa.Integer(), nullable=False),
        sa.Column("reason_start", sa.String(24), nullable=True),
        sa.Column("reason_end", sa.String(24), nullable=True),
        sa.Column("shuffle", sa.Boolean(), nullable=True),
        sa.Column("skipped", sa.Boolean(), nullable=True),
        sa.Column("offline", sa.Boolean(), nullable=True),
        sa.Column("listener_key", sa.String(16), nullable=True),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "s4a_audience_daily",
        *_facts(
            sa.Column("artist_id", sa.String(64), primary_key=True),
            sa.Column("day", sa.Date(), primary_key=True),
            sa.Column("listeners", sa.BigInteger(), nullable=True),
            sa.Column("streams", sa.BigInteger(), nullable=True),
            sa.Column("followers", sa.BigInteger(), nullable=True),
        ),
    )
    op.create_table(
        "s4a_song_daily",
        *_facts(
            sa.Column("track_id", sa.String(64), primary_key=True),
            sa.Column("day", sa.Date(), primary_key=True),
            sa.Column("artist_id", sa.String(64), nullable=False),
            sa.Column("listeners", sa.BigInteger(), nullable=True),
            sa.Column("streams", sa.BigInteger(), nullable=True),
            sa.Column("saves", sa.BigInteger(), nullable=True),
        ),
    )
    op.create_table(
        "s4a_song_totals",
        *_facts(
            sa.Column("artist_id", sa.String(64), primary_key=True),
            sa.Column("track_id", sa.String(64), primary_key=True),
            sa.Column("as_of", sa.Date(), primary_key=True),
            sa.Column("song", sa.Text(), nullable=False),
            sa.Column("listeners", sa.BigInteger(), nullable=True),
            sa.Column("streams", sa.BigInteger(), nullable=True),
            sa.Column("saves", sa.BigInteger(), nullable=True),
            sa.Column("release_date", sa.Date(), nullable=True),
        ),
    )
    op.create_table("stream_dirty_days", sa.Column("day", sa.Date(), primary_key=True))
    op.create_table(
        "stream_country_daily",
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("track_id", sa.String(64), primary_key=True),
        sa.Column("country", sa.String(2), primary_key=True),
        sa.Column("source", sa.String(16), primary_key=True),
        sa.Column("artist_id", sa.String(64), nullable=False),
        *(
            sa.Column(c, sa.BigInteger(), nullable=False)
            for c in ("plays", "streams", "skips", "completions", "ms_played")
        ),
    )
    op.create_table(
        "stream_metrics_daily",
        sa.Column("level", sa.String(8), primary_key=True),
        sa.Column("entity_id", sa.String(64), primary_key=True),
        sa.Column("source", sa.String(16), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("artist_id", sa.String(64), nullable=False),
        sa.Column("streams", sa.BigInteger(), nullable=False),
        *(
            sa.Column(c, sa.BigInteger(), nullable=True)
            for c in ("plays", "listeners", "skips", "completions", "saves", "followers", "ms_played")
        ),
        sa.Column("streams_7d", sa.BigInteger(), nullable=False),
        sa.Column("streams_28d", sa.BigInteger(), nullable=False),
        sa.Column("streams_delta_7d", sa.BigInteger(), nullable=True),
        sa.Column("streams_delta_28d", sa.BigInteger(), nullable=True),
        *(
            sa.Column(c, sa.Float(), nullable=True)
            for c in (
                "streams_per_listener",
                "skip_rate",
                "completion_rate",
                "save_rate",
                "country_hhi",
                "hour_entropy",
            )
        ),
    )
    op.create_table(
        "stream_anomalies",
        sa.Column("anomaly_id", sa.String(64), primary_key=True),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("entity_id", sa.String(64), nullable=False),
        sa.Column("artist_id", sa.String(64), nullable=False),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("detector", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("metric", sa.String(40), nullable=False),
        sa.Column("observed", sa.Float(), nullable=False),
        sa.Column("expected", sa.Float(), nullable=True),
        sa.Column("expected_low", sa.Float(), nullable=True),
        sa.Column("expected_high", sa.Float(), nullable=True),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("model_version", sa.String(40), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
    )
    op.create_index("ix_stream_anomalies_day", "stream_anomalies", ["day"])


def downgrade() -> None:
    op.drop_index("ix_stream_anomalies_day", table_name="stream_anomalies")
    for table in (
        "stream_anomalies",
        "stream_metrics_daily",
        "stream_country_daily",
        "stream_dirty_days",
        "s4a_song_totals",
        "s4a_song_daily",
        "s4a_audience_daily",
        "stream_play_events",
        "stream_files",
    ):
        op.drop_table(table)
