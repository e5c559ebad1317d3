"""The sync's own table: one checkpoint per artist and resource.

A checkpoint says how far the current sync *cycle* got for one artist (or the user's
playlists) and one resource: ``artist``, ``albums`` (the discography listing), ``tracks``
(albums whose tracks are stored) or ``playlists``. It is written in the same transaction as
the rows it vouches for, so after a crash the warehouse and the checkpoints agree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from analytics.warehouse import Base

PLAYLISTS_OWNER = "@me"  # the artist_id of the user's playlists checkpoint
RESOURCES = ("artist", "albums", "tracks", "playlists")


class SyncCheckpoint(Base):
    """Progress of one resource of one artist in the current sync cycle."""

    __tablename__ = "sync_checkpoints"

    artist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    resource: Mapped[str] = mapped_column(String(16), primary_key=True)
    cycle_id: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16))  # in_progress | complete | partial
    full: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    run_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resume_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
