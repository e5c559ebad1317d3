"""The second test world (tests/data/world2) goes through the real code, and its builder is reproducible."""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import numpy as np
import pytest
import soundfile as sf
from pydantic import SecretStr

from analytics.audio.analyze import analyze_file
from analytics.audio.matching import catalog_tracks, match_files
from analytics.audio.tags import read_all_tags
from analytics.catalog import frames_from_catalog, store_catalog
from analytics.config import Settings
from analytics.demo import load_catalog
from analytics.sandbox.social import SocialSandbox
from analytics.sandbox.social.accounts import AccountsFormatError, parse_accounts
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox
from analytics.social import connectors_from_settings, map_identities, musicbrainz_from_settings
from analytics.social.errors import AccountNotFound
from analytics.spotify import SpotifyClient
from analytics.streaming.exports import find_exports
from analytics.streaming.ingest import catalog_track_names, ingest_export, ingest_history_json, ingest_s4a_csv
from analytics.sync import sync_catalog
from analytics.sync.report import gx_validator
from analytics.warehouse import Warehouse

ROOT = Path(__file__).resolve().parents[2]
WORLD = ROOT / "tests" / "data" / "world2"
END = date(2026, 12, 1)
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
ISRC = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}\d{7}$")


@pytest.fixture(scope="module")
def catalog() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((WORLD / "catalog.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="module")
def builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "build_second_world", ROOT / "scripts" / "build_second_world.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def artist_id(catalog: dict[str, Any], name: str) -> str:
    return str(next(a["id"] for a in catalog["artists"] if a["name"] == name))


def albums_named(catalog: dict[str, Any], name: str) -> dict[str, Any]:
    return next(a for a in catalog["albums"] if a["name"] == name and a["album_type"] == "album")


def isrcs_of(catalog: dict[str, Any], album: dict[str, Any]) -> list[str]:
    tracks = {t["id"]: t for t in catalog["tracks"]}
    return [tracks[t]["isrc"] for t in album["track_ids"]]


def upc_ok(code: str) -> bool:
    digits = [int(d) for d in code]
    return len(code) == 12 and (3 * sum(digits[0:11:2]) + sum(digits[1:11:2]) + digits[11]) % 10 == 0


# -- the catalog -----------------------------------------------------------------------------------


def test_the_catalog_is_its_own_world_with_the_oddities_real_catalogs_have(catalog: dict[str, Any]) -> None:
    demo = load_catalog()
    demo_ids = {x["id"] for section in ("artists", "albums", "tracks") for x in demo[section]}
    ids = {x["id"] for section in ("artists", "albums", "tracks") for x in catalog[section]}
    assert not (demo_ids & ids), "world2 reuses demo ids"
    assert not {a["name"] for a in demo["artists"] if a["name"] != "Various Artists"} & {
        a["name"] for a in catalog["artists"]
    }
    for section in ("artists", "albums", "tracks", "playlists"):
        assert len({x["id"] for x in catalog[section]}) == len(catalog[section]), f"duplicate {section} ids"
    own = [a for a in catalog["artists"] if a["name"] != "Various Artists"]
    assert len(own) >= 3 and len(catalog["albums"]) >= 30 and len(catalog["tracks"]) >= 300
    names = [a["name"] for a in catalog["artists"]] + [t["name"] for t in catalog["tracks"]]
    for script in (r"[\u0400-\u04ff]", r"[\u3040-\u30ff\u4e00-\u9fff]", r"[\u0370-\u03ff]", "'", "\u2019"):
        assert any(re.search(script, n) for n in names), f"no name with {script!r}"
    # A compilation by Various Artists carries the artists' own recordings (same ISRCs).
    various = artist_id(catalog, "Various Artists")
    compilations = [a for a in catalog["albums"] if a["album_type"] == "compilation"]
    assert compilations and all(a["artist_ids"] == [various] for a in compilations)
    own_isrcs = {
        t["isrc"]
        for t in catalog["tracks"]
        if albums_named_by_id(catalog)[t["album_id"]]["album_type"] != "compilation"
    }
    assert set(isrcs_of(catalog, compilations[0])) <= own_isrcs
    # The deluxe edition repeats the standard edition, then adds bonus tracks.
    standard = isrcs_of(catalog, albums_named(catalog, "Signals ’Til Dawn"))
    deluxe = isrcs_of(catalog, albums_named(catalog, "Signals ’Til Dawn (Deluxe Edition)"))
    assert deluxe[: len(standard)] == standard and len(deluxe) > len(standard)
    # The remaster keeps the recordings' ISRCs under new track ids and names.
    remaster = albums_named(catalog, "Paper Satellites (2026 Remaster)")
    assert isrcs_of(catalog, remaster) == isrcs_of(catalog, albums_named(catalog, "Paper Satellites"))
    # A featured artist: two artist ids on one track.
    featured = [t for t in catalog["tracks"] if len(t["artist_ids"]) == 2]
    assert featured and all("feat." in t["name"] for t in featured)


def albums_named_by_id(catalog: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {a["id"]: a for a in catalog["albums"]}


def test_codes_and_dates_are_well_formed(catalog: dict[str, Any]) -> None:
    assert all(ISRC.match(t["isrc"]) for t in catalog["tracks"])
    assert all(upc_ok(a["upc"]) for a in catalog["albums"])
    assert len({a["upc"] for a in catalog["albums"]}) == len(catalog["albums"])
    shapes = {"day": r"^\d{4}-\d{2}-\d{2}$", "month": r"^\d{4}-\d{2}$", "year": r"^\d{4}$"}
    for album in catalog["albums"]:
        assert re.match(shapes[album["release_date_precision"]], album["release_date"]), album["name"]
        parts = [int(p) for p in album["release_date"].split("-")] + [1, 1]
        assert date(parts[0], parts[1], parts[2]) <= END
    assert Counter(a["release_date_precision"] for a in catalog["albums"]).keys() == {"day", "month", "year"}
    latest = max(a["release_date"] for a in catalog["albums"])
    assert "2026-11-01" <= latest < "2026-12-01"


def test_the_spotify_sandbox_serves_the_world_and_none_of_the_demo(catalog: dict[str, Any]) -> None:
    sandbox = SpotifySandbox(SandboxOptions(catalog_path=WORLD / "catalog.json"))
    track = next(t for t in catalog["tracks"] if t["name"] == "Last Light Over Harbour Street")
    with sandbox.running() as sb, httpx.Client(timeout=10) as http:
        token = http.post(
            sb.token_url, data={"grant_type": "client_credentials"}, auth=(sb.client_id, sb.client_secret)
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        got = http.get(f"{sb.api_url}/tracks/{track['id']}", headers=headers)
        assert got.status_code == 200
        body = got.json()
        assert (body["name"], body["external_ids"]["isrc"]) == (track["name"], track["isrc"])
        assert body["album"]["release_date"] == "2026-11-20"
        for demo_track in load_catalog()["tracks"]:
            assert http.get(f"{sb.api_url}/tracks/{demo_track['id']}", headers=headers).status_code == 404


def test_the_world_syncs_through_the_real_client_and_passes_the_catalog_suites(
    catalog: dict[str, Any], settings: Settings, sqlite_warehouse: Warehouse, tmp_path: Path
) -> None:
    # Real mode's setup: the app's credentials and the user's refresh token, nothing else.
    with SpotifySandbox(SandboxOptions(catalog_path=WORLD / "catalog.json")).running() as sb:
        local = settings.model_copy(
            update={
                "world": "real",
                "spotify_api_url": sb.api_url,
                "spotify_accounts_url": sb.accounts_url,
                "spotify_client_id": sb.client_id,
                "spotify_client_secret": SecretStr(sb.client_secret),
                "spotify_refresh_token": SecretStr(sb.user_refresh_token),
            }
        )
        artists = [a["id"] for a in catalog["artists"] if a["name"] != "Various Artists"]
        with SpotifyClient.from_settings(local) as client:
            assert client.me().value.display_name == "Kestrel Avenue"
            report = sync_catalog(
                client,
                sqlite_warehouse,
                artist_ids=artists,
                validate=gx_validator(run_dir=tmp_path / "run", run_id="w2"),
            )
    assert report.outcome == "ok"
    stored = {t: len(sqlite_warehouse.rows(t)) for t in ("artists", "albums", "tracks", "playlists")}
    assert stored == {"artists": 4, "albums": 46, "tracks": 310, "playlists": 2}  # the user's own playlists
    # every credited artist, in the catalog's order: a featured artist's exports find its songs
    credits = {t["track_id"]: t["artist_ids"] for t in sqlite_warehouse.rows("tracks")}
    assert credits == {t["id"]: t["artist_ids"] for t in catalog["tracks"]}
    with sqlite_warehouse.engine.connect() as conn:
        for artist in artists:
            assert catalog_track_names(conn, artist) == song_names(catalog, artist)


# -- the exports -----------------------------------------------------------------------------------


def song_names(catalog: dict[str, Any], artist: str) -> dict[str, str]:
    """Song name -> track id over every track crediting the artist (featured too), smallest id."""
    names: dict[str, str] = {}
    for track in sorted(catalog["tracks"], key=lambda t: t["id"], reverse=True):
        if artist in track["artist_ids"]:
            names[track["name"]] = track["id"]
    return names


def test_the_spotify_for_artists_exports_ingest_without_a_rejected_row(
    sqlite_warehouse: Warehouse, catalog: dict[str, Any]
) -> None:
    totals: Counter[str] = Counter()
    shared: list[str] = []
    for export in find_exports(WORLD / "exports"):
        if export.kind == "history":
            continue
        artist, path = export.artist_id, export.path
        assert artist is not None, f"{path} does not say whose it is"
        summary = ingest_s4a_csv(
            sqlite_warehouse,
            path,
            run_id="w2",
            artist_id=artist,
            kind=export.kind,
            track_ids=song_names(catalog, artist),
            as_of=END,
            now=NOW,
        )
        assert summary.rows_rejected == 0, (path.name, summary.as_dict())
        if summary.already_ingested:  # the featured song's timeline, downloaded by both artists
            shared.append(path.name)
            continue
        assert summary.rows_stored == summary.rows_read
        totals[summary.source] += summary.rows_stored
    song = next(t for t in catalog["tracks"] if t["name"].startswith("Ноябрь (feat."))
    assert shared == [f"{song['name']}-timeline.csv"]
    timelines = len(list((WORLD / "exports" / "s4a").glob("*/songs/*-timeline.csv")))
    assert timelines == 24
    assert totals == {
        "s4a_audience": 4 * 90,
        "s4a_songs": 248,
        "s4a_song_timeline": (timelines - 1) * 90,
        "s4a_playlists": 7 + 9 + 10 + 6,  # each artist's playlists table, one row per playlist and song
    }
    rows = sqlite_warehouse.rows("s4a_song_daily")
    assert len({r["day"] for r in rows}) == 90
    assert min(r["day"] for r in rows) == date(2026, 9, 3) and max(r["day"] for r in rows) == END
    assert len([r for r in rows if r["track_id"] == song["id"]]) == 90


def test_the_featured_artists_exports_find_their_songs_in_the_stored_catalog(
    sqlite_warehouse: Warehouse, catalog: dict[str, Any]
) -> None:
    """The exports as the main job ingests them: names looked up in the warehouse's catalog."""
    frames = frames_from_catalog(catalog)
    store_catalog(sqlite_warehouse, frames, run_id="w2")
    shared: list[str] = []
    for export in find_exports(WORLD / "exports"):
        if export.kind == "history":
            continue
        summary = ingest_export(sqlite_warehouse, export, run_id="w2")
        assert summary.rows_rejected == 0, (export.path.name, summary.as_dict())
        if summary.already_ingested:  # the featured song's timeline, downloaded by both artists
            shared.append(export.path.name)
    song = next(t for t in catalog["tracks"] if t["name"].startswith("Ноябрь (feat."))
    assert shared == [f"{song['name']}-timeline.csv"]
    assert len(sqlite_warehouse.rows("s4a_song_totals")) == 248
    # a featured song is in the song table of every artist it credits, under the same track id
    featured = {t["id"]: set(t["artist_ids"]) for t in catalog["tracks"] if len(t["artist_ids"]) == 2}
    listing: dict[str, set[str]] = {}
    for row in sqlite_warehouse.rows("s4a_song_totals"):
        if row["track_id"] in featured:
            listing.setdefault(row["track_id"], set()).add(row["artist_id"])
    assert len(listing) == 2  # Harbour Lights (its single, album and deluxe share a name) and Ноябрь
    assert all(artists == featured[track] for track, artists in listing.items())


def test_the_audience_timelines_show_the_weekly_rhythm_the_release_and_the_spike(
    sqlite_warehouse: Warehouse, catalog: dict[str, Any]
) -> None:
    kestrel, yako = artist_id(catalog, "Kestrel Avenue"), artist_id(catalog, "夜行列車")
    for artist in (kestrel, yako):
        for path in sorted((WORLD / "exports" / "s4a" / artist).rglob("*.csv")):
            ingest_s4a_csv(
                sqlite_warehouse,
                path,
                run_id="w2",
                artist_id=artist,
                track_ids=song_names(catalog, artist),
                as_of=END,
                now=NOW,
            )
    daily = {(r["artist_id"], r["day"]): r["streams"] for r in sqlite_warehouse.rows("s4a_audience_daily")}
    k = [daily[(kestrel, d)] for d in sorted(d for a, d in daily if a == kestrel)]
    weekend = np.mean(
        [v for i, v in enumerate(k) if date.fromordinal(date(2026, 9, 3).toordinal() + i).weekday() >= 4]
    )
    weekday = np.mean(
        [v for i, v in enumerate(k) if date.fromordinal(date(2026, 9, 3).toordinal() + i).weekday() < 4]
    )
    assert weekend > weekday
    assert np.mean(k[-10:]) > 1.15 * np.mean(k[-24:-12])  # the single of 2026-11-20
    spike_day = date(2026, 10, 21)
    around = [daily[(yako, date(2026, 10, d))] for d in (14, 19, 20, 22, 23, 28)]
    assert daily[(yako, spike_day)] > 1.6 * max(around)


def test_the_streaming_history_ingests_every_play(
    sqlite_warehouse: Warehouse, catalog: dict[str, Any]
) -> None:
    files = sorted((WORLD / "exports" / "history").glob("Streaming_History_Audio_*.json"))
    assert len(files) == 1
    records = json.loads(files[0].read_text(encoding="utf-8"))
    assert {"ip_addr", "incognito_mode", "offline_timestamp", "audiobook_title"} <= set(records[0])
    assert all(r["ip_addr"].startswith("203.0.113.") for r in records)  # documentation range only
    track_artists = {t["id"]: t["artist_ids"][0] for t in catalog["tracks"]}
    summary = ingest_history_json(
        sqlite_warehouse, files[0], run_id="w2", track_artists=track_artists, now=NOW
    )
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (800, 800, 0)
    events = sqlite_warehouse.rows("stream_play_events")
    assert len(events) == 800 and all(e["artist_id"] for e in events)
    assert "203.0.113." not in repr(sqlite_warehouse.rows("stream_play_events"))


# -- audio -----------------------------------------------------------------------------------------


def test_the_audio_matches_the_catalog_as_designed(catalog: dict[str, Any]) -> None:
    files = sorted((WORLD / "audio").glob("*.ogg"))
    assert len(files) == 6 and sum(f.stat().st_size for f in files) < 1_500_000
    for path in files:
        info = sf.info(path)
        assert (info.samplerate, info.channels) == (22_050, 1) and 6 <= info.duration <= 10
    result = match_files(read_all_tags(files), catalog_tracks(catalog))
    got = {Path(r.path).name: r for r in result.matches.itertuples(index=False)}
    tracks = {t["id"]: t for t in catalog["tracks"]}
    by_isrc = {
        "kestrel-avenue--paper-satellites.ogg": "Paper Satellites",
        "kestrel-avenue--last-light.ogg": "Last Light Over Harbour Street",
        "mira--severny-veter.ogg": "Северный ветер",
    }
    for name, title in by_isrc.items():
        assert got[name].method == "isrc" and tracks[got[name].track_id]["name"] == title
    assert got["yako--aoi-jikan.ogg"].method == "fuzzy"
    assert tracks[got["yako--aoi-jikan.ogg"].track_id]["name"] == "青い時間"
    assert sorted(Path(p).name for p in result.unmatched_files) == [
        "field-recording-b.ogg",
        "unreleased--demo-take.ogg",
    ]


def test_every_excerpt_gives_audio_features_and_the_two_styles_differ() -> None:
    results = {Path(p).name: analyze_file(p) for p in sorted((WORLD / "audio").glob("*.ogg"))}
    assert all(r.status == "ok" for r in results.values()), {n: r.detail for n, r in results.items()}
    drums = results["kestrel-avenue--last-light.ogg"].features  # machine_wars: drums
    ambient = results["mira--severny-veter.ogg"].features  # frontiers: little percussion
    assert drums["zero_crossing_rate"] > 1.5 * ambient["zero_crossing_rate"]
    assert drums["loudness_lufs"] > ambient["loudness_lufs"] + 3


# -- social ----------------------------------------------------------------------------------------


@pytest.fixture
def social() -> Iterator[SocialSandbox]:
    with SocialSandbox(seed=7, today=date(2026, 11, 30), accounts_file=WORLD / "social.json").running() as sb:
        yield sb


def test_the_social_sandbox_serves_the_accounts_file(
    social: SocialSandbox, settings: Settings, catalog: dict[str, Any]
) -> None:
    configured = social.configure(settings)
    connectors = connectors_from_settings(configured, base_urls=social.base_urls)
    try:
        kestrel = {"id": artist_id(catalog, "Kestrel Avenue"), "name": "Kestrel Avenue"}
        mb = musicbrainz_from_settings(configured, base_urls=social.base_urls)
        links = {
            link.platform: link
            for link in map_identities(kestrel, musicbrainz=mb, connectors=connectors.connectors)
        }
        assert sorted(links) == ["instagram", "tiktok", "x", "youtube"]
        assert all(link.status == "linked" and link.source == "musicbrainz" for link in links.values())
        youtube = connectors.connectors["youtube"]
        account = youtube.account("@kestrelavenue")
        served = youtube.snapshot(account, day=date(2026, 11, 30))
        emulated = social.state.find("youtube", handle="@kestrelavenue")
        assert emulated is not None and served.followers == social.state.followers(emulated)
        with pytest.raises(AccountNotFound, match="maxstack"):
            youtube.account("@maxstack")  # the demo's accounts are not served
    finally:
        connectors.close()


def test_the_accounts_numbers_are_a_function_of_seed_account_and_day() -> None:
    numbers = []
    for _ in range(2):
        sb = SocialSandbox(seed=7, accounts_file=WORLD / "social.json")
        numbers.append(
            [
                (
                    a.handle,
                    sb.state.followers(a, date(2026, 11, 30)),
                    sb.state.post_count(a, date(2026, 11, 30)),
                )
                for a in sb.state.accounts
            ]
        )
    assert numbers[0] == numbers[1] and len(numbers[0]) == 7
    sb = SocialSandbox(seed=7, accounts_file=WORLD / "social.json")
    account = sb.state.accounts[0]
    assert sb.state.followers(account, date(2026, 12, 1)) > sb.state.followers(account, date(2026, 11, 30))


def test_a_malformed_accounts_file_is_refused_with_the_field_named() -> None:
    doc = json.loads((WORLD / "social.json").read_text(encoding="utf-8"))
    doc["accounts"][2]["base_followers"] = "many"
    with pytest.raises(AccountsFormatError, match=r"account 3 \(tiktok\): field 'base_followers'"):
        parse_accounts(doc, source="social.json")


# -- the builder -----------------------------------------------------------------------------------


def test_the_builder_writes_identical_files_twice_and_the_committed_ones(
    builder: ModuleType, tmp_path: Path
) -> None:
    first = builder.build_data(tmp_path / "a")
    second = builder.build_data(tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [p.relative_to(tmp_path / "b") for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name
        assert (WORLD / a.relative_to(tmp_path / "a")).read_bytes() == a.read_bytes(), f"{a.name} is stale"


def test_an_excerpt_is_cut_to_the_same_bytes_every_time(builder: ModuleType, tmp_path: Path) -> None:
    sr = 44_100
    t = np.arange(20 * sr) / sr
    stereo = np.stack([0.3 * np.sin(2 * np.pi * 220 * t), 0.3 * np.sin(2 * np.pi * 330 * t)], axis=1)
    source = tmp_path / "source.wav"
    sf.write(source, stereo.astype(np.float32), sr)
    tags = {"title": "Test Tone", "isrc": "ZZKAV2600001"}
    a = builder.cut_excerpt(source, tmp_path / "a" / "x.ogg", at=0.25, tags=tags)
    b = builder.cut_excerpt(source, tmp_path / "b" / "x.ogg", at=0.25, tags=tags)
    assert a.read_bytes() == b.read_bytes()
    info = sf.info(a)
    assert (info.samplerate, info.channels, round(info.duration, 1)) == (22_050, 1, 8.0)
