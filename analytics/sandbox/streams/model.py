"""A seeded model of a small artist's plays: the demo data behind ``make run``, tests, benchmarks.

Per song and UTC day: a popularity-based level, weekly seasonality (weekends higher), a slow
random-walk trend, a release spike for a song the catalog dates inside the window (none when
the catalog's releases are all older), a playlist add, and injected anomalies of
known kinds with labels: ``suspected_artificial_streaming`` (a few bot listeners stream one
song from one country in a narrow time window, just past 30 s), ``sudden_drop`` (a song loses
most of its streams for a few days), ``release_spike`` (the new single's first days, at the
artist level) and ``playlist_add`` (an organic level shift that must not look artificial).
Every play is an event; Spotify for Artists numbers are aggregates of these events.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd

WEEKLY = np.array([0.93, 0.95, 0.97, 1.0, 1.08, 1.12, 0.95])  # Monday .. Sunday
HOURS = np.array([2, 1, 1, 1, 1, 2, 3, 5, 6, 5, 5, 5, 6, 6, 5, 5, 6, 7, 8, 9, 9, 8, 6, 4], dtype=float)
COUNTRIES = {
    "default": (
        ["US", "DE", "GB", "FR", "BR", "SE", "NL", "PL", "CA", "MX", "JP", "AU"],
        [0.24, 0.14, 0.1, 0.09, 0.08, 0.06, 0.06, 0.05, 0.05, 0.05, 0.04, 0.04],
    ),
}
PLATFORMS = ["android", "ios", "windows", "macos", "web", "speaker"]
PLATFORM_P = [0.42, 0.3, 0.12, 0.07, 0.06, 0.03]
BOT_COUNTRIES = ["VN", "ID", "TH", "PH", "IN", "EG"]
WARMUP_DAYS = 28


@dataclass(frozen=True)
class Song:
    track_id: str
    artist_id: str
    name: str
    duration_ms: int
    popularity: int
    released: date | None = None  # its release's date in the catalog


@dataclass(frozen=True)
class Label:
    """One injected event: what kind, where (track or artist level) and which days."""

    kind: str
    level: str
    entity_id: str
    artist_id: str
    start: date
    end: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "level": self.level,
            "entity_id": self.entity_id,
            "artist_id": self.artist_id,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def release_day(value: object) -> date | None:
    """A catalog release date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``) as its first day."""
    parts = str(value or "").split("-")
    try:
        return date(
            int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
        )
    except (ValueError, IndexError):
        return None


def demo_songs(catalog: Mapping[str, Any], artist_ids: Sequence[str]) -> list[Song]:
    """One song per ISRC of each artist (the first track id of an ISRC, in catalog order)."""
    released = {a["id"]: release_day(a.get("release_date")) for a in catalog.get("albums", [])}
    seen: set[str] = set()
    songs = []
    for t in catalog["tracks"]:
        artist = t["artist_ids"][0]
        key = t.get("isrc") or t["id"]
        if artist in artist_ids and key not in seen:
            seen.add(key)
            pop = t.get("popularity") or 20
            when = released.get(t.get("album_id", ""))
            songs.append(Song(t["id"], artist, t["name"], int(t["duration_ms"]), int(pop), when))
    return songs


@dataclass
class Plan:
    """Per-song daily multipliers, bot days and the labels of what was injected."""

    level: np.ndarray  # songs x days expected organic streams
    bots: dict[tuple[int, int], float]  # (song, day) -> bot streams multiple of the level
    release: dict[int, int]  # song -> release day index
    labels: list[Label]


def plan(songs: Sequence[Song], days: Sequence[date], rng: np.random.Generator, *, scale: float) -> Plan:
    n, d = len(songs), len(days)
    weekday = np.array([WEEKLY[x.weekday()] for x in days])
    base = np.array([scale * (0.5 + 2.5 * s.popularity) for s in songs])
    trend = np.exp(np.cumsum(rng.normal(0, 0.01, size=(n, d)), axis=1))
    level = base[:, None] * weekday[None, :] * trend
    labels: list[Label] = []
    release: dict[int, int] = {}
    bots: dict[tuple[int, int], float] = {}
    late = list(range(min(WARMUP_DAYS, d - 1), d))
    by_artist: dict[str, list[int]] = {}
    for i, s in enumerate(songs):
        by_artist.setdefault(s.artist_id, []).append(i)
    if d <= WARMUP_DAYS + 7:
        return Plan(level, bots, release, labels)
    day_index = {day: k for k, day in enumerate(days)}
    for artist, idx in by_artist.items():
        order = [int(x) for x in rng.permutation(idx)]
        listed, dropped = order[1 % len(order)], order[2 % len(order)]
        rng.integers(WARMUP_DAYS + 3, d - 5)  # drawn as before, so every later draw stays the same
        # Only a song the catalog dates inside the window gets a release spike: a spike for a
        # catalog whose releases are years old would contradict the catalog the report shows.
        starts = {i: day_index.get(songs[i].released or days[0], 0) for i in order}
        fresh = [i for i in order if starts[i] > WARMUP_DAYS]
        single = fresh[0] if fresh else -1
        if single >= 0:
            r = starts[single]
            release[single] = r
            level[single, :r] = 0.0
            level[single, r:] *= 1.5 + 5.0 * np.exp(-np.arange(d - r) / 4.0)
            labels.append(Label("release_spike", "artist", artist, artist, days[r], days[min(r + 1, d - 1)]))
        if listed != single:
            p = int(rng.integers(WARMUP_DAYS, d - 3))
            level[listed, p:] *= 1.8 + 0.8 * np.exp(-np.arange(d - p) / 10.0)
            labels.append(Label("playlist_add", "track", songs[listed].track_id, artist, days[p], days[p]))
        if dropped not in (single, listed):
            q = int(rng.integers(WARMUP_DAYS, d - 3))
            width = int(rng.integers(2, 4))
            level[dropped, q : q + width] *= 0.12
            end = days[min(q + width - 1, d - 1)]
            labels.append(Label("sudden_drop", "track", songs[dropped].track_id, artist, days[q], end))
        for _ in range(max(1, d // 30)):
            song = int(rng.choice(idx))
            day = int(rng.choice(late))
            if (song, day) in bots or level[song, day] == 0 or song == dropped:
                continue
            bots[(song, day)] = float(rng.uniform(1.0, 5.0))
            labels.append(
                Label(
                    "suspected_artificial_streaming",
                    "track",
                    songs[song].track_id,
                    artist,
                    days[day],
                    days[day],
                )
            )
    return Plan(level, bots, release, labels)


def _times(day: date, hours: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    start = np.datetime64(datetime.combine(day, datetime.min.time()), "s")
    seconds = hours.astype("int64") * 3600 + rng.integers(0, 3600, size=len(hours))
    return start + seconds.astype("timedelta64[s]")


def simulate(
    songs: Sequence[Song], days: Sequence[date], rng: np.random.Generator, *, scale: float = 1.0
) -> tuple[pd.DataFrame, Plan]:
    """Every play of the window as a DataFrame (one row per play), and the plan behind it."""
    p = plan(songs, days, rng, scale=scale)
    countries, weights = COUNTRIES["default"]
    hour_p = HOURS / HOURS.sum()
    frames: list[dict[str, np.ndarray]] = []
    for i, song in enumerate(songs):
        pool = 40 * max(int(p.level[i].max()), 10)
        for j, day in enumerate(days):
            streams = int(rng.poisson(p.level[i, j]))
            if streams:
                frames.append(_organic(song, day, streams, pool, rng, countries, weights, hour_p))
            extra = p.bots.get((i, j))
            if extra:
                frames.append(_bots(song, day, int(extra * max(p.level[i, j], 20)), rng))
    cols = {k: np.concatenate([f[k] for f in frames]) for k in frames[0]}
    events = pd.DataFrame(cols).sort_values("ts", kind="stable").reset_index(drop=True)
    events["ts"] = pd.to_datetime(events["ts"]).dt.tz_localize(UTC)
    return events, p


def _organic(
    song: Song,
    day: date,
    streams: int,
    pool: int,
    rng: np.random.Generator,
    countries: list[str],
    weights: list[float],
    hour_p: np.ndarray,
) -> dict[str, np.ndarray]:
    short = int(rng.poisson(streams * 0.3))
    n = streams + short
    listeners_n = max(1, round(streams / rng.uniform(1.15, 1.4)))
    listeners = rng.integers(0, pool, size=listeners_n)
    who = (
        np.concatenate([listeners, rng.choice(listeners, size=n - listeners_n)])
        if n > listeners_n
        else listeners[:n]
    )
    done = rng.random(n) < 0.7
    ms = np.where(done, song.duration_ms, rng.integers(30_000, max(song.duration_ms, 30_001), size=n))
    ms[streams:] = rng.integers(1_000, 30_000, size=short)
    done[streams:] = False
    end = np.where(done, "trackdone", np.where(rng.random(n) < 0.8, "fwdbtn", "endplay"))
    after_share, shuffle_share = _listening_habits(song.track_id)
    return {
        "ts": _times(day, rng.choice(24, size=n, p=hour_p), rng),
        "track_id": np.full(n, song.track_id),
        "artist_id": np.full(n, song.artist_id),
        "ms_played": ms.astype("int64"),
        "country": rng.choice(countries, size=n, p=weights),
        "platform": rng.choice(PLATFORMS, size=n, p=PLATFORM_P),
        "reason_start": np.where(rng.random(n) < after_share, "trackdone", "clickrow"),
        "reason_end": end,
        "shuffle": rng.random(n) < shuffle_share,
        "skipped": end == "fwdbtn",
        "offline": rng.random(n) < 0.05,
        "listener": np.char.add(f"{song.artist_id[:4]}-", who.astype(str)),
    }


def _listening_habits(track_id: str) -> tuple[float, float]:
    """How a song's plays start: the share that follows another track (album or playlist order,
    else chosen), and the share in shuffle. Each song has its own (a single is chosen more, a deep
    cut mostly follows its neighbour), drawn from its id so the seeded draws stay the same."""
    digest = hashlib.sha256(track_id.encode()).digest()
    return 0.35 + 0.45 * digest[0] / 255, 0.15 + 0.45 * digest[1] / 255


def _bots(song: Song, day: date, streams: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    bots = int(rng.integers(3, 9))
    first = int(rng.integers(0, 22))
    hours = rng.integers(first, first + 2, size=streams)
    return {
        "ts": _times(day, hours, rng),
        "track_id": np.full(streams, song.track_id),
        "artist_id": np.full(streams, song.artist_id),
        "ms_played": rng.integers(30_500, 38_000, size=streams).astype("int64"),
        "country": np.full(streams, str(rng.choice(BOT_COUNTRIES))),
        "platform": np.full(streams, "web"),
        "reason_start": np.full(streams, "clickrow"),
        "reason_end": np.full(streams, "endplay"),
        "shuffle": np.zeros(streams, dtype=bool),
        "skipped": np.zeros(streams, dtype=bool),
        "offline": np.zeros(streams, dtype=bool),
        "listener": np.char.add("bot-", rng.integers(0, bots, size=streams).astype(str)),
    }


def window(end_date: date, days: int) -> list[date]:
    return [end_date - timedelta(days=days - 1 - k) for k in range(days)]
