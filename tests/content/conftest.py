"""Fact sheets for the content tests: the demo artists with seeded streaming, social, audio and
playlist rows (the packages that produce those do not exist yet), and a hostile sheet."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import pytest

from analytics.content import FactSheet, build_fact_sheet, catalog_fact_sheet
from analytics.demo import demo_artist_ids, load_catalog

WEEK = (date(2026, 11, 16), date(2026, 11, 22))


def demo_fact_sheet(artist_id: str, **kwargs: Any) -> FactSheet:
    """The fact sheet of a demo-catalog artist (the sandbox world's catalog) plus any inputs."""
    return catalog_fact_sheet(artist_id, catalog=load_catalog(), **kwargs)


MONTH = (date(2026, 10, 1), date(2026, 10, 31))


def synthetic_inputs(artist_id: str, start: date, end: date, *, seed: int = 0) -> dict[str, Any]:
    """Seeded daily streams per track (from 60 days before the period), listeners, two social
    platforms crossing a follower threshold, audio features and one playlist addition."""
    rng = random.Random(f"{artist_id}:{seed}")
    tracks = [t for t in load_catalog()["tracks"] if artist_id in t["artist_ids"]]
    streams: list[dict[str, Any]] = []
    day = start - timedelta(days=60)
    while day <= end:
        for t in tracks[:5]:
            streams.append({"day": day, "track_id": t["id"], "streams": rng.randint(50, 400)})
        streams.append({"day": day, "streams": 0, "listeners": 900 + (day - start).days * 3})
        day += timedelta(days=1)
    span = (end - start).days + 2
    social = [
        {
            "platform": platform,
            "day": start - timedelta(days=1) + timedelta(days=i),
            "followers": base + i * step,
        }
        for platform, base, step in (("instagram", 980, 7), ("tiktok", 2400, 9))
        for i in range(span)
    ]
    audio = [
        {
            "track_id": t["id"],
            "tempo_bpm": 90 + 7 * i,
            "key": i % 12,
            "mode": i % 2,
            "energy": 0.2 + 0.15 * i,
            "loudness_lufs": -9.5 - i,
        }
        for i, t in enumerate(tracks[:4])
    ]
    changes = [
        {
            "playlist": "Night Drive",
            "track_id": tracks[1]["id"],
            "change": "added",
            "day": start + timedelta(days=2),
        }
    ]
    return {"streams": streams, "social": social, "audio_features": audio, "playlist_changes": changes}


def demo_sheets() -> list[FactSheet]:
    """For each demo artist, a weekly and a monthly sheet with every kind of fact."""
    return [
        demo_fact_sheet(a, period_start=s, period_end=e, **synthetic_inputs(a, s, e))
        for a in demo_artist_ids()
        for s, e in (WEEK, MONTH)
    ]


HOSTILE_TITLE = (
    "<b>Loud</b> \u202eesreveR\u202c 🎸🔥 \u200fعنوان\u200f &amp; <script>alert(1)</script> " * 12
)[:500]


def hostile_sheet() -> FactSheet:
    """A release and tracks whose names carry HTML, emoji, RTL marks, bidi overrides and 500 chars."""
    start, end = WEEK
    artist = {
        "artist_id": "hostile",
        "name": "<i>DJ</i> \u202eNull\u202c\x00 " + "Ω" * 300,
        "genres": ["<b>noise</b>", "x" * 200],
        "followers": 12,
    }
    albums = [
        {
            "album_id": "h1",
            "name": HOSTILE_TITLE,
            "album_type": "single",
            "release_date": "2026-11-18",
            "release_date_precision": "day",
            "total_tracks": 1,
            "label": "\u202bLabel\u202c <u>Evil</u>",
        }
    ]
    tracks = [
        {"track_id": f"t{i}", "name": HOSTILE_TITLE[i:] + " 👩‍👩‍👧", "popularity": 50 - i} for i in range(3)
    ]
    streams = [
        {"day": start + timedelta(days=i), "track_id": f"t{i % 3}", "streams": 1000 + i} for i in range(7)
    ]
    return build_fact_sheet(
        artist,
        period_start=start,
        period_end=end,
        albums=albums,
        tracks=tracks,
        streams=streams,
        social=[{"platform": "x", "day": end, "followers": 99}],
        playlist_changes=[{"playlist": HOSTILE_TITLE, "track_id": "t1", "change": "added", "day": start}],
        audio_features=[{"track_id": "t0", "tempo_bpm": 174.4, "key": "F#", "mode": "minor", "energy": 0.93}],
    )


@pytest.fixture(scope="session")
def sheets() -> list[FactSheet]:
    return demo_sheets()


@pytest.fixture(scope="session")
def weekly_sheet(sheets: list[FactSheet]) -> FactSheet:
    return sheets[0]
