"""Rebuild the demo catalog (analytics/demo/catalog.json) and its audio excerpts.

Maintainer script: needs the full albums fetched by ``make fetch-audio``. The outputs are
committed, so ``make run`` never needs the network. Ids are derived from names, so reruns give
the same catalog.

    uv run python scripts/make_demo_catalog.py data/cache/audio
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import mutagen
import numpy as np
import soundfile as sf
from mutagen.oggvorbis import OggVorbis

BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
OUT = Path(__file__).resolve().parent.parent / "analytics" / "demo"
EXCERPT_S = 10.0
EXCERPT_SR = 44_100


def spotify_id(kind: str, name: str) -> str:
    n = int.from_bytes(hashlib.sha256(f"{kind}:{name}".encode()).digest(), "big")
    chars = []
    for _ in range(22):
        n, r = divmod(n, 62)
        chars.append(BASE62[r])
    return "".join(chars)


def isrc(n: int) -> str:
    # ZZ + registrant ENC: a range no real registrant uses, assigned for this demo only.
    return f"ZZENC26{n:05d}"


def slug(text: str) -> str:
    return "".join(c.lower() if c.isalnum() else "-" for c in text).strip("-").replace("--", "-")


def excerpt(src: Path, dest: Path, *, tags: dict[str, str]) -> None:
    data, sr = sf.read(src, always_2d=True, dtype="float32")
    start = int(min(max(0.3 * len(data), 0), max(len(data) - EXCERPT_S * sr, 0)))
    clip = data[start : start + int(EXCERPT_S * sr)]
    if sr != EXCERPT_SR:
        import librosa

        clip = librosa.resample(clip.T, orig_sr=sr, target_sr=EXCERPT_SR, res_type="soxr_hq").T
    fade = int(0.4 * EXCERPT_SR)
    ramp = np.linspace(0.0, 1.0, fade, dtype=np.float32)[:, None]
    clip[:fade] *= ramp
    clip[-fade:] *= ramp[::-1]
    sf.write(dest, clip, EXCERPT_SR, format="OGG", subtype="VORBIS", compression_level=0.75)
    ogg = OggVorbis(dest)
    for key, value in tags.items():
        ogg[key] = value
    ogg.save()


def main(cache: Path) -> None:
    sing = cache / "singularity-music" / "usr/share/games/singularity/music"
    sect = cache / "fretsonfire-songs-sectoid" / "usr/share/games/fretsonfire/data/songs/sectoid"
    maxstack = {
        "id": spotify_id("artist", "Maxstack"),
        "name": "Maxstack",
        "genres": ["soundtrack", "electronic"],
        "followers": 1843,
        "popularity": 23,
        "source": "singularity-music (CC BY-SA 3.0, Max McCracken)",
    }
    sectoid = {
        "id": spotify_id("artist", "Sectoid"),
        "name": "Sectoid",
        "genres": ["metal", "rock"],
        "followers": 612,
        "popularity": 14,
        "source": "fretsonfire-songs-sectoid (MIT)",
    }
    various = {
        "id": spotify_id("artist", "Various Artists"),
        "name": "Various Artists",
        "genres": [],
        "followers": 0,
        "popularity": 0,
        "source": "demo compilation",
    }
    with_audio = {
        "Awakening",
        "Coherence",
        "Inevitable",
        "Apex Aleph",
        "Nebula",
        "Through Space",
        "Metal madness",
        "Feelings",
    }
    albums: list[dict] = []
    tracks: list[dict] = []
    counter = iter(range(1, 1000))

    def add_album(
        name: str,
        artist: dict,
        album_type: str,
        date: str,
        files: list[Path],
        label: str,
        titles: list[str] | None = None,
    ) -> dict:
        album = {
            "id": spotify_id("album", f"{artist['name']}:{name}"),
            "name": name,
            "album_type": album_type,
            "artist_ids": [artist["id"]],
            "release_date": date,
            "release_date_precision": "day",
            "label": label,
            "upc": f"0000000{len(albums) + 1:05d}",
            "track_ids": [],
        }
        for number, path in enumerate(files, start=1):
            meta = mutagen.File(path)
            title = titles[number - 1] if titles else (meta.tags or {}).get("title", [path.parent.name])[0]
            track = {
                "id": spotify_id("track", f"{album['id']}:{title}"),
                "name": title,
                "album_id": album["id"],
                "artist_ids": [artist["id"]],
                "disc_number": 1,
                "track_number": number,
                "duration_ms": round(meta.info.length * 1000),
                "explicit": False,
                "isrc": None,
                "popularity": 10 + (len(title) * 7) % 40,
                "audio": None,
            }
            tracks.append(track)
            album["track_ids"].append(track["id"])
        album["total_tracks"] = len(album["track_ids"])
        albums.append(album)
        return album

    ost = sorted(p for p in sing.rglob("*.ogg") if "Original Soundtrack" in mutagen.File(p).tags["album"][0])
    research = sorted(
        p for p in sing.rglob("*.ogg") if "Advanced Research" in mutagen.File(p).tags["album"][0]
    )
    add_album("Endgame: Singularity Original Soundtrack", maxstack, "album", "2012-12-15", ost, "Maxstack")
    add_album(
        "Endgame: Singularity (Advanced Research)", maxstack, "album", "2012-12-15", research, "Maxstack"
    )
    apex = [p for p in ost if p.stem == "Apex Aleph"]
    add_album("Apex Aleph", maxstack, "single", "2012-11-30", apex, "Maxstack")
    songs = [
        sect / name / "song.ogg"
        for name in ("Escape from chaosland", "Feelings", "Metal madness", "War of freedom")
    ]
    add_album(
        "Fretsonfire Songs",
        sectoid,
        "album",
        "2008-06-01",
        songs,
        "Sectoid",
        titles=["Escape from Chaosland", "Feelings", "Metal Madness", "War of Freedom"],
    )

    # ISRCs: one per recording; the single shares the album recording's code.
    by_title: dict[str, str] = {}
    for track in tracks:
        track["isrc"] = by_title.setdefault(track["name"], isrc(next(counter)))

    # A compilation by Various Artists that carries one track of each artist (appears_on).
    comp = {
        "id": spotify_id("album", "Various Artists:Free Music Sampler"),
        "name": "Free Music Sampler",
        "album_type": "compilation",
        "artist_ids": [various["id"]],
        "release_date": "2013",
        "release_date_precision": "year",
        "label": "Demo Sampler",
        "upc": "000000099999",
        "track_ids": [],
    }
    for number, title in enumerate(("Coherence", "Feelings"), start=1):
        original = next(t for t in tracks if t["name"] == title)
        track = {
            **original,
            "id": spotify_id("track", f"{comp['id']}:{title}"),
            "album_id": comp["id"],
            "track_number": number,
            "audio": None,
        }
        tracks.append(track)
        comp["track_ids"].append(track["id"])
    comp["total_tracks"] = len(comp["track_ids"])
    albums.append(comp)

    audio_dir = OUT / "audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    sources = {p.stem: p for p in sing.rglob("*.ogg")} | {
        t: sect / n / "song.ogg" for t, n in (("Metal Madness", "Metal madness"), ("Feelings", "Feelings"))
    }
    done: set[str] = set()
    for track in tracks:
        title = track["name"]
        if title not in with_audio and title.title() not in {w.title() for w in with_audio}:
            continue
        if track["album_id"] == comp["id"] or title in done:
            continue
        artist = maxstack if track["artist_ids"] == [maxstack["id"]] else sectoid
        name = f"{slug(artist['name'])}--{slug(title)}.ogg"
        album = next(a for a in albums if a["id"] == track["album_id"])
        excerpt(
            sources[title],
            audio_dir / name,
            tags={"title": title, "artist": artist["name"], "album": album["name"], "isrc": track["isrc"]},
        )
        track["audio"] = f"audio/{name}"
        done.add(title)

    playlists = [
        {
            "id": spotify_id("playlist", "This Is Maxstack"),
            "name": "This Is Maxstack",
            "description": "The essential Maxstack.",
            "owner_id": "encore-demo-user",
            "public": True,
            "collaborative": False,
            "track_ids": [t["id"] for t in tracks if t["artist_ids"] == [maxstack["id"]]][:8],
        },
        {
            "id": spotify_id("playlist", "Night Drive"),
            "name": "Night Drive",
            "description": "Slow and dark.",
            "owner_id": "encore-demo-user",
            "public": False,
            "collaborative": True,
            "track_ids": [tracks[1]["id"], tracks[-3]["id"], tracks[4]["id"]],
        },
        {
            "id": spotify_id("playlist", "Someone Else's Mix"),
            "name": "Someone Else's Mix",
            "description": "",
            "owner_id": "another-user",
            "public": True,
            "collaborative": False,
            "track_ids": [tracks[0]["id"]],
        },
    ]
    users = [
        {
            "id": "encore-demo-user",
            "display_name": "encore demo",
            "country": "FR",
            "product": "premium",
            "email": "demo@example.invalid",
            "followed_artist_ids": [maxstack["id"], sectoid["id"]],
        },
        {
            "id": "another-user",
            "display_name": "Another User",
            "country": "DE",
            "product": "free",
            "email": "another@example.invalid",
            "followed_artist_ids": [],
        },
    ]
    catalog = {
        "format": "encore-catalog/1",
        "description": "encore's demo catalog: real, freely licensed music (see NOTICE); ids and ISRCs are demo values.",
        "artists": [{k: v for k, v in a.items() if k != "source"} for a in (maxstack, sectoid, various)],
        "albums": albums,
        "tracks": tracks,
        "playlists": playlists,
        "users": users,
    }
    (OUT / "catalog.json").write_text(json.dumps(catalog, indent=1, ensure_ascii=False) + "\n")
    total = sum(p.stat().st_size for p in audio_dir.glob("*.ogg"))
    print(f"{len(albums)} albums, {len(tracks)} tracks, {len(done)} excerpts, {total / 1e6:.2f} MB")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "data/cache/audio"))
