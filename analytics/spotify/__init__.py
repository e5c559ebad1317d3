"""The capability-aware Spotify client: typed models, quota-mode capabilities, retries, ETags, accounting.

Start with :meth:`SpotifyClient.from_settings`; see docs/spotify-client.md.
"""

from __future__ import annotations

from analytics.http.retry import RetryPolicy
from analytics.spotify.api import SpotifyApi
from analytics.spotify.auth import PkceLogin
from analytics.spotify.capabilities import Capabilities, capability_table
from analytics.spotify.catalog import SearchResults
from analytics.spotify.client import SpotifyClient
from analytics.spotify.errors import (
    AuthError,
    CapabilityUnavailable,
    NeedsUserToken,
    QuotaExhausted,
    RetriesExhausted,
    SpotifyError,
    SpotifyHTTPError,
    WriteOutcomeUnknown,
)
from analytics.spotify.models import (
    Album,
    Artist,
    CursorPaging,
    ExternalIds,
    Paging,
    Playlist,
    PlaylistItem,
    SimplifiedAlbum,
    SimplifiedArtist,
    SimplifiedTrack,
    Track,
    User,
)
from analytics.spotify.paging import Fetched, Page, Stream

__all__ = [
    "Album",
    "Artist",
    "AuthError",
    "Capabilities",
    "CapabilityUnavailable",
    "CursorPaging",
    "ExternalIds",
    "Fetched",
    "NeedsUserToken",
    "Page",
    "Paging",
    "PkceLogin",
    "Playlist",
    "PlaylistItem",
    "QuotaExhausted",
    "RetriesExhausted",
    "RetryPolicy",
    "SearchResults",
    "SimplifiedAlbum",
    "SimplifiedArtist",
    "SimplifiedTrack",
    "SpotifyApi",
    "SpotifyClient",
    "SpotifyError",
    "SpotifyHTTPError",
    "Stream",
    "Track",
    "User",
    "WriteOutcomeUnknown",
    "capability_table",
]
