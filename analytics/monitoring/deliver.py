"""Delivering the outbox: send each pending row, then mark it sent.

A crash after the send and before the mark resends the row on the next run; the receiver
drops it by its idempotency key (PagerDuty's ``dedup_key``, Sentry's ``event_id``, the
webhook's ``Idempotency-Key``). A crash before the send loses nothing: the row is pending.

``ENCORE_MONITORING_KILL_AT`` (``after_decide`` | ``after_send``) makes the process kill
itself with SIGKILL at that point — for the crash tests only.
"""

from __future__ import annotations

import os
import signal
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from analytics.http.retry import RetryPolicy
from analytics.monitoring.channels import Channel, DeliveryError
from analytics.monitoring.tables import OutboxRow
from analytics.observability.metrics import counter
from analytics.observability.redaction import redact
from analytics.warehouse import Warehouse

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

KILL_ENV = "ENCORE_MONITORING_KILL_AT"
DELIVERIES = counter(
    "encore_alert_deliveries_total", "Alert outbox deliveries by channel and outcome", ("channel", "outcome")
)


def crash_point(name: str) -> None:
    """Kill this process with SIGKILL when ``ENCORE_MONITORING_KILL_AT`` names this point."""
    if os.environ.get(KILL_ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class DeliveryReport:
    """Outcomes by ``channel:outcome`` (sent, retry, failed, unconfigured)."""

    outcomes: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    @property
    def sent(self) -> int:
        return sum(n for k, n in self.outcomes.items() if k.endswith(":sent"))

    @property
    def pending(self) -> int:
        return sum(n for k, n in self.outcomes.items() if k.endswith(":retry"))

    def as_dict(self) -> dict[str, Any]:
        return {"outcomes": dict(self.outcomes), "errors": list(self.errors[:20])}

    def audit_record(self) -> AuditRecord:
        """The delivery's record: outcomes by channel, sent and pending; ``partial`` on errors."""
        return {
            "outputs": {"deliveries": dict(self.outcomes), "sent": self.sent, "pending": self.pending},
            "details": {"errors": self.errors[:20]},
            "outcome": "partial" if self.errors else "ok",
        }


# the shared policy's schedule, spread over runs: 2 s after the first failure, doubling, at most an hour
OUTBOX_POLICY = RetryPolicy(max_attempts=12, base_delay_s=2.0, max_delay_s=3600.0, jitter=0.0)


def _backoff(attempts: int, *, retry_after_s: float | None) -> timedelta:
    return timedelta(seconds=max(OUTBOX_POLICY.envelope(attempts), retry_after_s or 0.0))


def deliver_pending(
    warehouse: Warehouse,
    channels: Mapping[str, Channel],
    *,
    now: datetime | None = None,
    limit: int = 500,
    ignore_backoff: bool = False,
) -> DeliveryReport:
    """Send every due pending outbox row through its channel; mark each sent or retry later.

    Parameters
    ----------
    channels : channel name -> sender; rows of a channel not configured stay pending.
    now : the clock (rows whose ``next_attempt_at`` is later wait).
    ignore_backoff : send rows that wait for their retry time too (a manual "flush").
    """
    from analytics.observability import get_logger

    log = get_logger("encore.monitoring.deliver")
    now = now or datetime.now(UTC)
    report = DeliveryReport()
    crash_point("after_decide")
    stmt = select(OutboxRow).where(OutboxRow.status == "pending").order_by(OutboxRow.created_at).limit(limit)
    if not ignore_backoff:
        stmt = stmt.where(OutboxRow.next_attempt_at <= now)
    with warehouse.session() as session:
        rows = [
            (r.outbox_id, r.channel, r.idempotency_key, r.payload, r.attempts) for r in session.scalars(stmt)
        ]
    for outbox_id, name, key, payload, attempts in rows:
        channel = channels.get(name)
        if channel is None:
            report.outcomes[f"{name}:unconfigured"] += 1
            continue
        status, error, retry_after_s = "sent", None, None
        try:
            channel.send(payload, idempotency_key=key)
        except DeliveryError as exc:
            error = redact(str(exc))
            retry_after_s = exc.retry_after_s
            status = "pending" if exc.retryable and attempts + 1 < OUTBOX_POLICY.max_attempts else "failed"
            report.errors.append(f"{name}: {error}")
        crash_point("after_send")
        if status == "sent":
            log.info("alert.delivered", channel=name, outbox_id=outbox_id, attempt=attempts + 1)
        else:
            log.warning(
                "alert.delivery_failed",
                channel=name,
                outbox_id=outbox_id,
                will_retry=status == "pending",
                error=error,
            )
        outcome = {"sent": "sent", "pending": "retry", "failed": "failed"}[status]
        report.outcomes[f"{name}:{outcome}"] += 1
        DELIVERIES.labels(channel=name, outcome=outcome).inc()
        with warehouse.session() as session:
            row = session.get(OutboxRow, outbox_id)
            if row is None or row.status != "pending":
                continue
            row.attempts = attempts + 1
            row.status = status
            row.last_error = error
            moment = datetime.now(UTC)
            if status == "sent":
                row.sent_at = moment
            else:
                row.next_attempt_at = moment + _backoff(attempts + 1, retry_after_s=retry_after_s)
    return report
