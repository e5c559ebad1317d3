"""streaming: the Spotify for Artists playlists table, kept as history across exports

Revision ID: 0011_s4a_playlists
Revises: 0010_history_play_ids

One row per export (``as_of`` day and ``period`` of the file name), playlist and song: a newer
export adds a snapshot and changes none of an older one's rows.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_s4a_playlists"
down_revision = "0010_history_play_ids"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "s4a_playlists",
        sa.Column("artist_id", sa.String(64), primary_key=True),
        sa.Column("as_of", sa.Date(), primary_key=True),
        sa.Column("period", sa.String(16), primary_key=True),
        sa.Column("playlist_key", sa.String(16), primary_key=True),
        sa.Column("track_id", sa.String(64), primary_key=True),
        sa.Column("playlist", sa.Text(), nullable=False),
        sa.Column("author", sa.Text(), nullable=False),
        sa.Column("playlist_id", sa.String(64), nullable=True),
        sa.Column("song", sa.Text(), nullable=False),
        sa.Column("isrc", sa.String(12), nullable=True),
        sa.Column("listeners", sa.BigInteger(), nullable=True),
        sa.Column("streams", sa.BigInteger(), nullable=True),
        sa.Column("date_added", sa.Date(), nullable=True),
        sa.Column("file_hash", sa.String(64), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("s4a_playlists")
