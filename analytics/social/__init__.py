"""Social media: platform connectors, cross-platform identity mapping, unified daily metrics.

Public entry points (see ``docs/social.md``)::

    connectors_from_settings(settings, base_urls=None) -> ConnectorSet
    musicbrainz_from_settings(settings, base_urls=None) -> MusicBrainzClient
    map_identities(spotify_artist, *, musicbrainz, connectors, overrides) -> list[IdentityLink]
    sync_account(warehouse, connector, account, *, day, run_id) -> SnapshotResult
    sync_artist(warehouse, spotify_artist, *, connectors, musicbrainz, overrides, day, run_id)
        -> ArtistSyncReport (per-platform outcomes)
    audience(warehouse, artist_id) -> DataFrame;  audience_frame(snapshots) -> DataFrame
"""

from analytics.social.audience import audience, audience_frame
from analytics.social.base import (
    SearchableConnector,
    SocialConnector,
    TokenStore,
    platform_for_url,
    platforms,
    register,
)
from analytics.social.errors import (
    AccountNotFound,
    MalformedPayload,
    NotConfigured,
    PlatformError,
    PlatformUnavailable,
    QuotaExhausted,
    RateLimited,
    SocialError,
    TokenExpired,
)
from analytics.social.identity import ArtistRef, Candidate, IdentityLink, load_overrides, map_identities
from analytics.social.models import SocialAccount, SocialPost, SocialSnapshot, engagement_rate
from analytics.social.musicbrainz import MusicBrainz, MusicBrainzClient
from analytics.social.store import SnapshotResult, store_links, sync_account
from analytics.social.sync import (
    ArtistSyncReport,
    ConnectorSet,
    PlatformOutcome,
    connectors_from_settings,
    musicbrainz_from_settings,
    sync_artist,
)

__all__ = [
    "AccountNotFound",
    "ArtistRef",
    "ArtistSyncReport",
    "Candidate",
    "ConnectorSet",
    "IdentityLink",
    "MalformedPayload",
    "MusicBrainz",
    "MusicBrainzClient",
    "NotConfigured",
    "PlatformError",
    "PlatformOutcome",
    "PlatformUnavailable",
    "QuotaExhausted",
    "RateLimited",
    "SearchableConnector",
    "SnapshotResult",
    "SocialAccount",
    "SocialConnector",
    "SocialError",
    "SocialPost",
    "SocialSnapshot",
    "TokenExpired",
    "TokenStore",
    "audience",
    "audience_frame",
    "connectors_from_settings",
    "engagement_rate",
    "load_overrides",
    "map_identities",
    "musicbrainz_from_settings",
    "platform_for_url",
    "platforms",
    "register",
    "store_links",
    "sync_account",
    "sync_artist",
]
