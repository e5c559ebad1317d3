"""catalog and streaming: every credited artist of a track, and song timelines per artist

Revision ID: 0012_track_credits
Revises: 0011_s4a_playlists

``tracks.artist_ids`` lists every artist a track credits, in Spotify's order (``artist_id``
stays the first). Stored tracks get ``[artist_id]``, which the next sync corrects where a
track credits more than one artist (an album's track list shows the credits, so the sync sees
the difference). A stored track whose content hash is the hash of its data columns gets the
hash of those columns with ``artist_ids``, so a track whose credits do not change is not
counted as changed by the next sync; the hash function is a frozen copy of
``analytics.warehouse.db.row_hash`` as it was when this migration was written.

``s4a_song_daily`` is keyed by artist, track and day: a song crediting two artists is in both
artists' Spotify for Artists exports, and each artist's timeline is kept.
"""

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0012_track_credits"
down_revision = "0011_s4a_playlists"
branch_labels = None
depends_on = None

TRACK_COLUMNS = (
    "track_id",
    "album_id",
    "artist_id",
    "name",
    "disc_number",
    "track_number",
    "duration_ms",
    "explicit",
    "isrc",
    "popularity",
)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _row_hash(row: dict[str, Any]) -> str:
    payload = {k: _canonical(v) for k, v in row.items()}
    text = json.dumps(payload, sort_keys=True, default=str, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _tracks() -> sa.TableClause:
    return sa.table(
        "tracks",
        sa.column("track_id", sa.String()),
        sa.column("album_id", sa.String()),
        sa.column("artist_id", sa.String()),
        sa.column("name", sa.Text()),
        sa.column("disc_number", sa.Integer()),
        sa.column("track_number", sa.Integer()),
        sa.column("duration_ms", sa.Integer()),
        sa.column("explicit", sa.Boolean()),
        sa.column("isrc", sa.String()),
        sa.column("popularity", sa.Integer()),
        sa.column("artist_ids", sa.JSON()),
        sa.column("content_hash", sa.String()),
    )


def _backfill_credits() -> None:
    """Give every stored track ``artist_ids = [artist_id]``, rehashing the rows whose hash agrees."""
    bind = op.get_bind()
    tracks = _tracks()
    columns = [tracks.c[c] for c in TRACK_COLUMNS]
    for record in bind.execute(sa.select(*columns, tracks.c.content_hash)).mappings().all():
        data = {c: record[c] for c in TRACK_COLUMNS}
        credits = [record["artist_id"]]
        digest = record["content_hash"]
        if digest == _row_hash(data):
            digest = _row_hash({**data, "artist_ids": credits})
        bind.execute(
            sa.update(tracks)
            .where(tracks.c.track_id == record["track_id"])
            .values(artist_ids=credits, content_hash=digest)
        )


def upgrade() -> None:
    with op.batch_alter_table("tracks", schema=None) as batch_op:
        batch_op.add_column(sa.Column("artist_ids", sa.JSON(), nullable=True))
    _backfill_credits()
    with op.batch_alter_table("tracks", schema=None) as batch_op:
        batch_op.alter_column("artist_ids", existing_type=sa.JSON(), nullable=False)
    _song_daily_key(["artist_id", "track_id", "day"])


def downgrade() -> None:
    # one row per track and day again: the row of the smallest artist id stays (a song's
    # numbers are the same in every artist's export)
    bind = op.get_bind()
    bind.execute(
        sa.text(
            "DELETE FROM s4a_song_daily WHERE EXISTS (SELECT 1 FROM s4a_song_daily AS o "
            "WHERE o.track_id = s4a_song_daily.track_id AND o.day = s4a_song_daily.day "
            "AND o.artist_id < s4a_song_daily.artist_id)"
        )
    )
    _song_daily_key(["track_id", "day"])
    with op.batch_alter_table("tracks", schema=None) as batch_op:
        batch_op.drop_column("artist_ids")


def _song_daily(key: list[str]) -> sa.Table:
    """``s4a_song_daily`` as created by ``0002_streaming``, with ``key`` as its primary key."""
    return sa.Table(
        "s4a_song_daily",
        sa.MetaData(),
        sa.Column("track_id", sa.String(64), nullable=False, primary_key=True),
        sa.Column("day", sa.Date(), nullable=False, primary_key=True),
        sa.Column("artist_id", sa.String(64), nullable=False, primary_key="artist_id" in key),
        sa.Column("listeners", sa.BigInteger(), nullable=True),
        sa.Column("streams", sa.BigInteger(), nullable=True),
        sa.Column("saves", sa.BigInteger(), nullable=True),
        sa.Column("file_hash", sa.String(64), nullable=False),
        sa.Column("run_id", sa.String(64), nullable=False),
    )


def _song_daily_key(columns: list[str]) -> None:
    """Make ``columns`` the primary key of ``s4a_song_daily`` (SQLite copies the table)."""
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        with op.batch_alter_table("s4a_song_daily", copy_from=_song_daily(columns), recreate="always"):
            pass
        return
    name = sa.inspect(bind).get_pk_constraint("s4a_song_daily").get("name") or "s4a_song_daily_pkey"
    op.drop_constraint(name, "s4a_song_daily", type_="primary")
    op.create_primary_key(name, "s4a_song_daily", columns)
