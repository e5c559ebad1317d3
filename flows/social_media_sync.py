"""sync_social_media: map the artists' social accounts and store today's numbers per platform."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from prefect import flow

from analytics import audit, social
from analytics.audit import AuditRun, RunSummary
from analytics.config import NO_CATALOG, NO_SOCIAL_PLATFORM, MissingInput, Settings
from analytics.social.sync import ArtistSyncReport, ConnectorSet
from flows._policies import NETWORK
from flows._steps import audited
from flows._tasks import table_frame, validate_dataset
from flows.world import SocialApis, World, stored_rows, world


@audited("social.{artist[artist_id]}", **NETWORK)
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
    return social.sync_artist(
        run.warehouse,
        artist,
        connectors=connectors,
        musicbrainz=musicbrainz,
        overrides=overrides,
        day=day,
        run_id=run.run_id,
    )


def artists_to_map(w: World, artist_id: str | None = None) -> list[dict[str, str]]:
    """The artists to map, read before anything is written: the warehouse's catalog, else (the
    sandbox world before its first sync) the served catalog's artists.

    Raises
    ------
    MissingInput : the warehouse holds no artist and the world serves no catalog (a real world).
    """
    rows = stored_rows(w.settings, "artists", ("artist_id", "name"))
    if not rows and w.catalog is not None:
        rows = [
            {"artist_id": a["id"], "name": a["name"]} for a in w.catalog["artists"] if a["id"] in w.artists
        ]
    if not rows:
        raise MissingInput(NO_CATALOG, setting="encore sync")
    artists = [{"artist_id": r["artist_id"], "name": r["name"]} for r in rows]
    if artist_id:
        artists = [a for a in artists if a["artist_id"] == artist_id] or [
            {"artist_id": artist_id, "name": artist_id}
        ]
    return artists


def social_apis(w: World, *, day: date) -> SocialApis:
    """The world's social connectors, with at least one platform configured.

    Raises
    ------
    MissingInput : no platform has credentials (a real world without any social setting).
    """
    apis = w.social(day=day)
    if not apis.connectors.connectors:
        raise MissingInput(NO_SOCIAL_PLATFORM, setting="ENCORE_YOUTUBE_API_KEY")
    return apis


@flow(name="sync-social-media", version=audit.code_version())
def sync_social_media(artist_id: str | None = None, *, day: str | None = None) -> RunSummary:
    """Sync every configured platform for one artist (default: every artist in the catalog).

    A platform that fails or is not configured is reported in the audit record; the others
    complete. In the world ``ENCORE_WORLD`` names (loopback emulators by default).

    Raises
    ------
    MissingInput : (real world) the warehouse holds no catalog yet, or no platform is
        configured; nothing is written.
    """
    settings = Settings()
    on_day = date.fromisoformat(day) if day else datetime.now(UTC).date()
    with world(settings) as w:
        artists = artists_to_map(w, artist_id)
        apis = social_apis(w, day=on_day)
        overrides = social.load_overrides(settings.social_overrides) if settings.social_overrides else {}
        with audit.run(
            "sync_social_media", settings=settings, parameters={"artist_id": artist_id, "day": on_day}
        ) as run:
            connectors = apis.connectors
            for artist in artists:
                sync_artist_accounts(
                    run,
                    artist,
                    connectors=connectors,
                    musicbrainz=apis.musicbrainz,
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
