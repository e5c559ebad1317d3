"""A seeded synthetic catalog with realistic shapes, large enough for benchmarks (1,000 artists, 200,000 tracks).

Shapes: about half the releases are singles (1-3 tracks), most others albums of 6-20 tracks with
some deluxe albums over 50 tracks, about 8% compilations by "Various Artists" that reuse other
artists' recordings (same ISRC, new track id) so those artists have ``appears_on`` albums, and
some tracks featuring a second artist. The same spec and seed always give the same catalog.
"""

from __future__ import annotations

import random

from analytics.sandbox.spotify.catalog import Album, Artist, Playlist, Track, User
from analytics.sandbox.spotify.ids import BASE62
from analytics.sandbox.spotify.options import DEMO_USER_ID, SyntheticCatalogSpec
from analytics.sandbox.spotify.state import INITIAL_ADDED_AT, CatalogState

_WORDS = [
    "amber",
    "blue",
    "cold",
    "dawn",
    "echo",
    "ember",
    "fading",
    "glass",
    "golden",
    "hollow",
    "iron",
    "lunar",
    "midnight",
    "neon",
    "northern",
    "ocean",
    "paper",
    "quiet",
    "radio",
    "red",
    "silver",
    "slow",
    "static",
    "summer",
    "velvet",
    "violet",
    "wild",
    "winter",
    "young",
]
_NOUNS = [
    "avenue",
    "birds",
    "cities",
    "dreams",
    "engines",
    "fields",
    "ghosts",
    "harbor",
    "islands",
    "lights",
    "machines",
    "mirrors",
    "nights",
    "orbit",
    "parade",
    "rivers",
    "satellites",
    "shadows",
    "signals",
    "skyline",
    "stars",
    "tides",
    "towers",
    "waves",
]
_GENRES = [
    "indie",
    "pop",
    "electronic",
    "techno",
    "house",
    "ambient",
    "rock",
    "metal",
    "folk",
    "jazz",
    "hip-hop",
    "soul",
    "soundtrack",
]


def _name(rng: random.Random) -> str:
    return f"{rng.choice(_WORDS).title()} {rng.choice(_NOUNS).title()}"


def _new_id(rng: random.Random, used: set[str]) -> str:
    while True:
        value = "".join(rng.choices(BASE62, k=22))
        if value not in used:
            used.add(value)
            return value


def _release_date(rng: random.Random) -> tuple[str, str]:
    year = rng.randint(1990, 2026)
    if rng.random() < 0.1:
        return str(year), "year"
    return f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}", "day"


def _track_counts(spec: SyntheticCatalogSpec, rng: random.Random, types: list[str]) -> list[int]:
    counts = []
    for kind in types:
        if kind == "single":
            counts.append(rng.choice((1, 1, 1, 2, 3)))
        elif kind == "compilation":
            counts.append(rng.randint(10, 30))
        else:
            counts.append(rng.randint(51, 90) if rng.random() < 0.02 else rng.randint(6, 20))
    # Scale albums (never singles) so that the total is exactly spec.tracks.
    adjustable = [i for i, kind in enumerate(types) if kind == "album"] or list(range(len(types)))
    diff = spec.tracks - sum(counts)
    while diff != 0:
        i = rng.choice(adjustable)
        step = max(1, min(abs(diff) // len(adjustable), 40))
        if diff > 0:
            counts[i] += step
            diff -= step
        elif counts[i] > step:
            counts[i] -= step
            diff += step
        elif all(counts[j] <= 1 for j in adjustable):
            break
    return counts


def generate_catalog(spec: SyntheticCatalogSpec) -> CatalogState:
    """A new :class:`CatalogState` filled per ``spec`` (deterministic for a given seed)."""
    rng = random.Random(spec.seed)
    state = CatalogState(seed=spec.seed)
    used: set[str] = set()
    various = Artist(_new_id(rng, used), "Various Artists", [], 0, 0)
    artists = [
        Artist(
            _new_id(rng, used),
            f"{_name(rng)} {i}",
            rng.sample(_GENRES, 2),
            rng.randint(0, 2_000_000),
            rng.randint(0, 100),
        )
        for i in range(spec.artists - 1)
    ]
    state.artists = {a.id: a for a in [*artists, various]}
    n_compilations = max(1, spec.albums * 8 // 100) if spec.albums > spec.artists else 0
    n_own = spec.albums - n_compilations
    owners = [artists[i % len(artists)] for i in range(n_own)]
    types = ["single" if rng.random() < 0.5 else "album" for _ in range(n_own)] + [
        "compilation"
    ] * n_compilations
    counts = _track_counts(spec, rng, types)
    originals: list[Track] = []
    serial = 0
    for index, (kind, count) in enumerate(zip(types, counts, strict=True)):
        date, precision = _release_date(rng)
        owner = owners[index] if kind != "compilation" else various
        album = Album(
            _new_id(rng, used), _name(rng), kind, [owner.id], date, precision, [], f"{owner.name} Records"
        )
        album.upc = f"{index + 1:012d}"
        album.popularity = rng.randint(0, 100)
        for number in range(1, count + 1):
            if kind == "compilation" and originals:
                source = rng.choice(originals)
                artist_ids, name, isrc, duration = (
                    list(source.artist_ids),
                    source.name,
                    source.isrc,
                    source.duration_ms,
                )
            else:
                serial += 1
                artist_ids = [owner.id]
                if rng.random() < 0.05:
                    artist_ids.append(rng.choice(artists).id)
                name, duration = _name(rng), rng.randint(90_000, 420_000)
                isrc = f"ZZ{serial // 100000:03d}{26:02d}{serial % 100000:05d}"
            track = Track(
                _new_id(rng, used), name, album.id, artist_ids, 1, number, duration, rng.random() < 0.1, isrc
            )
            track.popularity = rng.randint(0, 100)
            state.tracks[track.id] = track
            album.track_ids.append(track.id)
            if kind != "compilation":
                originals.append(track)
        state.albums[album.id] = album
    _users_and_playlists(state, spec, rng, used)
    return state


def _users_and_playlists(
    state: CatalogState, spec: SyntheticCatalogSpec, rng: random.Random, used: set[str]
) -> None:
    artist_ids = list(state.artists)
    user_ids = [DEMO_USER_ID, *[f"synthetic-user-{i}" for i in range(1, spec.users)]]
    for user_id in user_ids:
        followed = rng.sample(artist_ids, min(len(artist_ids), rng.randint(2, 30)))
        state.users[user_id] = User(user_id, user_id.replace("-", " ").title(), "US", "premium", "", followed)
    track_ids = list(state.tracks)
    for index in range(spec.playlists):
        owner = DEMO_USER_ID if index % 2 == 0 else rng.choice(user_ids)
        collaborative = index % 5 == 1
        playlist = Playlist(_new_id(rng, used), _name(rng), owner, "", not collaborative, collaborative)
        picks = rng.sample(track_ids, min(len(track_ids), rng.randint(5, 120)))
        entries = [state.new_entries([t], added_by=owner)[0] for t in picks]
        entries = [type(e)(e.uid, e.track_id, INITIAL_ADDED_AT, e.added_by) for e in entries]
        state.commit_playlist(playlist, entries)
        state.playlists[playlist.id] = playlist
