"""Play events: the one normalised shape every play takes before it reaches the warehouse.

Only the fields in :data:`EVENT_COLUMNS` exist here; whatever else a source carries
(IP address, user agent, user name, device model, …) is never copied (an allow-list).
A play counts as a stream when ``ms_played`` is at least 30 000 (Spotify's 30-second rule).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from analytics.streaming.ids import event_id

STREAM_MIN_MS = 30_000
MAX_MS_PLAYED = 6 * 3_600_000
EVENT_COLUMNS = (
    "event_id",
    "ts",
    "day",
    "track_id",
    "artist_id",
    "source",
    "country",
    "platform",
    "ms_played",
    "reason_start",
    "reason_end",
    "shuffle",
    "skipped",
    "offline",
    "listener_key",
)
_TRACK_ID = re.compile(r"^[0-9A-Za-z]{1,64}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_REASON = re.compile(r"^[a-z_]{1,24}$")
_PLATFORMS = (
    ("web_player", "web"),
    ("web player", "web"),
    ("android", "android"),
    ("ios", "ios"),
    ("iphone", "ios"),
    ("ipad", "ios"),
    ("windows", "windows"),
    ("os x", "macos"),
    ("osx", "macos"),
    ("mac", "macos"),
    ("linux", "linux"),
    ("web", "web"),
    ("cast", "cast"),
    ("sonos", "speaker"),
    ("speaker", "speaker"),
    ("tv", "tv"),
    ("playstation", "console"),
    ("xbox", "console"),
    ("car", "car"),
)


def platform_category(raw: object) -> str | None:
    """A coarse platform ("android", "ios", "web", …): device models and versions are dropped."""
    if not isinstance(raw, str) or not raw.strip():
        return None
    return _platform_of(raw)


@lru_cache(maxsize=4096)
def _platform_of(text: str) -> str:
    # Few distinct platform strings arrive: a cache turns the substring scan into a lookup.
    folded = text.casefold()
    for needle, category in _PLATFORMS:
        if needle in folded:
            return category
    return "other"


def listener_key(raw: object) -> str | None:
    """A short one-way key of a producer's (already pseudonymous) listener token."""
    if raw is None or raw == "":
        return None
    return _listener_key_of(raw if isinstance(raw, str) else str(raw))


@lru_cache(maxsize=65536)
def _listener_key_of(token: str) -> str:
    # Listeners repeat across a batch: hash each token once.
    return hashlib.sha256(f"encore-listener|{token}".encode()).hexdigest()[:16]


def _bool(raw: object, *, column: str) -> bool | None:
    if raw is None or isinstance(raw, bool):
        return raw
    if raw == "":
        return None
    if raw in ("true", "True", "1", 1):
        return True
    if raw in ("false", "False", "0", 0):
        return False
    raise ValueError(f"invalid boolean in {column}")


def _reason(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    return _reason_of(raw if isinstance(raw, str) else str(raw))


@lru_cache(maxsize=1024)
def _reason_of(raw: str) -> str:
    text = raw.strip().casefold()
    return text if _REASON.match(text) else "other"


@lru_cache(maxsize=65536)
def _valid_track(track_id: str) -> bool:
    return _TRACK_ID.match(track_id) is not None


@lru_cache(maxsize=1024)
def _country_of(raw: str) -> str | None:
    code = raw.strip().upper()
    if not _COUNTRY.match(code):
        raise ValueError("invalid country in conn_country (expected ISO 3166-1 alpha-2)")
    return None if code == "ZZ" else code


def _ms_played(raw: object) -> int:
    if type(raw) is int and 0 <= raw <= MAX_MS_PLAYED:
        return raw  # the common case, checked first
    if isinstance(raw, bool) or raw is None:
        raise ValueError("missing value in ms_played" if raw is None else "non-numeric count in ms_played")
    if isinstance(raw, int):
        value = raw
    elif isinstance(raw, float) and raw.is_integer():
        value = int(raw)
    elif isinstance(raw, str) and raw.strip().lstrip("-").isdigit():
        value = int(raw.strip())
    else:
        raise ValueError("non-numeric count in ms_played")
    if value < 0:
        raise ValueError(f"negative count in ms_played: {value}")
    if value > MAX_MS_PLAYED:
        raise ValueError(f"implausible ms_played: {value} (more than 6 hours)")
    return value


def play_tuple(
    *,
    ts: datetime,
    track_id: object,
    ms_played: object,
    source: str,
    identity: str,
    artist_id: object = None,
    country: object = None,
    platform: object = None,
    reason_start: object = None,
    reason_end: object = None,
    shuffle: object = None,
    skipped: object = None,
    offline: object = None,
    listener: object = None,
) -> tuple[Any, ...]:
    """One validated event row in :data:`EVENT_COLUMNS` order (what the bulk loaders take).

    Raises ValueError with a reason that names no personal value. Low-cardinality fields
    (track ids, countries, platforms, reasons, listener tokens) are validated and hashed
    through small caches: a batch of plays repeats them many times.
    """
    return play_row(
        ts, track_id, ms_played, source, identity, artist_id, country, platform,
        reason_start, reason_end, shuffle, skipped, offline, listener,
    )  # fmt: skip


def play_row(
    ts: datetime,
    track_id: object,
    ms_played: object,
    source: str,
    identity: str,
    artist_id: object,
    country: object,
    platform: object,
    reason_start: object,
    reason_end: object,
    shuffle: object,
    skipped: object,
    offline: object,
    listener: object,
) -> tuple[Any, ...]:
    """:func:`play_tuple` with positional arguments, for the per-event loops of batch decoders."""
    if not isinstance(track_id, str) or not _valid_track(track_id):
        raise ValueError("invalid track id in track_id")
    if ts.tzinfo is not UTC:
        ts = ts.astimezone(UTC)
    return (
        event_id(ts, identity),
        ts,
        ts.date(),
        track_id,
        artist_id if isinstance(artist_id, str) and artist_id else None,
        source,
        _country_of(country) if isinstance(country, str) else None,
        None if platform is None else platform_category(platform),
        _ms_played(ms_played),
        None if reason_start is None else _reason(reason_start),
        None if reason_end is None else _reason(reason_end),
        shuffle
        if shuffle is None or shuffle is True or shuffle is False
        else _bool(shuffle, column="shuffle"),
        skipped
        if skipped is None or skipped is True or skipped is False
        else _bool(skipped, column="skipped"),
        offline
        if offline is None or offline is True or offline is False
        else _bool(offline, column="offline"),
        None if listener is None else listener_key(listener),
    )


def normalise_play(
    *,
    ts: datetime,
    track_id: object,
    ms_played: object,
    source: str,
    identity: str,
    artist_id: object = None,
    country: object = None,
    platform: object = None,
    reason_start: object = None,
    reason_end: object = None,
    shuffle: object = None,
    skipped: object = None,
    offline: object = None,
    listener: object = None,
) -> dict[str, Any]:
    """One validated event row as a mapping; see :func:`play_tuple`."""
    return dict(
        zip(
            EVENT_COLUMNS,
            play_tuple(
                ts=ts,
                track_id=track_id,
                ms_played=ms_played,
                source=source,
                identity=identity,
                artist_id=artist_id,
                country=country,
                platform=platform,
                reason_start=reason_start,
                reason_end=reason_end,
                shuffle=shuffle,
                skipped=skipped,
                offline=offline,
                listener=listener,
            ),
            strict=True,
        )
    )


def as_tuples(rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows in :data:`EVENT_COLUMNS` order, for the bulk loaders."""
    return [tuple(r[c] for c in EVENT_COLUMNS) for r in rows]
