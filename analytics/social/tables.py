"""Warehouse tables of the social package (migration ``0003_social``).

- ``social_accounts``: one row per account (platform, platform id), linked to a Spotify artist;
- ``social_snapshots``: one row per account and day; a rerun on the same day updates it;
- ``social_identity_links``: the mapping decision per artist and platform, with every candidate
  and the ones an override displaced.

Snapshot and account rows carry the foundation's bookkeeping columns so that
:func:`analytics.warehouse.upsert_rows` writes only what changed and keeps each version.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, Date, DateTime, Float, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from analytics.warehouse import Base


class _Tracked:
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_run: Mapped[str] = mapped_column(String(64))
    last_changed_run: Mapped[str] = mapped_column(String(64))
    removed_run: Mapped[str | None] = mapped_column(String(64), default=None)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class SocialAccountRow(_Tracked, Base):
    __tablename__ = "social_accounts"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    platform_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    handle: Mapped[str] = mapped_column(String(128))
    display_name: Mapped[str | None] = mapped_column(Text, default=None)
    artist_id: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    verified: Mapped[bool | None] = mapped_column(Boolean, default=None)
    link_source: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    link_explanation: Mapped[str] = mapped_column(Text, default="")


class SocialSnapshotRow(_Tracked, Base):
    __tablename__ = "social_snapshots"

    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    platform_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    artist_id: Mapped[str | None] = mapped_column(String(64), index=True, default=None)
    followers: Mapped[int | None] = mapped_column(BigInteger, default=None)
    posts: Mapped[int | None] = mapped_column(BigInteger, default=None)
    views: Mapped[int | None] = mapped_column(BigInteger, default=None)
    likes: Mapped[int | None] = mapped_column(BigInteger, default=None)
    comments: Mapped[int | None] = mapped_column(BigInteger, default=None)
    sample_posts: Mapped[int] = mapped_column(Integer, default=0)
    engagement_rate: Mapped[float | None] = mapped_column(Float, default=None)


class SocialIdentityLinkRow(Base):
    __tablename__ = "social_identity_links"

    artist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    handle: Mapped[str | None] = mapped_column(String(128), default=None)
    platform_id: Mapped[str | None] = mapped_column(String(128), default=None)
    source: Mapped[str] = mapped_column(String(64))
    confidence: Mapped[float] = mapped_column(Float)
    explanation: Mapped[str] = mapped_column(Text)
    candidates: Mapped[list[Any]] = mapped_column(JSON, default=list)
    overridden: Mapped[list[Any]] = mapped_column(JSON, default=list)
    run_id: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
