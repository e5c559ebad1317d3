"""Entry points for the flow: build connectors from settings, map identities, sync per platform.

A platform that is not configured, conflicted or failing is reported in its
:class:`PlatformOutcome` while the other platforms complete.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from analytics.social.base import SocialConnector, TokenStore, platforms
from analytics.social.errors import AccountNotFound, NotConfigured, SocialError
from analytics.social.identity import IdentityLink, map_identities
from analytics.social.musicbrainz import MusicBrainz, MusicBrainzClient
from analytics.social.store import (
    SnapshotResult,
    retract_provisional,
    store_links,
    stored_links,
    sync_account,
)
from analytics.warehouse import UpsertResult, Warehouse

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PlatformOutcome:
    """How one platform went for one artist.

    ``status``: ``ok``, ``failed``, ``not_configured``, ``conflict``, ``unconfirmed``,
    ``excluded`` or ``no_account``; ``detail`` says why in words a person can act on.
    """

    artist_id: str
    platform: str
    status: str
    detail: str
    result: SnapshotResult | None = None
    error_type: str | None = None


@dataclass
class ConnectorSet:
    """The configured connectors, and why each other platform is not configured."""

    connectors: dict[str, SocialConnector] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def close(self) -> None:
        for connector in self.connectors.values():
            close = getattr(connector, "close", None)
            if close:
                close()


@dataclass(frozen=True)
class ArtistSyncReport:
    """One artist's sync on ``day``: the identity decisions, one outcome per platform, and the
    (platform, platform_id) of provisional accounts this run retracted."""

    artist_id: str
    links: list[IdentityLink]
    outcomes: list[PlatformOutcome]
    retracted: list[tuple[str, str]] = field(default_factory=list)
    day: date | None = None

    @property
    def failed(self) -> list[PlatformOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def audit_record(self) -> AuditRecord:
        """The artist's record: each platform's status and why, the links, the snapshots written;
        ``partial`` when a platform failed (the others completed)."""
        changes = UpsertResult(inserted={"social_snapshots": 0}, updated={"social_snapshots": 0})
        for outcome in self.outcomes:
            if outcome.result is not None and outcome.result.written in ("inserted", "updated"):
                getattr(changes, outcome.result.written)["social_snapshots"] += 1
            elif outcome.result is not None:
                changes.unchanged["social_snapshots"] = changes.unchanged.get("social_snapshots", 0) + 1
        return {
            "inputs": {"artist_id": self.artist_id, "day": self.day.isoformat() if self.day else None},
            "outputs": {"platforms": {o.platform: o.status for o in self.outcomes}, "links": len(self.links)},
            "details": {o.platform: o.detail for o in self.outcomes},
            "outcome": "partial" if self.failed else "ok",
            "changes": changes,
        }


def connectors_from_settings(
    settings: Any, base_urls: Mapping[str, str] | None = None, *, tokens: TokenStore | None = None
) -> ConnectorSet:
    """Every registered platform's connector that has credentials in ``settings``.

    ``base_urls`` (e.g. a :class:`~analytics.sandbox.social.SocialSandbox`'s) replaces the
    configured API roots; refreshed tokens are then kept in memory only, never in the cache file.
    """
    if tokens is None:
        tokens = TokenStore(None if base_urls else settings.social_token_cache)
    out = ConnectorSet()
    for name, cls in platforms().items():
        try:
            out.connectors[name] = cls.from_settings(
                settings, base_url=(base_urls or {}).get(name), tokens=tokens
            )
        except NotConfigured as exc:
            out.missing[name] = str(exc)
    return out


def musicbrainz_from_settings(settings: Any, base_urls: Mapping[str, str] | None = None) -> MusicBrainzClient:
    return MusicBrainzClient.from_settings(settings, base_url=(base_urls or {}).get("musicbrainz"))


def sync_artist(
    warehouse: Warehouse,
    spotify_artist: Any,
    *,
    connectors: ConnectorSet,
    musicbrainz: MusicBrainz | None,
    overrides: Mapping[str, Mapping[str, str | None]] | None = None,
    day: date,
    run_id: str,
    search: bool = True,
) -> ArtistSyncReport:
    """Map one artist's identities, record them, and store today's snapshot per linked account.

    Accounts linked earlier by name search alone that MusicBrainz or an override now contradicts
    are retracted (marked removed by ``run_id``, with their snapshots) before the sync.

    When a source cannot be reached the decisions degrade, they do not flip: with MusicBrainz
    down, a platform decided earlier with MusicBrainz or an override keeps that decision (a name
    search alone does not replace it); a platform whose search failed, with nothing else to go
    on, is reported ``failed`` (not ``no_account``) and its stored decision is left as it was.
    """
    unavailable: dict[str, SocialError] = {}
    links = map_identities(
        spotify_artist,
        musicbrainz=musicbrainz,
        connectors=connectors.connectors,
        overrides=overrides,
        search=search,
        unavailable=unavailable,
    )
    artist_id = links[0].spotify_artist_id if links else _artist_id(spotify_artist)
    if unavailable:
        links = _keep_earlier_decisions(warehouse, artist_id, links, unavailable)
    store_links(warehouse, links, run_id=run_id)
    retracted = retract_provisional(warehouse, links, run_id=run_id)
    for platform, platform_id in retracted:
        log.info(
            "social account retracted",
            extra={"artist_id": artist_id, "platform": platform, "platform_id": platform_id},
        )
    by_platform = {link.platform: link for link in links}
    outcomes = []
    for platform in sorted(set(platforms()) | set(by_platform)):
        link = by_platform.get(platform)
        if platform in unavailable and (link is None or link.account is None):
            # the platform failed while we looked the artist up: not asked again in this run
            error = unavailable[platform]
            reason = (
                f"{platform}: the account the overrides name does not exist: {error}"
                if isinstance(error, AccountNotFound)  # only an override's lookup notes this one
                else f"{platform}: could not look the artist's account up: {error}"
            )
            outcomes.append(
                PlatformOutcome(artist_id, platform, "failed", reason, error_type=type(error).__name__)
            )
            continue
        outcomes.append(
            _sync_platform(warehouse, artist_id, platform, by_platform.get(platform), connectors, day, run_id)
        )
    for o in outcomes:
        log.info(
            "social sync outcome", extra={"artist_id": artist_id, "platform": o.platform, "status": o.status}
        )
    return ArtistSyncReport(artist_id, links, outcomes, retracted, day)


def _keep_earlier_decisions(
    warehouse: Warehouse, artist_id: str, links: list[IdentityLink], unavailable: Mapping[str, SocialError]
) -> list[IdentityLink]:
    """``links`` with the stored decision kept where a failed source leaves a weaker one."""
    earlier = stored_links(warehouse, artist_id)
    decided = {link.platform: link for link in links}
    for platform, before in earlier.items():
        now = decided.get(platform)
        musicbrainz_down = "musicbrainz" in unavailable and before.authoritative
        if (now is None and platform in unavailable) or (
            musicbrainz_down and (now is None or not now.authoritative)
        ):
            why = str(unavailable.get("musicbrainz" if musicbrainz_down else platform, ""))
            decided[platform] = replace(
                before, explanation=f"{before.explanation} (kept from an earlier run: {why[:200]})"
            )
    return [decided[p] for p in sorted(decided)]


def _artist_id(artist: Any) -> str:
    from analytics.social.identity import ArtistRef

    return ArtistRef.of(artist).id


def _sync_platform(
    warehouse: Warehouse,
    artist_id: str,
    platform: str,
    link: IdentityLink | None,
    connectors: ConnectorSet,
    day: date,
    run_id: str,
) -> PlatformOutcome:
    if link is None:
        return PlatformOutcome(
            artist_id, platform, "no_account", f"{platform}: no account found for this artist"
        )
    if not link.usable:
        return PlatformOutcome(artist_id, platform, link.status, f"{platform}: {link.explanation}")
    connector = connectors.connectors.get(platform)
    if connector is None:
        reason = connectors.missing.get(platform, f"{platform}: no connector registered")
        return PlatformOutcome(artist_id, platform, "not_configured", reason)
    try:
        account = link.account or connector.account(link.handle or "")
        result = sync_account(warehouse, connector, account, day=day, run_id=run_id, link=link)
    except SocialError as exc:
        return PlatformOutcome(artist_id, platform, "failed", str(exc), error_type=type(exc).__name__)
    return PlatformOutcome(
        artist_id,
        platform,
        "ok",
        f"{platform}: @{result.handle.lstrip('@')} snapshot {result.written}",
        result=result,
    )
