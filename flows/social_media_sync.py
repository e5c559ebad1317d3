"""sync_social_media: map the artists' social accounts and store today's numbers per platform."""

from __future__ import annotations

from contextlib import ExitStack
from datetime import UTC, date, datetime
from typing import Any

from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from analytics import audit, demo, social
from analytics.audit import AuditRun, RunSummary
from analytics.config import Settings
from analytics.sandbox.social import SocialSandbox
from analytics.social.sync import ArtistSyncReport, ConnectorSet
from analytics.warehouse import UpsertResult
from flows._tasks import table_frame, validate_dataset


@task(
    retries=3,
    retry_delay_seconds=exponential_backoff(backoff_factor=2),
    retry_jitter_factor=0.5,
    cache_policy=NO_CACHE,
)
def sync_artist_accounts(
    run: AuditRun,
    artist: dict[str, str],
    *,
    connectors: ConnectorSet,
    musicbrainz: Any,
    overrides: dict[str, Any],
    day: date,
) -> ArtistSyncReport:
    """One artist: identities, then one snapshot per linked account (platforms fail alone)."""
    report = social.sync_artist(
        run.warehouse,
        artist,
        connectors=connectors,
        musicbrainz=musicbrainz,
        overrides=overrides,
        day=day,
        run_id=run.run_id,
    )
    statuses = {o.platform: o.status for o in report.outcomes}
    changes = UpsertResult(inserted={"social_snapshots": 0}, updated={"social_snapshots": 0})
    for outcome in report.outcomes:
        if outcome.result is not None and outcome.result.written in ("inserted", "updated"):
            getattr(changes, outcome.result.written)["social_snapshots"] += 1
        elif outcome.result is not None:
            changes.unchanged["social_snapshots"] = changes.unchanged.get("social_snapshots", 0) + 1
    run.record(
        f"social.{artist['artist_id']}",
        inputs={"artist_id": artist["artist_id"], "day": day.isoformat()},
        outputs={"platforms": statuses, "links": len(report.links)},
        details={o.platform: o.detail for o in report.outcomes},
        outcome="partial" if report.failed else "ok",
        changes=changes,
    )
    return report


def _artists(run: AuditRun, settings: Settings, artist_id: str | None) -> list[dict[str, str]]:
    """The artists to map: from the warehouse's catalog, else the configured catalog file."""
    rows = [r for r in run.warehouse.rows("artists") if r["removed_run"] is None]
    if not rows:
        document = demo.load_catalog(settings.catalog_file)
        ids = settings.artist_ids or demo.demo_artist_ids(settings.catalog_file)
        rows = [{"artist_id": a["id"], "name": a["name"]} for a in document["artists"] if a["id"] in ids]
    artists = [{"artist_id": r["artist_id"], "name": r["name"]} for r in rows]
    if artist_id:
        artists = [a for a in artists if a["artist_id"] == artist_id] or [
            {"artist_id": artist_id, "name": artist_id}
        ]
    return artists


@flow(name="sync-social-media", version=audit.code_version())
def sync_social_media(artist_id: str | None = None, *, day: str | None = None) -> RunSummary:
    """Sync every configured platform for one artist (default: every artist in the catalog).

    A platform that fails or is not configured is reported in the audit record; the others
    complete. Against loopback emulators by default (``ENCORE_SOCIAL_SANDBOX``).
    """
    settings = Settings()
    on_day = date.fromisoformat(day) if day else datetime.now(UTC).date()
    with audit.run(
        "sync_social_media", settings=settings, parameters={"artist_id": artist_id, "day": on_day}
    ) as run:
        with ExitStack() as stack:
            base_urls = None
            effective = settings
            if settings.social_sandbox:
                sandbox = stack.enter_context(SocialSandbox(today=on_day).running())
                effective, base_urls = sandbox.configure(settings), sandbox.base_urls
            connectors = social.connectors_from_settings(effective, base_urls)
            stack.callback(connectors.close)
            musicbrainz = social.musicbrainz_from_settings(effective, base_urls)
            overrides = social.load_overrides(settings.social_overrides) if settings.social_overrides else {}
            for artist in _artists(run, settings, artist_id):
                sync_artist_accounts(
                    run,
                    artist,
                    connectors=connectors,
                    musicbrainz=musicbrainz,
                    overrides=overrides,
                    day=on_day,
                )
        for table, suite in (
            ("social_accounts", "social_accounts"),
            ("social_snapshots", "social_snapshots"),
        ):
            validate_dataset(table_frame(run, table), dataset=table, run=run, suite=suite)
        run.outputs["platforms_not_configured"] = len(connectors.missing)
    return run.summary()
