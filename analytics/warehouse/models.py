"""Tables owned by the foundation: the catalog, its history, and the audit log.

Other packages add their own tables on the same :class:`Base` (``analytics/<pkg>/tables.py``)
and their own Alembic migration; ``Warehouse.migrate()`` applies every head.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Index, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    """Declarative base of every warehouse table."""

    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[str]: JSON, list[Any]: JSON}


class _CatalogEntity:
    """Columns every catalog entity carries: change detection and soft removal."""

    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_run: Mapped[str] = mapped_column(String(64))
    last_changed_run: Mapped[str] = mapped_column(String(64))
    removed_run: Mapped[str | None] = mapped_column(String(64), default=None)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class Artist(_CatalogEntity, Base):
    __tablename__ = "artists"

    artist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    genres: Mapped[list[str]] = mapped_column(JSON, default=list)
    # followers and popularity exist only in extended quota mode; NULL means "not available".
    followers: Mapped[int | None] = mapped_column(BigInteger, default=None)
    popularity: Mapped[int | None] = mapped_column(Integer, default=None)


class Album(_CatalogEntity, Base):
    __tablename__ = "albums"

    album_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    artist_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(Text)
    album_type: Mapped[str] = mapped_column(String(32))
    album_group: Mapped[str | None] = mapped_column(String(32), default=None)
    release_date: Mapped[str] = mapped_column(String(10))
    release_date_precision: Mapped[str] = mapped_column(String(8))
    total_tracks: Mapped[int] = mapped_column(Integer)
    label: Mapped[str | None] = mapped_column(Text, default=None)
    upc: Mapped[str | None] = mapped_column(String(32), default=None)


class Track(_CatalogEntity, Base):
    __tablename__ = "tracks"

    track_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    album_id: Mapped[str] = mapped_column(String(64), index=True)
    # the first credited artist (Spotify's main artist); every credit is in artist_ids
    artist_id: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(Text)
    # every credited artist, in Spotify's order: a featured artist's songs are found by it
    artist_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    disc_number: Mapped[int] = mapped_column(Integer)
    track_number: Mapped[int] = mapped_column(Integer)
    duration_ms: Mapped[int] = mapped_column(Integer)
    explicit: Mapped[bool] = mapped_column(Boolean)
    isrc: Mapped[str | None] = mapped_column(String(12), index=True, default=None)
    popularity: Mapped[int | None] = mapped_column(Integer, default=None)


class Playlist(_CatalogEntity, Base):
    __tablename__ = "playlists"

    playlist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text, default=None)
    owner_id: Mapped[str] = mapped_column(String(64))
    public: Mapped[bool | None] = mapped_column(Boolean, default=None)
    collaborative: Mapped[bool] = mapped_column(Boolean, default=False)
    snapshot_id: Mapped[str] = mapped_column(String(128))
    total_items: Mapped[int] = mapped_column(Integer)


class PlaylistItem(_CatalogEntity, Base):
    __tablename__ = "playlist_items"

    playlist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    track_id: Mapped[str | None] = mapped_column(String(64), index=True)
    added_at: Mapped[str | None] = mapped_column(String(32), default=None)
    added_by: Mapped[str | None] = mapped_column(String(64), default=None)


class EntityVersion(Base):
    """Every version of every catalog row: valid_from/valid_to, never overwritten."""

    __tablename__ = "entity_versions"
    __table_args__ = (Index("ix_entity_versions_entity", "entity_type", "entity_key", "valid_from"),)

    version_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_key: Mapped[str] = mapped_column(String(160))
    content_hash: Mapped[str] = mapped_column(String(64))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    valid_from: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    valid_to: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    run_id: Mapped[str] = mapped_column(String(64))
    change: Mapped[str] = mapped_column(String(16))  # inserted | updated | removed


class AuditRecord(Base):
    """One record of the append-only, hash-chained audit log (see ``analytics.audit``)."""

    __tablename__ = "audit_records"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    record_id: Mapped[str] = mapped_column(String(64), unique=True)
    run_id: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)  # canonical JSON of the record's fields
    prev_hash: Mapped[str] = mapped_column(String(64))
    record_hash: Mapped[str] = mapped_column(String(64))
    seal: Mapped[str | None] = mapped_column(String(64), nullable=True)  # HMAC of record_hash (audit key)
