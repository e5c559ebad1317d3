"""Build the second test world (tests/data/world2): an artist setup that is not the demo.

Writes, from fixed seeds (running it twice writes identical files):

    catalog.json                  encore-catalog/1: 4 artists + Various Artists, 50+ releases, 300+ tracks
    exports/s4a/<artist id>/      Spotify for Artists CSVs as downloaded: audience timeline,
                                  song table, per-song timelines (90 days ending 2026-12-01),
                                  playlists featuring the artist (the last 28 days)
    exports/history/              Streaming_History_Audio_2026_0.json (one fan's plays)
    social.json                   encore-social/1: the artists' social accounts for the sandbox
    audio/                        8-second Ogg excerpts of asc-music (GPL-2+), tagged

The audio step fetches Debian's ``asc-music`` with ``apt-get download`` and unpacks it with
``dpkg-deb -x`` into a temporary folder (run ``apt-get update`` once); ``--no-audio`` skips it.

    python3 -m uv run --frozen --no-sync python scripts/build_second_world.py [--out DIR] [--no-audio]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from world2_titles import KESTREL, MIRA, TOMAS, YAKO

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "world2"
BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
END = date(2026, 12, 1)  # last day of the exports
DAYS = 90
SEED = 2026
WEEKLY = (0.92, 0.9, 0.93, 0.97, 1.1, 1.16, 1.04)  # Monday .. Sunday
FILE_UNSAFE = str.maketrans({c: "_" for c in '<>:"/\\|?*'})
SPIKE = ("夜行列車", "踏切", date(2026, 10, 21))  # one artificial spike: artist, song, day
AUDIO_PACKAGE = "asc-music"
AUDIO_DIR_IN_PACKAGE = "usr/share/games/asc/music"
EXCERPT_S = 8.0
EXCERPT_SR = 22_050


def spotify_id(kind: str, name: str) -> str:
    """A 22-character base-62 id derived from ``kind`` and ``name`` (salted apart from the demo's)."""
    n = int.from_bytes(hashlib.sha256(f"world2:{kind}:{name}".encode()).digest(), "big")
    chars = []
    for _ in range(22):
        n, r = divmod(n, 62)
        chars.append(BASE62[r])
    return "".join(chars)


def upc(n: int) -> str:
    """A 12-digit UPC-A with its check digit."""
    body = f"19{n:09d}"
    odd = sum(int(d) for d in body[0::2])
    even = sum(int(d) for d in body[1::2])
    return body + str((10 - (3 * odd + even) % 10) % 10)


# -- the catalog ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ArtistSpec:
    key: str
    name: str
    registrant: str  # ISRC registrant code
    genres: tuple[str, ...]
    followers: int
    popularity: int
    titles: list[str]


ARTISTS = [
    ArtistSpec("kestrel", "Kestrel Avenue", "KAV", ("indietronica", "dream pop"), 18_400, 41, KESTREL),
    ArtistSpec("mira", "Мира Светлова", "MSV", ("russian indie", "singer-songwriter"), 6_900, 33, MIRA),
    ArtistSpec("yako", "夜行列車", "YKR", ("j-rock", "japanese indie"), 12_300, 38, YAKO),
    ArtistSpec("tomas", "Tomás O'Neill", "TON", ("irish folk", "acoustic"), 2_100, 22, TOMAS),
]
# The user the sandbox's refresh token signs in as: a catalog's first user (docs/sandbox.md);
# here it is Kestrel Avenue's own account, owner of the playlists.
SIGNED_IN = "kestrel-avenue"
RESERVED = {
    "Paper Satellites",
    "Harbour Lights",
    "Last Light Over Harbour Street",
    "Ноябрь",
}  # named explicitly
VARIOUS = {"id": spotify_id("artist", "Various Artists"), "name": "Various Artists", "genres": [], "followers": 0, "popularity": 0}  # fmt: skip


@dataclass
class Builder:
    """Accumulates artists, albums and tracks; recordings are keyed by ISRC."""

    rng: random.Random
    artists: dict[str, dict[str, Any]] = field(default_factory=dict)
    albums: list[dict[str, Any]] = field(default_factory=list)
    tracks: list[dict[str, Any]] = field(default_factory=list)
    recordings: dict[str, dict[str, Any]] = field(default_factory=dict)
    counters: dict[str, int] = field(default_factory=dict)
    titles: dict[str, list[str]] = field(default_factory=dict)

    def next_title(self, key: str) -> str:
        return self.titles[key].pop(0)

    def new_recording(
        self, key: str, title: str, year: int, *, featuring: Sequence[str] = (), popularity: int | None = None
    ) -> str:
        spec = next(a for a in ARTISTS if a.key == key)
        self.counters[key] = self.counters.get(key, 0) + 1
        isrc = f"ZZ{spec.registrant}{year % 100:02d}{self.counters[key]:05d}"
        ids = [self.artists[key]["id"], *(self.artists[k]["id"] for k in featuring)]
        if featuring:
            title = f"{title} (feat. {' & '.join(self.artists[k]['name'] for k in featuring)})"
        self.recordings[isrc] = {
            "name": title,
            "artist_ids": ids,
            "duration_ms": self.rng.randint(148_000, 331_000),
            "explicit": self.rng.random() < 0.08,
            "popularity": self.rng.randint(5, 60) if popularity is None else popularity,
            "first_day": None,
        }
        return isrc

    def release(
        self,
        key: str,
        name: str,
        album_type: str,
        day: str,
        isrcs: Sequence[str],
        *,
        precision: str = "day",
        label: str | None = None,
        rename: str = "",
    ) -> dict[str, Any]:
        owner = VARIOUS if key == "various" else self.artists[key]
        album = {
            "id": spotify_id("album", f"{owner['name']}:{name}:{album_type}:{day}"),
            "name": name,
            "album_type": album_type,
            "artist_ids": [owner["id"]],
            "release_date": day,
            "release_date_precision": precision,
            "label": label or ("Indie Lights" if key == "various" else f"{owner['name']} Records"),
            "upc": upc(len(self.albums) + 1),
            "popularity": self.rng.randint(5, 50),
            "track_ids": [],
        }
        for number, isrc in enumerate(isrcs, start=1):
            rec = self.recordings[isrc]
            rec["first_day"] = min(rec["first_day"] or day, day)
            title = f"{rec['name']}{rename}"
            track = {
                "id": spotify_id("track", f"{album['id']}:{number}:{title}"),
                "name": title,
                "album_id": album["id"],
                "artist_ids": list(rec["artist_ids"]),
                "disc_number": 1,
                "track_number": number,
                "duration_ms": rec["duration_ms"],
                "explicit": rec["explicit"],
                "isrc": isrc,
                "popularity": max(0, rec["popularity"] - (0 if rename == "" else 9)),
            }
            self.tracks.append(track)
            album["track_ids"].append(track["id"])
        album["total_tracks"] = len(album["track_ids"])
        self.albums.append(album)
        return album

    def album(self, key: str, name: str, day: str, n: int, **kw: Any) -> list[str]:
        year = int(day[:4])
        isrcs = [self.new_recording(key, self.next_title(key), year) for _ in range(n)]
        self.release(key, name, "album", day, isrcs, **kw)
        return isrcs

    def own(self, key: str) -> list[str]:
        """The ISRCs of the artist's recordings so far, oldest first."""
        return [i for i, r in self.recordings.items() if r["artist_ids"][0] == self.artists[key]["id"]]

    def live(self, key: str, name: str, day: str, originals: Sequence[str]) -> None:
        """A live album: new recordings (new ISRCs) of songs released before."""
        titles = [self.recordings[i]["name"] + " - Live" for i in originals]
        self.release(key, name, "album", day, [self.new_recording(key, t, int(day[:4])) for t in titles])

    def single(self, key: str, day: str, isrc: str | None = None, **kw: Any) -> str:
        isrc = isrc or self.new_recording(key, self.next_title(key), int(day[:4]))
        self.release(key, self.recordings[isrc]["name"], "single", day, [isrc], **kw)
        return isrc


def build_catalog(seed: int = SEED) -> dict[str, Any]:
    """The world's catalog as an ``encore-catalog/1`` document."""
    b = Builder(random.Random(seed))
    for spec in ARTISTS:
        b.artists[spec.key] = {
            "id": spotify_id("artist", spec.name),
            "name": spec.name,
            "genres": list(spec.genres),
            "followers": spec.followers,
            "popularity": spec.popularity,
        }
        b.titles[spec.key] = [t for t in spec.titles if t not in RESERVED]
    _kestrel(b)
    _mira(b)
    _yako(b)
    _tomas(b)
    _compilations(b)
    users = [
        {"id": SIGNED_IN, "display_name": "Kestrel Avenue", "country": "GB", "product": "premium",
         "email": "kestrel@example.invalid", "followed_artist_ids": [a["id"] for a in b.artists.values()]},
        {"id": "radio-listener", "display_name": "Radio Listener", "country": "JP", "product": "free",
         "email": "listener@example.invalid", "followed_artist_ids": [b.artists["yako"]["id"]]},
    ]  # fmt: skip
    by_artist = {
        k: [t["id"] for t in b.tracks if t["artist_ids"][0] == a["id"]] for k, a in b.artists.items()
    }
    playlists = [
        {"id": spotify_id("playlist", "Kestrel Avenue Essentials"), "name": "Kestrel Avenue Essentials",
         "description": "The songs to start with.", "owner_id": SIGNED_IN, "public": True,
         "collaborative": False, "track_ids": by_artist["kestrel"][:20:2]},
        {"id": spotify_id("playlist", "Late Trains"), "name": "Late Trains",
         "description": "Night music from friends.", "owner_id": SIGNED_IN, "public": False,
         "collaborative": True, "track_ids": by_artist["yako"][:4] + by_artist["mira"][:4]},
        {"id": spotify_id("playlist", "深夜ラジオ"), "name": "深夜ラジオ", "description": "",
         "owner_id": "radio-listener", "public": True, "collaborative": False, "track_ids": by_artist["yako"][5:9]},
    ]  # fmt: skip
    return {
        "format": "encore-catalog/1",
        "description": "encore's second test world: invented artists and releases (see README.md and NOTICE).",
        "artists": [*b.artists.values(), VARIOUS],
        "albums": b.albums,
        "tracks": b.tracks,
        "playlists": playlists,
        "users": users,
    }


def _kestrel(b: Builder) -> None:
    first = [b.new_recording("kestrel", "Paper Satellites", 2019)]
    first += [b.new_recording("kestrel", b.next_title("kestrel"), 2019) for _ in range(11)]
    b.single("kestrel", "2019-02-15", first[0])  # the lead single, released before the album
    b.release("kestrel", "Paper Satellites", "album", "2019-04-05", first)
    b.release("kestrel", "Low Tide", "single", "2020-06", [b.new_recording("kestrel", b.next_title("kestrel"), 2020) for _ in range(5)], precision="month")  # fmt: skip
    b.album("kestrel", "Night Bus Cartography", "2021-03-19", 13)
    b.single("kestrel", "2021-11-05")
    b.release("kestrel", "Glasshouse", "single", "2022-05-13", [b.new_recording("kestrel", b.next_title("kestrel"), 2022) for _ in range(6)])  # fmt: skip
    b.album("kestrel", "Don't Wake the City", "2023-02-24", 12)
    b.single("kestrel", "2023-09-08")
    b.single("kestrel", "2024-04-12")
    signals = [b.new_recording("kestrel", b.next_title("kestrel"), 2025) for _ in range(13)]
    signals.insert(6, b.new_recording("kestrel", "Harbour Lights", 2025, featuring=["tomas"]))
    b.single("kestrel", "2025-07-11", signals[6])
    b.release("kestrel", "Signals ’Til Dawn", "album", "2025-09-19", signals)
    bonus = [b.new_recording("kestrel", b.next_title("kestrel"), 2026) for _ in range(6)]
    b.release("kestrel", "Signals ’Til Dawn (Deluxe Edition)", "album", "2026-03-13", signals + bonus)
    b.release("kestrel", "Paper Satellites (2026 Remaster)", "album", "2026-05-08", first, rename=" - Remastered 2026")  # fmt: skip
    b.live("kestrel", "Live at Harbour Hall", "2024-11-29", first[:6] + b.own("kestrel")[17:23])
    for day in ("2026-06-19", "2026-08-28"):
        b.single("kestrel", day)
    b.single(
        "kestrel",
        "2026-11-20",
        b.new_recording("kestrel", "Last Light Over Harbour Street", 2026, popularity=52),
    )


def _mira(b: Builder) -> None:
    b.album("mira", "Северный ветер", "2017", 12, precision="year")
    b.album("mira", "Белые ночи", "2019-10-25", 12)
    b.single("mira", "2020-12-18")
    b.album("mira", "Город огней", "2022-03-04", 12)
    b.release("mira", "Зимний сад", "single", "2023-01", [b.new_recording("mira", b.next_title("mira"), 2023) for _ in range(5)], precision="month")  # fmt: skip
    b.album("mira", "Письма", "2024-09-27", 12)
    for day in ("2025-02-14", "2025-06-06", "2026-04-03"):
        b.single("mira", day)
    b.single("mira", "2026-10-02", b.new_recording("mira", "Ноябрь", 2026, featuring=["yako"], popularity=45))


def _yako(b: Builder) -> None:
    b.album("yako", "青い時間", "2016-07-20", 11)
    b.album("yako", "終電", "2018-11-07", 11)
    b.release("yako", "踏切 EP", "single", "2020-08-05", [b.new_recording("yako", b.next_title("yako"), 2020) for _ in range(5)])  # fmt: skip
    b.album("yako", "夏の終わり", "2021-08-25", 11)
    b.single("yako", "2022-12-07")
    b.album("yako", "東京ノイズ", "2024-05-22", 11)
    b.live("yako", "Live at 渋谷 O-EAST", "2024-12-18", b.own("yako")[:10])
    b.release("yako", "冬の蝉", "single", "2025-01-15", [b.new_recording("yako", b.next_title("yako"), 2025) for _ in range(6)])  # fmt: skip
    for day in ("2025-10-08", "2026-02-11", "2026-07-01"):
        b.single("yako", day)


def _tomas(b: Builder) -> None:
    b.album("tomas", "Kitchen Sessions", "2018-03-16", 10)
    b.album("tomas", "The Old Road", "2021-10-01", 10)
    b.single("tomas", "2023-03-17")
    b.album("tomas", "Ταξίδι στην Ιθάκη", "2024-06-21", 10)
    for day in ("2025-03-14", "2026-09-18"):
        b.single("tomas", day)


def _compilations(b: Builder) -> None:
    for volume, day, per_artist in (("Vol. 3", "2025-06-06", 5), ("Vol. 4", "2026-06-05", 4)):
        picks: list[str] = []
        for spec in ARTISTS:
            own = [i for i, r in b.recordings.items() if r["artist_ids"][0] == b.artists[spec.key]["id"]]
            own = [i for i in own if b.recordings[i]["first_day"] and b.recordings[i]["first_day"] < day]
            picks += b.rng.sample(own, per_artist)
        b.release("various", f"Indie Lights {volume}", "compilation", day, picks, label="Indie Lights")


# -- Spotify for Artists exports ---------------------------------------------------------------


def own_recordings(catalog: dict[str, Any], artist_id: str) -> dict[str, dict[str, Any]]:
    """ISRC -> the recording's first track (name, id, release day) for songs crediting the artist."""
    album_day = {a["id"]: a["release_date"] for a in catalog["albums"]}
    out: dict[str, dict[str, Any]] = {}
    for track in catalog["tracks"]:
        if artist_id not in track["artist_ids"]:
            continue
        day = _first_day(album_day[track["album_id"]])
        known = out.get(track["isrc"])
        if known is None or day < known["release"]:
            out[track["isrc"]] = {"name": track["name"], "track_id": track["id"], "release": day,
                                  "popularity": track["popularity"]}  # fmt: skip
    return out


def _first_day(text: str) -> date:
    parts = [int(p) for p in text.split("-")] + [1, 1]
    return date(parts[0], parts[1], parts[2])


@dataclass
class Series:
    """Daily streams, listeners and saves of one song over the export window."""

    streams: np.ndarray
    listeners: np.ndarray
    saves: np.ndarray


def simulate_song(
    rec: dict[str, Any], span: list[date], rng: np.random.Generator, *, spike: date | None
) -> Series:
    """Weekly seasonality, a slow trend, a release bump, Poisson noise; an optional bot spike."""
    level = 3.0 + rec["popularity"] ** 1.6 / 6.0
    trend = np.cumprod(1 + rng.normal(0.0, 0.01, len(span)))
    streams = np.zeros(len(span), dtype=np.int64)
    for k, day in enumerate(span):
        age = (day - rec["release"]).days
        if age < 0:
            continue
        bump = 1.0 + 40.0 * np.exp(-age / 7.0) if age < 60 else 1.0
        mean = level * WEEKLY[day.weekday()] * trend[k] * bump
        streams[k] = rng.poisson(mean)
    listeners = np.minimum(streams, np.round(streams / rng.uniform(1.25, 1.6, len(span)))).astype(np.int64)
    if spike is not None:
        k = span.index(spike)
        streams[k] += 4_000  # a handful of listeners, thousands of streams
        listeners[k] += 6
    saves = rng.binomial(np.maximum(listeners, 0), 0.04).astype(np.int64)
    return Series(streams, listeners, saves)


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    """A CSV as Spotify for Artists writes it: UTF-8 with BOM, comma, LF line ends."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
    return path


AUDIENCE_HEADER = ["date", "listeners", "monthly listeners", "monthly active listeners", "super listeners",
                   "streams", "playlist adds", "saves", "followers"]  # fmt: skip
AUDIENCE_HEADER_NO_SUPER = [c for c in AUDIENCE_HEADER if c != "super listeners"]


def write_s4a(out: Path, catalog: dict[str, Any], *, seed: int = SEED) -> list[Path]:
    """Each artist's audience timeline, song table and per-song timelines (top songs)."""
    span = [END - timedelta(days=DAYS - 1 - k) for k in range(DAYS)]
    written: list[Path] = []
    for n, artist in enumerate(a for a in catalog["artists"] if a["name"] != "Various Artists"):
        rng = np.random.default_rng([seed, n])
        folder = out / "exports" / "s4a" / artist["id"]
        songs = own_recordings(catalog, artist["id"])
        # A song's numbers are the song's: the same in every credited artist's exports.
        series = {
            isrc: simulate_song(
                rec,
                span,
                np.random.default_rng([seed, int.from_bytes(isrc.encode(), "big")]),
                spike=SPIKE[2] if rec["name"] == SPIKE[1] else None,
            )
            for isrc, rec in sorted(songs.items())
        }
        streams = sum(s.streams for s in series.values())
        listeners = np.round(sum(s.listeners for s in series.values()) * 0.62).astype(np.int64)
        saves = sum(s.saves for s in series.values())
        growth = np.cumsum(rng.poisson(0.004 * streams + 1))
        followers = artist["followers"] - int(growth[-1]) + growth
        monthly = [int(listeners[max(0, k - 27) : k + 1].mean() * 28 * 0.45) for k in range(DAYS)]
        header = AUDIENCE_HEADER_NO_SUPER if artist["name"] == "夜行列車" else AUDIENCE_HEADER
        rows = []
        for k, day in enumerate(span):
            values = {"date": day.isoformat(), "listeners": listeners[k], "monthly listeners": monthly[k],
                      "monthly active listeners": int(monthly[k] * 0.31), "super listeners": int(monthly[k] * 0.04),
                      "streams": streams[k], "playlist adds": rng.poisson(1 + streams[k] / 400),
                      "saves": saves[k], "followers": followers[k]}  # fmt: skip
            rows.append([int(values[c]) if c != "date" else values[c] for c in header])
        written.append(write_csv(folder / f"{artist['id']}-audience-timeline.csv", header, rows))
        table = []
        for isrc, rec in songs.items():
            s = series[isrc]
            year = max(1.0, min(365, (END - rec["release"]).days + 1) / DAYS)
            table.append([rec["name"], int(s.listeners.sum() * 0.7 * year), int(s.streams.sum() * year),
                          int(s.saves.sum() * year), rec["release"].isoformat()])  # fmt: skip
        table.sort(key=lambda row: (-row[2], row[0]))
        written.append(
            write_csv(
                folder / f"{artist['id']}-songs-1year.csv",
                ["song", "listeners", "streams", "saves", "release_date"],
                table,
            )
        )
        ranked = sorted(songs, key=lambda isrc: -int(series[isrc].streams.sum()))
        top = ranked[:6]
        top += [i for i, r in songs.items() if r["release"] >= span[0] and i not in top]
        top += [i for i, r in songs.items() if (artist["name"], r["name"]) == SPIKE[:2] and i not in top]
        for isrc in top:
            name = songs[isrc]["name"].translate(FILE_UNSAFE)
            s = series[isrc]
            rows = [[day.isoformat(), int(s.streams[k])] for k, day in enumerate(span)]
            written.append(write_csv(folder / "songs" / f"{name}-timeline.csv", ["date", "streams"], rows))
        primary = {t["isrc"] for t in catalog["tracks"] if t["artist_ids"][0] == artist["id"]}
        written.append(write_playlists(folder / f"{artist['id']}-playlists-28days.csv",
                                       {i: r for i, r in songs.items() if i in primary}, series, span,
                                       np.random.default_rng([seed, 7, n])))  # fmt: skip
    return written


PLAYLISTS = (("Nachtzug Lieder", "Spotify"), ("Chill au calme", "camille.r"), ("夜のドライブ", "yuki"),
             ("Folk & Fiddles", "Spotify"), ("Workout Mix", "Ben Carter"), ("Deep Focus", "Spotify"),
             ("Fresh Finds", "Spotify"), ("Songs for Sundays", "Ana Sousa"))  # fmt: skip
PLAYLISTS_HEADER = ["playlist", "made by", "song", "listeners", "streams", "date added", "playlist followers"]


def write_playlists(
    path: Path, songs: dict[str, dict[str, Any]], series: dict[str, Series], span: list[date],
    rng: np.random.Generator,
) -> Path:  # fmt: skip
    """The artist's "Playlists" table over the last 28 days: one row per playlist and song on it,
    songs of the artist's own (a generator of its own, so the other exports are unchanged)."""
    ranked = sorted(songs, key=lambda isrc: (-int(series[isrc].streams.sum()), isrc))[:8]
    rows = []
    for k in sorted(rng.choice(len(PLAYLISTS), size=4, replace=False)):
        name, author = PLAYLISTS[int(k)]
        share = float(rng.uniform(0.02, 0.15))
        followers = int(rng.integers(20, 200_000))
        for isrc in sorted(rng.choice(ranked, size=min(len(ranked), int(rng.integers(1, 4))), replace=False)):
            s, rec = series[isrc], songs[isrc]
            streams = int(rng.binomial(int(s.streams[-28:].sum()), share))
            listeners = min(streams, int(rng.binomial(int(s.listeners[-28:].sum()), share)))
            first = max(0, (rec["release"] - span[0]).days)
            added = span[int(rng.integers(min(first, len(span) - 1), len(span)))]
            rows.append([name, author, rec["name"], listeners, streams, added.isoformat(), followers])
    return write_csv(path, PLAYLISTS_HEADER, rows)


# -- the extended streaming history ------------------------------------------------------------

HISTORY_FIELDS = (
    "ts", "platform", "ms_played", "conn_country", "ip_addr", "master_metadata_track_name",
    "master_metadata_album_artist_name", "master_metadata_album_album_name", "spotify_track_uri",
    "episode_name", "episode_show_name", "spotify_episode_uri", "audiobook_title", "audiobook_uri",
    "audiobook_chapter_uri", "audiobook_chapter_title", "reason_start", "reason_end", "shuffle",
    "skipped", "offline", "offline_timestamp", "incognito_mode",
)  # fmt: skip
REASONS_START = ["trackdone", "clickrow", "fwdbtn", "playbtn", "backbtn", "appload", "remote"]
REASONS_END = ["trackdone", "fwdbtn", "endplay", "backbtn", "logout", "unexpected-exit-while-paused"]


def write_history(out: Path, catalog: dict[str, Any], *, seed: int = SEED, plays: int = 800) -> Path:
    """One fan's plays of the world's tracks, in Spotify's extended streaming history layout."""
    rng = random.Random(seed)
    artists = {a["id"]: a["name"] for a in catalog["artists"]}
    albums = {a["id"]: a for a in catalog["albums"]}
    tracks = [t for t in catalog["tracks"] if _first_day(albums[t["album_id"]]["release_date"]) <= END]
    weights = [1 + t["popularity"] for t in tracks]
    start = datetime(2026, 9, 3, tzinfo=UTC)
    seconds = int((datetime(2026, 12, 2, tzinfo=UTC) - start).total_seconds())
    moments = sorted(rng.randrange(seconds) for _ in range(plays))
    records = []
    for offset in moments:
        ts = start + timedelta(seconds=offset)
        track = rng.choices(tracks, weights)[0]
        album = albums[track["album_id"]]
        if _first_day(album["release_date"]) > ts.date():
            track, album = tracks[0], albums[tracks[0]["album_id"]]
        skipped = rng.random() < 0.22
        ms = rng.randint(1_500, 29_000) if skipped else rng.randint(31_000, track["duration_ms"])
        offline = rng.random() < 0.05
        record = {
            "ts": ts.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "platform": rng.choice(["android", "ios", "windows", "osx", "web_player"]),
            "ms_played": ms,
            "conn_country": rng.choices(["GB", "IE", "JP", "DE", "RU"], [5, 2, 2, 1, 1])[0],
            "ip_addr": f"203.0.113.{rng.randint(1, 254)}",  # RFC 5737 documentation range
            "master_metadata_track_name": track["name"],
            "master_metadata_album_artist_name": artists[album["artist_ids"][0]],
            "master_metadata_album_album_name": album["name"],
            "spotify_track_uri": f"spotify:track:{track['id']}",
            "reason_start": rng.choice(REASONS_START),
            "reason_end": "fwdbtn" if skipped else rng.choices(REASONS_END, [20, 3, 3, 1, 1, 1])[0],
            "shuffle": rng.random() < 0.4,
            "skipped": skipped,
            "offline": offline,
            "offline_timestamp": int(ts.timestamp()) - rng.randint(60, 7200) if offline else None,
            "incognito_mode": False,
        }
        records.append({name: record.get(name) for name in HISTORY_FIELDS})
    path = out / "exports" / "history" / "Streaming_History_Audio_2026_0.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# -- social accounts -----------------------------------------------------------------------------


def write_social(out: Path, catalog: dict[str, Any]) -> Path:
    """The ``encore-social/1`` accounts file the social sandbox serves with ``accounts_file``."""
    ids = {a["name"]: a["id"] for a in catalog["artists"]}
    rows = [
        ("youtube", "@kestrelavenue", "Kestrel Avenue", "Kestrel Avenue", 8_200, 11, 64, False),
        ("instagram", "kestrel.avenue", "Kestrel Avenue", "Kestrel Avenue", 5_600, 7, 210, True),
        ("tiktok", "kestrelavenue", "Kestrel Avenue", "Kestrel Avenue", 12_900, 25, 80, True),
        ("x", "kestrelavenue", "Kestrel Avenue", "Kestrel Avenue", 1_900, 2, 700, False),
        ("youtube", "@yakoressha", "夜行列車 Yakō Ressha", "夜行列車", 15_300, 18, 52, False),
        ("x", "yako_ressha", "夜行列車", "夜行列車", 9_800, 6, 1_400, False),
        ("instagram", "mira.svetlova", "Мира Светлова", "Мира Светлова", 4_100, 4, 150, False),
    ]
    accounts = [
        {"platform": p, "handle": h, "display_name": d, "artist": a, "spotify_artist_id": ids[a],
         "base_followers": f, "daily_growth": g, "base_posts": n, "authorized": auth}
        for p, h, d, a, f, g, n, auth in rows
    ]  # fmt: skip
    doc = {
        "format": "encore-social/1",
        "description": "Social accounts of encore's second test world (invented).",
        "accounts": accounts,
    }
    path = out / "social.json"
    path.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# -- audio -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Excerpt:
    """One excerpt: source file, start (fraction of the file), output name and tags."""

    source: str
    at: float
    name: str
    tags: dict[str, str]


def excerpts(catalog: dict[str, Any]) -> list[Excerpt]:
    """Which excerpts to cut and how to tag them (matched by ISRC, by title, or not at all)."""
    artists = {a["id"]: a["name"] for a in catalog["artists"]}

    def track(name: str) -> dict[str, Any]:
        return next(t for t in catalog["tracks"] if t["name"] == name)

    def tagged(name: str, *, isrc: bool = True) -> dict[str, str]:
        t = track(name)
        tags = {"title": t["name"], "artist": artists[t["artist_ids"][0]]}
        return tags | ({"isrc": t["isrc"]} if isrc else {})

    return [
        Excerpt("time_to_strike.mp3", 0.30, "kestrel-avenue--paper-satellites.ogg", tagged("Paper Satellites")),
        Excerpt("machine_wars.mp3", 0.45, "kestrel-avenue--last-light.ogg", tagged("Last Light Over Harbour Street")),
        Excerpt("frontiers.mp3", 0.20, "mira--severny-veter.ogg", tagged("Северный ветер")),
        Excerpt("frontiers.mp3", 0.62, "yako--aoi-jikan.ogg", tagged("青い時間", isrc=False)),
        Excerpt("machine_wars.mp3", 0.15, "unreleased--demo-take.ogg",
                {"title": "Untitled Demo Take 7", "artist": "Kestrel Avenue", "isrc": "ZZKAV2699999"}),
        Excerpt("time_to_strike.mp3", 0.70, "field-recording-b.ogg", {}),
    ]  # fmt: skip


def cut_excerpt(src: Path, dest: Path, *, at: float, tags: dict[str, str]) -> Path:
    """An 8-second mono 22.05 kHz Ogg Vorbis excerpt with fades, tags and a fixed stream serial."""
    import librosa
    import soundfile as sf
    from mutagen.oggvorbis import OggVorbis

    data, sr = sf.read(src, always_2d=True, dtype="float32")
    mono = data.mean(axis=1)
    start = int(min(at * len(mono), max(len(mono) - EXCERPT_S * sr, 0)))
    clip = mono[start : start + int(EXCERPT_S * sr)]
    if sr != EXCERPT_SR:
        clip = librosa.resample(clip, orig_sr=sr, target_sr=EXCERPT_SR, res_type="soxr_hq")
    fade = int(0.3 * EXCERPT_SR)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)
    clip[:fade] *= ramp
    clip[-fade:] *= ramp[::-1]
    dest.parent.mkdir(parents=True, exist_ok=True)
    sf.write(dest, clip, EXCERPT_SR, format="OGG", subtype="VORBIS", compression_level=0.9)
    if tags:
        ogg = OggVorbis(dest)
        for key, value in tags.items():
            ogg[key] = value
        ogg.save()
    fix_ogg_serial(dest, serial=int.from_bytes(hashlib.sha256(dest.name.encode()).digest()[:4], "big"))
    return dest


def fix_ogg_serial(path: Path, *, serial: int) -> None:
    """Give every page of the (single) logical stream ``serial``: libsndfile draws a random one."""
    from mutagen.ogg import OggPage

    pages = []
    with path.open("rb") as fh:
        while True:
            try:
                page = OggPage(fh)
            except EOFError:
                break
            page.serial = serial
            pages.append(page)
    path.write_bytes(b"".join(p.write() for p in pages))


def fetch_audio_package(dest: Path) -> Path:
    """``apt-get download`` + ``dpkg-deb -x`` of the audio package into ``dest``; the music folder."""
    subprocess.run(["apt-get", "download", AUDIO_PACKAGE], cwd=dest, check=True)
    deb = next(dest.glob(f"{AUDIO_PACKAGE}_*.deb"))
    subprocess.run(["dpkg-deb", "-x", str(deb), str(dest / "root")], check=True)
    return dest / "root" / AUDIO_DIR_IN_PACKAGE


def write_audio(out: Path, catalog: dict[str, Any], music: Path) -> list[Path]:
    return [
        cut_excerpt(music / e.source, out / "audio" / e.name, at=e.at, tags=e.tags) for e in excerpts(catalog)
    ]


# -- entry point ---------------------------------------------------------------------------------


def build_data(out: Path) -> list[Path]:
    """Everything but the audio: catalog, exports, history, social accounts."""
    out.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(out / "exports", ignore_errors=True)  # no stale export from an earlier build
    catalog = build_catalog()
    path = out / "catalog.json"
    path.write_text(json.dumps(catalog, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return [path, *write_s4a(out, catalog), write_history(out, catalog), write_social(out, catalog)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-audio", action="store_true", help="skip fetching and cutting the audio")
    args = parser.parse_args(argv)
    files = build_data(args.out)
    if not args.no_audio:
        with tempfile.TemporaryDirectory() as tmp:
            files += write_audio(args.out, json.loads((args.out / "catalog.json").read_text("utf-8")),
                                 fetch_audio_package(Path(tmp)))  # fmt: skip
    size = sum(p.stat().st_size for p in files)
    print(f"{len(files)} files, {size / 1e6:.2f} MB in {args.out}")


if __name__ == "__main__":
    main()
