"""Deciding: findings become incidents and outbox rows in one transaction.

- ``firing`` and no open incident of the key (and the key not cooling down after a resolve):
  a new incident and one ``trigger`` outbox row per channel;
- ``firing`` with an open incident: nothing (deduplicated);
- open incident whose key is no longer firing or holding: resolved, with one ``resolve`` row
  per channel that has a resolve (PagerDuty, webhook);
- ``unavailable``: one notice per key, ever (webhook), never a page.

Nothing is sent here: :func:`analytics.monitoring.deliver.deliver_pending` sends the outbox.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from analytics.monitoring.channels import AlertMessage, pagerduty_event, sentry_event, webhook_message
from analytics.monitoring.findings import Finding, jsonable
from analytics.monitoring.tables import AlertRow, OutboxRow
from analytics.warehouse import Warehouse

DEFAULT_CHANNELS = {
    "critical": ("pagerduty", "sentry", "webhook"),
    "error": ("pagerduty", "sentry", "webhook"),
    "warning": ("sentry", "webhook"),
    "info": ("webhook",),
}
RESOLVE_CHANNELS = ("pagerduty", "webhook")


@dataclass
class Decisions:
    """What deciding did, for the audit record."""

    fired: list[str] = field(default_factory=list)
    resolved: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)
    deduplicated: int = 0
    cooling_down: int = 0
    outbox: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        return {
            "fired": len(self.fired),
            "resolved": len(self.resolved),
            "unavailable": len(self.unavailable),
            "deduplicated": self.deduplicated,
            "cooling_down": self.cooling_down,
            "outbox": dict(self.outbox),
        }


def decide(
    warehouse: Warehouse,
    findings: Sequence[Finding],
    *,
    rules: Iterable[Any],
    artist_id: str,
    channels: Iterable[str],
    run_id: str,
    trace_id: str,
    now: datetime | None = None,
) -> Decisions:
    """Turn one artist's findings into incidents and outbox rows, atomically.

    Parameters
    ----------
    findings : the artist's findings (:func:`analytics.monitoring.evaluation`).
    rules : the rules that were evaluated; open incidents of these rules whose key is not
        firing or holding any more are resolved.
    channels : the configured channels; rows are written only for these.

    At most one incident per key is open (a unique index); a decider that loses a race to
    open the same incident rolls back and decides again, seeing the other's incident.
    """
    now = now or datetime.now(UTC)
    enabled = set(channels)
    for attempt in range(3):
        try:
            return _decide_once(
                warehouse, findings, rules=list(rules), artist_id=artist_id, enabled=enabled,
                run_id=run_id, trace_id=trace_id, now=now,
            )  # fmt: skip
        except IntegrityError:  # another decider opened the same incident first: look again
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def _decide_once(
    warehouse: Warehouse,
    findings: Sequence[Finding],
    *,
    rules: Sequence[Any],
    artist_id: str,
    enabled: set[str],
    run_id: str,
    trace_id: str,
    now: datetime,
) -> Decisions:
    out = Decisions()
    with warehouse.session() as session:
        for finding in findings:
            if finding.state == "firing":
                _fire(session, finding, enabled=enabled, run_id=run_id, trace_id=trace_id, now=now, out=out)
            elif finding.state == "unavailable":
                _unavailable(
                    session, finding, enabled=enabled, run_id=run_id, trace_id=trace_id, now=now, out=out
                )
        live = {f.key for f in findings if f.state in ("firing", "hold", "unavailable")}
        for rule in rules:
            if rule.resolve.when != "clear":
                continue
            opened = session.scalars(
                select(AlertRow).where(
                    AlertRow.rule_id == rule.id, AlertRow.artist_id == artist_id, AlertRow.status == "firing"
                )
            ).all()
            for alert in opened:
                if alert.dedup_key not in live:
                    resolve_alert(
                        session, alert, enabled=enabled, run_id=run_id, trace_id=trace_id, now=now, out=out
                    )
    return out


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _fire(
    session: Session,
    f: Finding,
    *,
    enabled: set[str],
    run_id: str,
    trace_id: str,
    now: datetime,
    out: Decisions,
) -> None:
    key = f.key
    previous = session.scalars(
        select(AlertRow).where(AlertRow.dedup_key == key, AlertRow.status.in_(("firing", "resolved")))
    ).all()
    if any(a.status == "firing" for a in previous):
        out.deduplicated += 1
        return
    last = max((_aware(a.resolved_at) for a in previous if a.resolved_at), default=None)
    if last is not None and now - last < f.rule.cooldown:
        out.cooling_down += 1
        return
    alert = _new_alert(f, status="firing", run_id=run_id, now=now)
    session.add(alert)
    wanted = f.rule.channels or DEFAULT_CHANNELS[f.rule.severity]
    _enqueue(
        session, alert, "trigger", [c for c in wanted if c in enabled], trace_id=trace_id, now=now, out=out
    )
    out.fired.append(key)


def _unavailable(
    session: Session,
    f: Finding,
    *,
    enabled: set[str],
    run_id: str,
    trace_id: str,
    now: datetime,
    out: Decisions,
) -> None:
    key = f.key
    seen = session.scalars(
        select(AlertRow.alert_id).where(AlertRow.dedup_key == key, AlertRow.status == "unavailable").limit(1)
    ).first()
    if seen is not None:
        return
    alert = _new_alert(f, status="unavailable", run_id=run_id, now=now)
    session.add(alert)
    _enqueue(
        session,
        alert,
        "notice",
        [c for c in ("webhook",) if c in enabled],
        trace_id=trace_id,
        now=now,
        out=out,
    )
    out.unavailable.append(key)


def resolve_alert(
    session: Session,
    alert: AlertRow,
    *,
    enabled: set[str],
    run_id: str,
    trace_id: str,
    now: datetime,
    out: Decisions,
) -> None:
    """Mark an open incident resolved and queue its resolve messages (once: it is no longer open)."""
    alert.status = "resolved"
    alert.resolved_at = now
    triggered = set(
        session.scalars(
            select(OutboxRow.channel).where(
                OutboxRow.alert_id == alert.alert_id, OutboxRow.action == "trigger"
            )
        ).all()
    )
    channels = [c for c in RESOLVE_CHANNELS if c in triggered and c in enabled]
    _enqueue(session, alert, "resolve", channels, trace_id=trace_id, now=now, out=out)
    out.resolved.append(alert.dedup_key)


def _new_alert(f: Finding, *, status: str, run_id: str, now: datetime) -> AlertRow:
    return AlertRow(
        alert_id=uuid.uuid4().hex,
        dedup_key=f.key,
        rule_id=f.rule.id,
        kind=f.rule.kind,
        artist_id=f.artist_id,
        subject=f.subject[:160],
        severity=f.rule.severity if status == "firing" else "info",
        status=status,
        summary=f.summary,
        facts=jsonable(dict(f.facts)),
        rule=f.rule.explain(),
        fired_at=now,
        run_id=run_id,
    )


def _enqueue(
    session: Session,
    alert: AlertRow,
    action: str,
    channels: Sequence[str],
    *,
    trace_id: str,
    now: datetime,
    out: Decisions,
) -> None:
    message = AlertMessage(
        alert_id=alert.alert_id,
        action=action,
        dedup_key=alert.dedup_key,
        rule_id=alert.rule_id,
        kind=alert.kind,
        severity=alert.severity,
        artist_id=alert.artist_id,
        subject=alert.subject,
        summary=alert.summary,
        facts=alert.facts,
        rule=alert.rule,
        at=now,
        trace_id=trace_id,
        run_id=alert.run_id,
    )
    for channel in channels:
        outbox_id = uuid.uuid4().hex
        if channel == "sentry":
            payload, key = sentry_event(message, event_id=outbox_id, span_id=outbox_id[:16]), outbox_id
        elif channel == "pagerduty":
            payload, key = pagerduty_event(message), f"{action}:{alert.alert_id}"
        else:
            payload, key = webhook_message(message), outbox_id
        session.add(
            OutboxRow(
                outbox_id=outbox_id,
                alert_id=alert.alert_id,
                channel=channel,
                action=action,
                idempotency_key=key,
                payload=payload,
                status="pending",
                attempts=0,
                created_at=now,
                next_attempt_at=now,
            )
        )
        out.outbox[channel] += 1
