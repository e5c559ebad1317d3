"""Monitoring's tables: metric snapshots, alert incidents and the delivery outbox.

- ``monitoring_snapshots``: one row per artist, metric, granularity and period. A metric the
  quota mode (or missing data) cannot show is stored with ``status='unavailable'``, a NULL
  value and a ``reason`` — never as zero.
- ``monitoring_alerts``: one row per incident of a dedup key (``firing`` → ``resolved``), or
  one ``unavailable`` notice per dedup key; each carries the rule that fired and the facts.
- ``monitoring_outbox``: one row per message to one channel, written in the same transaction
  as the alert; a deliverer sends ``pending`` rows and marks them ``sent``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from analytics.warehouse import Base


class MetricSnapshot(Base):
    """One value of one metric of one artist for one day (``YYYY-MM-DD``) or hour (``…THH``)."""

    __tablename__ = "monitoring_snapshots"

    artist_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    metric: Mapped[str] = mapped_column(String(64), primary_key=True)
    granularity: Mapped[str] = mapped_column(String(8), primary_key=True)  # day | hour
    period: Mapped[str] = mapped_column(String(16), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float, default=None)
    status: Mapped[str] = mapped_column(String(16))  # ok | unavailable
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    source: Mapped[str] = mapped_column(String(32))
    run_id: Mapped[str] = mapped_column(String(64))
    captured_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AlertRow(Base):
    """An incident (or an unavailability notice) of one dedup key, with its explanation."""

    __tablename__ = "monitoring_alerts"
    __table_args__ = (
        Index("ix_monitoring_alerts_key", "dedup_key", "status"),
        Index(
            "ux_monitoring_alerts_open",
            "dedup_key",
            unique=True,
            sqlite_where=text("status = 'firing'"),
            postgresql_where=text("status = 'firing'"),
        ),
    )

    alert_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    dedup_key: Mapped[str] = mapped_column(String(255))
    rule_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    artist_id: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(160))
    severity: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))  # firing | resolved | unavailable
    summary: Mapped[str] = mapped_column(Text)
    facts: Mapped[dict[str, Any]] = mapped_column(JSON)
    rule: Mapped[dict[str, Any]] = mapped_column(JSON)
    fired_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    run_id: Mapped[str] = mapped_column(String(64))


class OutboxRow(Base):
    """One message to one channel; ``idempotency_key`` lets the receiver drop a resend."""

    __tablename__ = "monitoring_outbox"
    __table_args__ = (Index("ix_monitoring_outbox_status", "status", "created_at"),)

    outbox_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    alert_id: Mapped[str] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # sentry | pagerduty | webhook
    action: Mapped[str] = mapped_column(String(16))  # trigger | resolve | notice
    idempotency_key: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
