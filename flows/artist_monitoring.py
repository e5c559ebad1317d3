"""monitor_artist: snapshot artists, compute trends, evaluate the alert rules, deliver alerts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from prefect import flow, task

from analytics import audit, monitoring
from analytics.audit import AuditRun, RunSummary
from analytics.config import Settings
from analytics.observability import current_trace_id
from flows._steps import audited
from flows._tasks import validate_dataset
from flows.world import artists_in_scope, world


@audited("snapshot.{artist_id}")
def snapshot_artist(run: AuditRun, artist_id: str, *, now: datetime, granularity: str) -> monitoring.Snapshot:
    """Store this period's metrics of the artist; what the quota mode cannot show is marked unavailable."""
    return monitoring.take_snapshot(
        run.warehouse,
        artist_id,
        quota_mode=run.settings.quota_mode.value,
        run_id=run.run_id,
        now=now,
        granularity=granularity,
    )


@audited("rules.{snap.facts.artist_id}")
def evaluate_rules(
    run: AuditRun, snap: monitoring.Snapshot, *, rules: Sequence[Any], channels: Sequence[str], now: datetime
) -> monitoring.Evaluation:
    """Trends and every rule; incidents and their outbox rows written in one transaction."""
    return monitoring.evaluate_and_decide(
        run.warehouse,
        snap,
        rules=rules,
        channels=channels,
        run_id=run.run_id,
        trace_id=current_trace_id(),
        now=now,
    )


@audited("deliver")
def deliver_alerts(run: AuditRun, channels: Mapping[str, monitoring.Channel]) -> monitoring.DeliveryReport:
    """Send the pending outbox; a channel that fails keeps its rows for the next run."""
    return monitoring.deliver_pending(run.warehouse, channels)


@task
def stored_snapshots(run: AuditRun, artist_id: str) -> Any:
    return monitoring.snapshots_frame(run.warehouse, artist_id)


@task
def stored_alerts(run: AuditRun, artist_id: str) -> Any:
    return monitoring.alerts_frame(run.warehouse, artist_id=artist_id)


@flow(name="monitor-artist", version=audit.code_version())
def monitor_artist(
    artist_id: str | None = None, *, at: str | None = None, granularity: str = "day"
) -> RunSummary:
    """Snapshot the artists, compute trends, evaluate the alert rules and deliver the alerts.

    Parameters
    ----------
    artist_id : the Spotify artist id (default: every configured artist, see
        :func:`flows.world.artists_in_scope`).
    at : ISO time of the snapshot (default: now, UTC).
    granularity : ``day`` (one row per metric and day) or ``hour``.

    Raises
    ------
    MissingInput : the warehouse's catalog does not hold the artist (run ``encore sync`` first);
        nothing is written.
    """
    settings = Settings()
    with world(settings) as w:
        artist_ids = artists_in_scope(w, artist_id)
    rules = monitoring.load_rules(monitoring.rules_path(settings))
    now = datetime.fromisoformat(at) if at else datetime.now(UTC)
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    parameters = {"artist_ids": artist_ids, "at": now.isoformat(), "granularity": granularity}
    with audit.run("monitor_artist", settings=settings, parameters=parameters) as run:
        channels = monitoring.channels_from_settings(settings)
        fired = resolved = metrics = 0
        for each in artist_ids:
            snap = snapshot_artist(run, each, now=now, granularity=granularity)
            validate_dataset(stored_snapshots(run, each), dataset="monitoring_snapshots", run=run)
            evaluation = evaluate_rules(run, snap, rules=rules, channels=sorted(channels), now=now)
            validate_dataset(stored_alerts(run, each), dataset="alerts", run=run)
            metrics += len(snap.values)
            fired += len(evaluation.decisions.fired)
            resolved += len(evaluation.decisions.resolved)
        report = deliver_alerts(run, channels)
        run.outputs.update(
            metrics=metrics, alerts_fired=fired, alerts_resolved=resolved, deliveries_sent=report.sent
        )
    return run.summary()
