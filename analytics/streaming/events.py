"""Play events: the one normalised shape every play takes before it reaches the warehouse.

Only the fields in :data:`EVENT_COLUMNS` exist here; whatever else a source carries
(IP address, user agent, user name, device model, …) is never copied (an allow-list).
A play counts as a stream when ``ms_played`` is at least 30 000 (Spotify's 30-second rule).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from typing import Any

from analytics.streaming.ids import event_id

STREAM_MIN_MS = 30_000
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
SOURCES = ("history", "realtime")
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
    text = raw.casefold()
    for needle, category in _PLATFORMS:
        if needle in text:
            return category
    return "other"


def listener_key(raw: object) -> str | None:
    """A short one-way key of a producer's (already pseudonymous) listener token."""
    if raw is None or raw == "":
        return None
    return hashlib.sha256(f"encore-listener|{raw}".encode()).hexdigest()[:16]


def _bool(raw: object, *, column: str) -> bool | None:
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        return raw
    if raw in ("true", "True", "1", 1):
        return True
    if raw in ("false", "False", "0", 0):
        return False
    raise ValueError(f"invalid boolean in {column}")


def _reason(raw: object) -> str | None:
    if raw is None or raw == "":
        return None
    text = str(raw).strip().casefold()
    return text if _REASON.match(text) else "other"


def _ms_played(raw: object) -> int:
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
    if value > 6 * 3_600_000:
        raise ValueError(f"implausible ms_played: {value} (more than 6 hours)")
    return value


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
    """One validated event row; raises ValueError with a reason that names no personal value."""
    if not isinstance(track_id, str) or not _TRACK_ID.match(track_id):
        raise ValueError("invalid track id in track_id")
    code = country.strip().upper() if isinstance(country, str) else None
    if code is not None and not _COUNTRY.match(code):
        raise ValueError("invalid country in conn_country (expected ISO 3166-1 alpha-2)")
    return {
        "event_id": event_id(ts, identity),
        "ts": ts,
        "day": ts.astimezone(UTC).date(),
        "track_id": track_id,
        "artist_id": artist_id if isinstance(artist_id, str) and artist_id else None,
        "source": source,
        "country": None if code in (None, "ZZ") else code,
        "platform": platform_category(platform),
        "ms_played": _ms_played(ms_played),
        "reason_start": _reason(reason_start),
        "reason_end": _reason(reason_end),
        "shuffle": _bool(shuffle, column="shuffle"),
        "skipped": _bool(skipped, column="skipped"),
        "offline": _bool(offline, column="offline"),
        "listener_key": listener_key(listener),
    }


def as_tuples(rows: Iterable[Mapping[str, Any]]) -> list[tuple[Any, ...]]:
    """Rows in :data:`EVENT_COLUMNS` order, for the bulk loaders."""
    return [tuple(r[c] for c in EVENT_COLUMNS) for r in rows]


def days_of(rows: Iterable[tuple[Any, ...]]) -> set[date]:
    return {r[2] for r in rows}
