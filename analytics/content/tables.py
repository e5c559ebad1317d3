"""Warehouse tables of the content package: fact sheets and drafts, keyed on natural keys.

Both carry the catalog bookkeeping columns so that :func:`analytics.warehouse.upsert_rows` stores
them idempotently and keeps every version in ``entity_versions``. Migration: ``0004_content``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from analytics.warehouse.models import Base


class _Versioned:
    content_hash: Mapped[str] = mapped_column(String(64))
    first_seen_run: Mapped[str] = mapped_column(String(64))
    last_changed_run: Mapped[str] = mapped_column(String(64))
    removed_run: Mapped[str | None] = mapped_column(String(64), default=None)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class ContentFactSheet(_Versioned, Base):
    """A fact sheet as drafts were written from it (id = SHA-256 of its content)."""

    __tablename__ = "content_fact_sheets"

    fact_sheet_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    artist_id: Mapped[str] = mapped_column(String(64), index=True)
    period_start: Mapped[str] = mapped_column(String(10))
    period_end: Mapped[str] = mapped_column(String(10))
    schema_version: Mapped[str] = mapped_column(String(32))
    facts: Mapped[list[Any]] = mapped_column(JSON)
    coverage: Mapped[dict[str, Any]] = mapped_column(JSON)


class ContentDraft(_Versioned, Base):
    """One draft; natural key: fact sheet + kind + language + platform + seed."""

    __tablename__ = "content_drafts"

    fact_sheet_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    platform: Mapped[str] = mapped_column(String(16), primary_key=True)
    seed: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    draft_id: Mapped[str] = mapped_column(String(32), index=True)
    artist_id: Mapped[str] = mapped_column(String(64), index=True)
    backend: Mapped[str] = mapped_column(String(32))
    model: Mapped[str] = mapped_column(String(128))
    template_version: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    hashtags: Mapped[list[Any]] = mapped_column(JSON)
    char_limit: Mapped[int] = mapped_column(Integer)
    grounded: Mapped[bool] = mapped_column(Boolean)
    validation: Mapped[dict[str, Any]] = mapped_column(JSON)
    fallback: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
