"""One monitoring pass over one artist: snapshot, trends, rules, decisions (library entry points).

Flows call these one per task; :func:`monitor_once` chains them for the command line.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
from sqlalchemy import select

from analytics.config import Settings
from analytics.monitoring.evaluation import Finding, evaluate
from analytics.monitoring.facts import ArtistFacts, gather_facts
from analytics.monitoring.incidents import Decisions, decide
from analytics.monitoring.rules import load_rules, rules_path
from analytics.monitoring.snapshot import MetricValue, load_series, period_of, snapshot_values, store_snapshot
from analytics.monitoring.tables import AlertRow
from analytics.monitoring.timeseries import trends
from analytics.warehouse import UpsertResult, Warehouse

if TYPE_CHECKING:
    from analytics.audit import AuditRecord


@dataclass
class Snapshot:
    """One stored snapshot: the facts it came from, its values and what was written."""

    facts: ArtistFacts
    values: list[MetricValue]
    period: str
    changes: UpsertResult

    def counts(self) -> dict[str, int]:
        return {
            "metrics": len(self.values),
            "available": sum(v.value is not None for v in self.values),
            "unavailable": sum(v.value is None for v in self.values),
        }

    def audit_record(self) -> AuditRecord:
        """The snapshot's record: the period and quota mode, the counts, why each metric that
        has no value is unavailable, and the rows written."""
        return {
            "inputs": {
                "artist_id": self.facts.artist_id,
                "period": self.period,
                "quota_mode": self.facts.quota_mode,
            },
            "outputs": self.counts(),
            "details": {"unavailable": {v.metric: v.reason for v in self.values if v.value is None}},
            "changes": self.changes,
        }


@dataclass
class Evaluation:
    """Findings of one pass and what was decided from them, with the number of rules given and
    the channels configured."""

    findings: list[Finding]
    decisions: Decisions
    trends: pd.DataFrame = field(repr=False)
    rules: int = 0
    channels: tuple[str, ...] = ()

    def counts(self) -> dict[str, Any]:
        states: dict[str, int] = {}
        for f in self.findings:
            states[f.state] = states.get(f.state, 0) + 1
        return {"rules_evaluated": len({f.rule.id for f in self.findings}), "findings": states}

    def audit_record(self) -> AuditRecord:
        """The pass's record: the counts, the decisions (alerts fired, resolved, unavailable) and
        the incidents and outbox rows they wrote."""
        decided = self.decisions
        return {
            "inputs": {"rules": self.rules, "channels": list(self.channels)},
            "outputs": {**self.counts(), **decided.as_dict()},
            "details": {
                "fired": decided.fired,
                "resolved": decided.resolved,
                "unavailable": decided.unavailable,
            },
            "changes": UpsertResult(
                inserted={
                    "monitoring_alerts": len(decided.fired) + len(decided.unavailable),
                    "monitoring_outbox": sum(decided.outbox.values()),
                },
                updated={"monitoring_alerts": len(decided.resolved)},
            ),
        }


def take_snapshot(
    warehouse: Warehouse,
    artist_id: str,
    *,
    quota_mode: str,
    run_id: str,
    now: datetime | None = None,
    granularity: str = "day",
) -> Snapshot:
    """Gather the artist's facts and store this period's metric values (idempotent).

    An hourly snapshot also updates the day's row, which the trends and rules read.
    """
    now = now or datetime.now(UTC)
    facts = gather_facts(warehouse, artist_id, quota_mode=quota_mode, now=now)
    values = snapshot_values(facts)
    period = period_of(now if granularity == "hour" else facts.day, granularity=granularity)
    changes = store_snapshot(
        warehouse, artist_id, values, period=period, granularity=granularity, run_id=run_id, now=now
    )
    if granularity == "hour":  # the day's row follows the latest hour, so daily trends stay whole
        day = period_of(facts.day, granularity="day")
        changes.add(store_snapshot(warehouse, artist_id, values, period=day, run_id=run_id, now=now))
    return Snapshot(facts=facts, values=values, period=period, changes=changes)


def evaluate_and_decide(
    warehouse: Warehouse,
    snapshot: Snapshot,
    *,
    rules: Sequence[Any],
    channels: Iterable[str],
    run_id: str,
    trace_id: str,
    now: datetime | None = None,
) -> Evaluation:
    """Trends, then every batch rule, then incidents and outbox rows in one transaction."""
    facts = snapshot.facts
    channels = list(channels)
    series = load_series(warehouse, facts.artist_id)
    findings = evaluate(rules, facts, values=snapshot.values, series=series)
    evaluated = [r for r in rules if r.enabled and r.kind != "plays_spike"]
    decisions = decide(
        warehouse,
        findings,
        rules=evaluated,
        artist_id=facts.artist_id,
        channels=channels,
        run_id=run_id,
        trace_id=trace_id,
        now=now or facts.now,
    )
    return Evaluation(
        findings=findings,
        decisions=decisions,
        trends=trends(series, as_of=facts.day),
        rules=len(rules),
        channels=tuple(channels),
    )


def snapshots_frame(warehouse: Warehouse, artist_id: str) -> pd.DataFrame:
    """The artist's stored daily and hourly snapshot rows (the ``monitoring_snapshots`` dataset)."""
    return pd.concat(
        [load_series(warehouse, artist_id), load_series(warehouse, artist_id, granularity="hour")],
        ignore_index=True,
    )


def alerts_frame(warehouse: Warehouse, *, artist_id: str | None = None) -> pd.DataFrame:
    """Stored alerts (the ``alerts`` dataset), facts and rule left out."""
    columns = [
        "alert_id",
        "dedup_key",
        "rule_id",
        "kind",
        "artist_id",
        "subject",
        "severity",
        "status",
        "summary",
    ]
    columns += ["fired_at", "resolved_at"]
    table = AlertRow.__table__
    stmt = select(*(table.c[c] for c in columns))
    if artist_id:
        stmt = stmt.where(table.c.artist_id == artist_id)
    with warehouse.engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(stmt)]
    return pd.DataFrame(rows, columns=columns)


def monitor_once(
    warehouse: Warehouse,
    artist_id: str,
    *,
    settings: Settings,
    run_id: str,
    trace_id: str,
    rules: Sequence[Any] | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Snapshot, evaluate, decide and deliver for one artist; returns the counts (no Prefect)."""
    from analytics.monitoring.channels import channels_from_settings
    from analytics.monitoring.deliver import deliver_pending

    rules = list(rules) if rules is not None else load_rules(rules_path(settings))
    snap = take_snapshot(warehouse, artist_id, quota_mode=settings.quota_mode.value, run_id=run_id, now=now)
    channels = channels_from_settings(settings)
    evaluation = evaluate_and_decide(
        warehouse, snap, rules=rules, channels=channels, run_id=run_id, trace_id=trace_id, now=now
    )
    delivery = deliver_pending(warehouse, channels)
    for channel in channels.values():
        getattr(channel, "close", lambda: None)()
    return {
        "snapshot": {**snap.counts(), "rows_written": snap.changes.rows_written},
        **evaluation.counts(),
        "decisions": evaluation.decisions.as_dict(),
        "deliveries": delivery.as_dict(),
    }
