"""audio features per catalog track

Revision ID: 0007_audio
Revises: 0001_foundation
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_audio"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "track_audio_features",
        sa.Column("track_id", sa.String(64), primary_key=True),
        sa.Column("audio_hash", sa.String(80), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("feature_set_version", sa.String(32), nullable=False),
        sa.Column("match_method", sa.String(16), nullable=False),
        sa.Column("match_confidence", sa.Float(), nullable=False),
        *(
            sa.Column(name, sa.Float(), nullable=True)
            for name in ("duration_s", "tempo_bpm", "tempo_confidence")
        ),
        sa.Column("key", sa.String(4), nullable=True),
        sa.Column("mode", sa.String(8), nullable=True),
        *(
            sa.Column(name, sa.Float(), nullable=True)
            for name in (
                "key_confidence",
                "loudness_lufs",
                "true_peak_dbtp",
                "energy",
                "beat_regularity",
                "onset_rate_per_s",
                "spectral_centroid_hz",
            )
        ),
        sa.Column("features", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("first_seen_run", sa.String(64), nullable=False),
        sa.Column("last_changed_run", sa.String(64), nullable=False),
        sa.Column("removed_run", sa.String(64), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
    )


def downgrade() -> None:
    op.drop_table("track_audio_features")
