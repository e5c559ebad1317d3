"""Seeded demo data for the demo artists: S4A-style CSVs, streaming history JSON, play events.

``generate_demo_data(out_dir, seed=…, days=…, end_date=…)`` writes::

    s4a/<artist_id>/audience-timeline.csv        date, listeners, streams, followers
    s4a/<artist_id>/songs.csv                    song, listeners, streams, saves, release_date
    s4a/<artist_id>/songs/<track_id>-timeline.csv  date, listeners, streams, saves
    s4a/<artist_id>/playlists-28days.csv         playlist, made by, song, listeners, streams,
                                                 date added (the playlists featuring the artist)
    history/Streaming_History_Audio_demo.json    one listener's extended history (with the
                                                 personal fields Spotify includes)
    events/plays.jsonl                           every play in the real-time wire format
    labels.json                                  the injected anomalies, by kind
    manifest.json                                what was written, with the seed

The same seed, window and catalog always give the same bytes.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from analytics.demo import demo_artist_ids, load_catalog
from analytics.sandbox.streams.model import Label, Song, demo_songs, simulate, window
from analytics.streaming.events import STREAM_MIN_MS
from analytics.streaming.ingest import ingest_events_jsonl, ingest_history_json, ingest_s4a_csv
from analytics.streaming.summary import IngestSummary
from analytics.streaming.wire import encode_event
from analytics.warehouse import Warehouse

HISTORY_PLATFORMS = {
    "android": "Android OS 13 API 33 (Google, Pixel 7)",
    "ios": "iOS 17.1 (iPhone14,5)",
    "windows": "Windows 10 (10.0.19045; x64)",
    "macos": "OS X 14.1 [x86 4]",
    "web": "web_player windows 10;chrome 119.0.0.0;desktop",
    "speaker": "Sonos Play:5",
}


@dataclass
class DemoData:
    """Where the demo files are, and what was injected."""

    out_dir: Path
    seed: int
    start: date
    end: date
    audience_csvs: dict[str, Path] = field(default_factory=dict)
    song_table_csvs: dict[str, Path] = field(default_factory=dict)
    song_timeline_csvs: dict[str, list[Path]] = field(default_factory=dict)
    playlist_csvs: dict[str, Path] = field(default_factory=dict)
    history_json: Path | None = None
    events_jsonl: Path | None = None
    labels: list[Label] = field(default_factory=list)
    release_dates: dict[str, date] = field(default_factory=dict)
    track_artists: dict[str, str] = field(default_factory=dict)
    track_names: dict[str, dict[str, str]] = field(default_factory=dict)
    events: int = 0

    def iter_events(self) -> Iterator[dict[str, Any]]:
        """The plays of ``events/plays.jsonl`` as dicts (for ``EventProducer.publish``)."""
        assert self.events_jsonl is not None
        with self.events_jsonl.open(encoding="utf-8") as fh:
            for line in fh:
                yield json.loads(line)


def generate_demo_data(
    out_dir: Path | str,
    *,
    seed: int = 7,
    days: int = 90,
    end_date: date | None = None,
    scale: float = 1.0,
    history_plays: int = 1500,
    catalog: Mapping[str, Any] | None = None,
) -> DemoData:
    """Write the demo data set (see module doc) and return where it is, with the labels.

    Parameters
    ----------
    seed : everything random derives from it.
    days : window length, ending at ``end_date`` (default: yesterday, UTC).
    scale : multiplies every song's streams (1.0: a small independent artist).
    history_plays : plays in the streaming-history file.
    """
    out = Path(out_dir)
    end = end_date or (datetime.now(UTC).date() - timedelta(days=1))
    cat = catalog or load_catalog()
    artists = demo_artist_ids() if catalog is None else [a["id"] for a in cat["artists"]][:2]
    songs = demo_songs(cat, artists)
    span = window(end, days)
    rng = np.random.default_rng(seed)
    events, plan = simulate(songs, span, rng, scale=scale)
    result = DemoData(out_dir=out, seed=seed, start=span[0], end=end, labels=plan.labels)
    result.release_dates = {songs[i].track_id: span[d] for i, d in plan.release.items()}
    result.track_artists = {s.track_id: s.artist_id for s in songs}
    for s in songs:
        result.track_names.setdefault(s.artist_id, {})[s.name] = s.track_id
    counted = events[events["ms_played"] >= STREAM_MIN_MS].assign(day=events["ts"].dt.date)
    followers = {a["id"]: int(a.get("followers") or 0) for a in cat["artists"]}
    for artist in artists:
        base = out / "s4a" / artist
        mine = counted[counted["artist_id"] == artist]
        own = [s for s in songs if s.artist_id == artist]
        result.audience_csvs[artist] = _audience(
            base / "audience-timeline.csv", mine, span, followers[artist], rng
        )
        result.song_table_csvs[artist] = _song_table(base / "songs.csv", mine, own, result.release_dates, rng)
        result.song_timeline_csvs[artist] = [
            _song_timeline(base / "songs" / f"{s.track_id}-timeline.csv", mine, s, span, rng) for s in own
        ]
        # a generator of its own, so the other files stay what they were before playlists existed
        picks = np.random.default_rng([seed, 1, artists.index(artist)])
        result.playlist_csvs[artist] = _playlists(base / "playlists-28days.csv", mine, own, span, picks)
    result.history_json = _history(
        out / "history" / "Streaming_History_Audio_demo.json", events, rng, history_plays
    )
    result.events_jsonl = _events(out / "events" / "plays.jsonl", events, seed)
    result.events = len(events)
    labels = [lb.as_dict() for lb in plan.labels]
    _write(out / "labels.json", json.dumps(labels, indent=1))
    manifest = {
        "format": "encore-streaming-demo/1",
        "seed": seed,
        "start": span[0].isoformat(),
        "end": end.isoformat(),
    }
    manifest["events"] = result.events
    _write(out / "manifest.json", json.dumps(manifest, indent=1))
    return result


def _write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _audience(
    path: Path, counted: pd.DataFrame, span: list[date], followers: int, rng: np.random.Generator
) -> Path:
    by_day = counted.groupby("day").agg(streams=("listener", "size"), listeners=("listener", "nunique"))
    growth = np.cumsum(rng.poisson(max(followers, 50) / 400, size=len(span)))
    start = max(followers - int(growth[-1]), 0)
    rows = []
    for k, day in enumerate(span):
        streams = int(by_day["streams"].get(day, 0))
        listeners = int(by_day["listeners"].get(day, 0))
        rows.append([day.isoformat(), listeners, streams, start + int(growth[k])])
    return _csv(path, ["date", "listeners", "streams", "followers"], rows)


def _saves(listeners: int, rng: np.random.Generator) -> int:
    return int(rng.binomial(listeners, 0.05)) if listeners else 0


def _song_timeline(
    path: Path, counted: pd.DataFrame, song: Song, span: list[date], rng: np.random.Generator
) -> Path:
    mine = counted[counted["track_id"] == song.track_id]
    by_day = mine.groupby("day").agg(streams=("listener", "size"), listeners=("listener", "nunique"))
    rows = []
    for day in span:
        listeners = int(by_day["listeners"].get(day, 0))
        rows.append([day.isoformat(), listeners, int(by_day["streams"].get(day, 0)), _saves(listeners, rng)])
    return _csv(path, ["date", "listeners", "streams", "saves"], rows)


def _song_table(
    path: Path,
    counted: pd.DataFrame,
    songs: list[Song],
    releases: Mapping[str, date],
    rng: np.random.Generator,
) -> Path:
    rows = []
    for s in songs:
        mine = counted[counted["track_id"] == s.track_id]
        listeners = int(mine["listener"].nunique())
        release = releases.get(s.track_id) or s.released  # the catalog's date, as Spotify for Artists shows
        rows.append(
            [s.name, listeners, len(mine), _saves(listeners, rng), release.isoformat() if release else ""]
        )
    return _csv(path, ["song", "listeners", "streams", "saves", "release_date"], rows)


PLAYLISTS = (
    ("Late Night Drive", "Spotify"),
    ("Indie Chill", "Spotify"),
    ("Sunday Coffee", "marie.l"),
    ("Focus Flow", "Spotify"),
    ("Road Trip Songs", "Sam Okafor"),
    ("Rainy Day Indie", "lea & jo"),
    ("New Finds", "Théo"),
)
"""Playlists that may feature a demo artist, with who made them."""


def _playlists(
    path: Path, counted: pd.DataFrame, songs: list[Song], span: list[date], rng: np.random.Generator
) -> Path:
    """The artist's "Playlists" table over the last 28 days: one row per playlist and song on it,
    each song's streams from the playlist a share of its streams in those days."""
    recent = counted[counted["day"] >= span[-28]] if len(span) >= 28 else counted
    rows = []
    chosen = sorted(rng.choice(len(PLAYLISTS), size=min(5, len(PLAYLISTS)), replace=False))
    for k in chosen:
        name, author = PLAYLISTS[int(k)]
        share = float(rng.uniform(0.03, 0.2))  # of a song's plays that came from this playlist
        on = rng.choice(len(songs), size=min(len(songs), int(rng.integers(1, 4))), replace=False)
        for i in sorted(int(i) for i in on):
            song = songs[i]
            mine = recent[recent["track_id"] == song.track_id]
            streams = int(rng.binomial(len(mine), share))
            listeners = min(streams, int(rng.binomial(mine["listener"].nunique(), share)))
            if streams == 0:  # Spotify for Artists lists a playlist only for the songs it played
                continue
            added = span[int(rng.integers(0, len(span)))]
            rows.append([name, author, song.name, listeners, streams, added.isoformat()])
    return _csv(path, ["playlist", "made by", "song", "listeners", "streams", "date added"], rows)


def _history(path: Path, events: pd.DataFrame, rng: np.random.Generator, plays: int) -> Path:
    take = np.sort(rng.choice(len(events), size=min(plays, len(events)), replace=False))
    sample = events.iloc[take]
    records: list[dict[str, Any]] = []
    for row in sample.itertuples(index=False):
        records.append(
            {
                "ts": row.ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "username": "demo-listener-4821",
                "platform": HISTORY_PLATFORMS.get(row.platform, "unknown"),
                "ms_played": int(row.ms_played),
                "conn_country": row.country,
                "ip_addr": f"203.0.113.{int(rng.integers(1, 255))}",
                "user_agent_decrypted": "Mozilla/5.0 (demo)",
                "master_metadata_track_name": "demo",
                "master_metadata_album_artist_name": "demo",
                "master_metadata_album_album_name": "demo",
                "spotify_track_uri": f"spotify:track:{row.track_id}",
                "episode_name": None,
                "episode_show_name": None,
                "spotify_episode_uri": None,
                "reason_start": row.reason_start,
                "reason_end": row.reason_end,
                "shuffle": bool(row.shuffle),
                "skipped": bool(row.skipped),
                "offline": bool(row.offline),
                "offline_timestamp": None,
                "incognito_mode": False,
            }
        )
    return _write(path, json.dumps(records, indent=1))


def _events(path: Path, events: pd.DataFrame, seed: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # column by column into plain Python values: iterating the frame's rows costs more than
    # writing the 190,000 plays themselves
    columns: dict[str, list[Any]] = {name: events[name].tolist() for name in events.columns}
    columns["ts"] = list(events["ts"].dt.to_pydatetime())
    columns["ms_played"] = [int(ms) for ms in columns["ms_played"]]
    for flag in ("shuffle", "skipped", "offline"):
        columns[flag] = [bool(value) for value in columns[flag]]
    names = list(columns)
    with path.open("wb") as fh:
        for k, values in enumerate(zip(*columns.values(), strict=True)):
            event = dict(zip(names, values, strict=True))
            event["event_id"] = f"demo-{seed}-{k:08d}"
            fh.write(encode_event(event) + b"\n")
    return path


def ingest_demo_data(
    warehouse: Warehouse, data: DemoData, *, run_id: str, now: datetime | None = None, events: bool = True
) -> IngestSummary:
    """Ingest every demo file (exports, history and, unless ``events=False``, the play feed)."""
    total = IngestSummary(source="demo")
    moment = now or datetime.combine(data.end + timedelta(days=1), datetime.min.time(), tzinfo=UTC)
    for artist, path in data.audience_csvs.items():
        total.add(ingest_s4a_csv(warehouse, path, run_id=run_id, artist_id=artist, now=moment))
        names = data.track_names.get(artist, {})
        songs = data.song_table_csvs[artist]
        total.add(
            ingest_s4a_csv(
                warehouse, songs, run_id=run_id, artist_id=artist, track_ids=names, as_of=data.end, now=moment
            )
        )
        for timeline in data.song_timeline_csvs[artist]:
            total.add(ingest_s4a_csv(warehouse, timeline, run_id=run_id, artist_id=artist, now=moment))
        if artist in data.playlist_csvs:
            total.add(
                ingest_s4a_csv(
                    warehouse,
                    data.playlist_csvs[artist],
                    run_id=run_id,
                    artist_id=artist,
                    track_ids=names,
                    as_of=data.end,
                    now=moment,
                )
            )
    if data.history_json is not None:
        total.add(
            ingest_history_json(
                warehouse, data.history_json, run_id=run_id, track_artists=data.track_artists, now=moment
            )
        )
    if events and data.events_jsonl is not None:
        total.add(ingest_events_jsonl(warehouse, data.events_jsonl, run_id=run_id, now=moment))
    return total
