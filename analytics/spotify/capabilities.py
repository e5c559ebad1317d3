"""What a Spotify app may call in each quota mode, and how it batches and pages (pure data).

The matrix follows the Web API as it is in 2026: development-mode apps lost the batch
endpoints, artist top tracks, followers and popularity; extended-quota apps keep the older
surface. Features removed for every new app (audio features, recommendations, ...) are listed
too, so that asking for them fails with a clear reason instead of a 403 or a 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.config import QuotaMode
from analytics.spotify.errors import CapabilityUnavailable

DEV, EXT = QuotaMode.development, QuotaMode.extended
BOTH = frozenset({DEV, EXT})


@dataclass(frozen=True)
class Feature:
    """One capability: where it exists and what it shows in each mode."""

    name: str
    summary: str
    modes: frozenset[QuotaMode]
    development: str
    extended: str
    instead: str = ""


def _f(
    name: str, summary: str, modes: frozenset[QuotaMode], dev: str, ext: str, instead: str = ""
) -> Feature:
    return Feature(name, summary, modes, dev, ext, instead)


_REMOVED = "removed for new apps since Nov 2024"
FEATURES: dict[str, Feature] = {
    f.name: f
    for f in [
        _f("artist", "GET /artists/{id}", BOTH, "name, genres, images; followers and popularity are None",
           "everything, with followers and popularity"),
        _f("album", "GET /albums/{id}", BOTH, "tracks, UPC; label and popularity are None",
           "everything, with label and popularity"),
        _f("track", "GET /tracks/{id}", BOTH, "ISRC (external_ids) since Mar 2026; popularity is None",
           "everything, with popularity and available markets"),
        _f("several_artists", "GET /artists?ids= (50 a request)", frozenset({EXT}), "one GET /artists/{id} each",
           "batches of 50", "artists(ids) falls back to one call per id"),
        _f("several_albums", "GET /albums?ids= (20 a request)", frozenset({EXT}), "one GET /albums/{id} each",
           "batches of 20", "albums(ids) falls back to one call per id"),
        _f("several_tracks", "GET /tracks?ids= (50 a request)", frozenset({EXT}), "one GET /tracks/{id} each",
           "batches of 50", "tracks(ids) falls back to one call per id"),
        _f("artist_followers", "artist followers count", frozenset({EXT}), "not shown (None)", "shown",
           "track the artist's own numbers (streaming exports) instead"),
        _f("popularity", "artist/album/track popularity 0-100", frozenset({EXT}), "not shown (None)", "shown",
           "use stream counts from streaming exports"),
        _f("artist_top_tracks", "GET /artists/{id}/top-tracks", frozenset({EXT}), "unavailable", "top 10 tracks",
           "rank the artist's tracks by streams from the streaming exports"),
        _f("artist_albums", "GET /artists/{id}/albums", BOTH, "pages of 10", "pages of 50"),
        _f("album_tracks", "GET /albums/{id}/tracks", BOTH, "pages of 50", "pages of 50"),
        _f("search", "GET /search", BOTH, "at most 10 results a page", "at most 50 results a page"),
        _f("me", "GET /me", BOTH, "the user's profile", "the user's profile"),
        _f("my_playlists", "GET /me/playlists", BOTH, "pages of 50", "pages of 50"),
        _f("playlist", "GET /playlists/{id}", BOTH, "entries under `items`/`item`", "entries under `tracks`/`track`"),
        _f("playlist_items", "GET /playlists/{id}/items (dev) or /tracks (ext)", BOTH,
           "pages of 50; only playlists the user owns or collaborates on",
           "pages of 100; any playlist"),
        _f("other_users_playlists", "items of playlists the user neither owns nor collaborates on",
           frozenset({EXT}), "403", "readable", "ask the owner to add the user as collaborator"),
        _f("playlist_write", "create, change details, add/replace/reorder/remove items", BOTH,
           "100 items a request", "100 items a request"),
        _f("followed_artists", "GET /me/following?type=artist", BOTH, "pages of 50", "pages of 50"),
        _f("follow_artists", "PUT /me/following?type=artist", BOTH, "50 ids a request", "50 ids a request"),
        _f("user_profile", "GET /users/{id}", frozenset({EXT}), "unavailable", "public profile",
           "only the current user's profile (me()) is readable"),
        _f("new_releases", "GET /browse/new-releases", frozenset({EXT}), "unavailable", "available"),
        _f("browse_categories", "GET /browse/categories", frozenset({EXT}), "unavailable", "available"),
        _f("markets", "GET /markets", frozenset({EXT}), "unavailable", "available"),
        _f("audio_features", "GET /audio-features", frozenset(), _REMOVED, _REMOVED,
           "encore computes audio features from the audio files (analytics.audio)"),
        _f("audio_analysis", "GET /audio-analysis/{id}", frozenset(), _REMOVED, _REMOVED,
           "encore analyses the audio files itself (analytics.audio)"),
        _f("recommendations", "GET /recommendations", frozenset(), _REMOVED, _REMOVED,
           "use analytics.ml similarity over encore's own features"),
        _f("related_artists", "GET /artists/{id}/related-artists", frozenset(), _REMOVED, _REMOVED),
        _f("featured_playlists", "GET /browse/featured-playlists", frozenset(), _REMOVED, _REMOVED),
        _f("preview_url", "30-second preview URLs", frozenset(), _REMOVED, _REMOVED,
           "use the artist's own audio files"),
    ]
}  # fmt: skip

#: objects a batch endpoint returns, and how many ids a request may carry in each mode
BATCH_SIZES: dict[str, dict[QuotaMode, int]] = {
    "artists": {DEV: 1, EXT: 50},
    "albums": {DEV: 1, EXT: 20},
    "tracks": {DEV: 1, EXT: 50},
    "playlist_write": {DEV: 100, EXT: 100},
    "follow": {DEV: 50, EXT: 50},
}

#: the largest ``limit`` each paged endpoint accepts in each mode
PAGE_LIMITS: dict[str, dict[QuotaMode, int]] = {
    "search": {DEV: 10, EXT: 50},
    "artist_albums": {DEV: 10, EXT: 50},
    "album_tracks": {DEV: 50, EXT: 50},
    "playlist_items": {DEV: 50, EXT: 100},
    "my_playlists": {DEV: 50, EXT: 50},
    "followed_artists": {DEV: 50, EXT: 50},
}

#: fields a mode does not give; the models leave them None (never 0)
HIDDEN_FIELDS: dict[QuotaMode, dict[str, tuple[str, ...]]] = {
    DEV: {
        "artist": ("followers", "popularity"),
        "album": ("label", "popularity", "available_markets"),
        "track": ("popularity", "available_markets"),
    },
    EXT: {},
}


class Capabilities:
    """The capability matrix for one quota mode.

    >>> caps = Capabilities(QuotaMode.development)
    >>> caps.can("several_tracks"), caps.batch_size("tracks"), caps.page_limit("artist_albums")
    (False, 1, 10)
    """

    def __init__(self, mode: QuotaMode | str) -> None:
        self.mode = QuotaMode(mode)

    def __repr__(self) -> str:
        return f"Capabilities({self.mode.value!r})"

    def feature(self, name: str) -> Feature:
        """The :class:`Feature` called ``name``; a clear error for an unknown name."""
        try:
            return FEATURES[name]
        except KeyError:
            raise ValueError(
                f"unknown Spotify capability {name!r}; known: {', '.join(sorted(FEATURES))}"
            ) from None

    def can(self, name: str) -> bool:
        """Whether this mode gives the feature ``name``."""
        return self.mode in self.feature(name).modes

    def require(self, name: str) -> None:
        """Raise :class:`CapabilityUnavailable` unless this mode gives ``name``."""
        feature = self.feature(name)
        if self.mode in feature.modes:
            return
        others = tuple(m.value for m in QuotaMode if m in feature.modes)
        if others:
            where = (
                f"it needs quota mode {' or '.join(repr(o) for o in others)} (ENCORE_QUOTA_MODE="
                f"{others[0]}, once Spotify has granted the app extended quota)"
            )
        else:
            where = "no Spotify app can use it any more"
        message = f"{feature.summary} ({name}) is not available in quota mode {self.mode.value!r}: {where}."
        if feature.instead:
            message += f" Instead: {feature.instead}."
        raise CapabilityUnavailable(message, feature=name, mode=self.mode.value, available_in=others)

    def batch_size(self, kind: str) -> int:
        """How many ids one request may carry for ``kind`` (1: one call per id)."""
        try:
            return BATCH_SIZES[kind][self.mode]
        except KeyError:
            raise ValueError(f"no batch size for {kind!r}; known: {', '.join(BATCH_SIZES)}") from None

    def page_limit(self, endpoint: str) -> int:
        """The largest page the paged ``endpoint`` returns in this mode."""
        try:
            return PAGE_LIMITS[endpoint][self.mode]
        except KeyError:
            raise ValueError(f"no page limit for {endpoint!r}; known: {', '.join(PAGE_LIMITS)}") from None

    def hidden_fields(self, kind: str) -> tuple[str, ...]:
        """Fields of ``kind`` (artist, album, track) this mode does not give (left None)."""
        return HIDDEN_FIELDS[self.mode].get(kind, ())

    @property
    def playlist_items_path(self) -> str:
        """``items`` in development mode (entries carry ``item``), ``tracks`` in extended mode."""
        return "items" if self.mode is DEV else "tracks"


def capability_table() -> str:
    """The capability matrix as a Markdown table (embedded verbatim in docs/spotify-client.md)."""
    lines = [
        "| capability | call | development | extended |",
        "|---|---|---|---|",
    ]
    for f in FEATURES.values():
        dev = ("yes: " if DEV in f.modes else "no: ") + f.development
        ext = ("yes: " if EXT in f.modes else "no: ") + f.extended
        lines.append(f"| `{f.name}` | {f.summary} | {dev} | {ext} |")
    return "\n".join(lines) + "\n"
