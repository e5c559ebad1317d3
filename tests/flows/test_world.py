"""The world is chosen in one place; a real run never falls back to demo data.

Every real-world job with a missing input stops with a message naming the setting, before it
writes anything: the CLI through the real ``encore`` entry point (exit code 2, no traceback),
the flows when called directly.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from analytics.config import PROJECT_ROOT, MissingInput, Settings
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox
from analytics.warehouse import Warehouse
from flows.world import World, world

ENCORE = Path(sys.executable).with_name("encore")
NO_CATALOG = "the warehouse holds no catalog yet: run `encore sync` first"
ARTIST = "TinyArtist000000000001"
ALBUM = "TinyAlbum0000000000001"
TRACK = "TinyTrack0000000000001"


def tiny_catalog(*, followed: list[str]) -> dict[str, Any]:
    """One artist, one single, one track, and the sandbox user following ``followed``."""
    return {
        "format": "encore-catalog/1",
        "description": "a tiny catalog for the world tests",
        "artists": [{"id": ARTIST, "name": "Tiny Test Artist", "genres": ["test"], "followers": 3}],
        "albums": [
            {
                "id": ALBUM,
                "name": "Tiny Single",
                "album_type": "single",
                "artist_ids": [ARTIST],
                "release_date": "2026-01-02",
                "release_date_precision": "day",
                "label": "Tiny",
                "upc": "000000000099",
                "total_tracks": 1,
                "track_ids": [TRACK],
            }
        ],
        "tracks": [
            {
                "id": TRACK,
                "name": "Tiny Track",
                "album_id": ALBUM,
                "artist_ids": [ARTIST],
                "disc_number": 1,
                "track_number": 1,
                "duration_ms": 180000,
                "explicit": False,
                "isrc": "ZZTST2600001",
                "audio": None,
            }
        ],
        "playlists": [],
        "users": [
            {
                "id": "encore-demo-user",
                "display_name": "tiny",
                "country": "FR",
                "product": "premium",
                "email": "tiny@example.invalid",
                "followed_artist_ids": followed,
            }
        ],
    }


def _clean_environ() -> dict[str, str]:
    return {
        k: v for k, v in os.environ.items() if not k.startswith("ENCORE_") or k.startswith("ENCORE_TEST_")
    }


def _real_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A real world with nothing configured but where runs write (and a token cache that is empty)."""
    env = _clean_environ()
    env.update(
        {
            "ENCORE_WORLD": "real",
            "ENCORE_DATA_DIR": str(tmp_path / "data"),
            "ENCORE_REPORTS_DIR": str(tmp_path / "reports"),
            "ENCORE_SPOTIFY_TOKEN_CACHE": str(tmp_path / "tokens" / "spotify.json"),
            "ENCORE_SOCIAL_TOKEN_CACHE": str(tmp_path / "tokens" / "social.json"),
            "PREFECT_HOME": str(tmp_path / "prefect"),
            **extra,
        }
    )
    return env


def encore(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    """The installed ``encore`` command, run from an empty folder (no .env) in a real world."""
    return subprocess.run(
        [str(ENCORE), *args],
        cwd=tmp_path,
        env=_real_env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=600,
    )


def assert_stopped(result: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr + result.stdout
    message = result.stderr.strip()
    assert len(message.splitlines()) <= 3, message
    for needle in needles:
        assert needle in message, message


def assert_nothing_written(data: Path) -> None:
    """No warehouse, no audit record, no run folder."""
    assert not (data / "encore.sqlite").exists(), "a stopped run created the warehouse"
    assert not (data / "runs").exists(), "a stopped run created a run folder"
    assert not (data / "audit").exists() and not list(data.glob("**/audit-head*"))


# -- the CLI: one short message, exit code 2, nothing written -----------------------------------


@pytest.mark.parametrize("command", [["run", "--no-reports"], ["sync"]])
def test_the_cli_without_spotify_credentials_names_them_and_exits_2(
    tmp_path: Path, command: list[str]
) -> None:
    result = encore(tmp_path, *command)
    assert_stopped(
        result, "ENCORE_SPOTIFY_CLIENT_ID", "ENCORE_SPOTIFY_CLIENT_SECRET", "ENCORE_SPOTIFY_REFRESH_TOKEN"
    )
    assert not (tmp_path / "data").exists()


def test_the_cli_playlist_on_an_empty_warehouse_says_to_sync_first(tmp_path: Path) -> None:
    result = encore(tmp_path, "playlist", "maxstack-essentials")
    assert_stopped(result, NO_CATALOG)
    assert not (tmp_path / "data").exists()


def test_the_cli_monitor_once_on_an_empty_warehouse_says_to_sync_first(tmp_path: Path) -> None:
    result = encore(tmp_path, "monitor", "once", ARTIST)
    assert_stopped(result, NO_CATALOG)
    assert not (tmp_path / "data").exists()


def test_an_invalid_base_url_is_one_line_naming_the_setting(tmp_path: Path) -> None:
    result = encore(tmp_path, "sync", ENCORE_SPOTIFY_API_URL="ftp://api.example.com/v1")
    assert_stopped(result, "ENCORE_SPOTIFY_API_URL", "http:// or https://")
    unknown = encore(tmp_path, "sync", ENCORE_WORLD="demo")
    assert_stopped(unknown, "ENCORE_WORLD", "sandbox", "real")
    other = encore(tmp_path, "audit", "show", ENCORE_PAGERDUTY_URL="events.pagerduty.com")  # any command
    assert_stopped(other, "ENCORE_PAGERDUTY_URL")
    assert not (tmp_path / "data").exists()


@pytest.fixture
def unfollowed_sandbox(tmp_path: Path) -> Iterator[SpotifySandbox]:
    """A Spotify API (the sandbox, in this process) whose user follows no artist."""
    path = tmp_path / "catalog.json"
    path.write_text(json.dumps(tiny_catalog(followed=[])), encoding="utf-8")
    with SpotifySandbox(SandboxOptions(catalog_path=path)).running() as sb:
        yield sb


def _spotify_env(sb: SpotifySandbox) -> dict[str, str]:
    return {
        "ENCORE_SPOTIFY_API_URL": sb.api_url + "/",  # normalised: the trailing slash is dropped
        "ENCORE_SPOTIFY_ACCOUNTS_URL": sb.accounts_url,
        "ENCORE_SPOTIFY_CLIENT_ID": sb.client_id,
        "ENCORE_SPOTIFY_CLIENT_SECRET": sb.client_secret,
        "ENCORE_SPOTIFY_REFRESH_TOKEN": sb.user_refresh_token,
    }


@pytest.mark.parametrize("command", [["run", "--no-reports"], ["sync"]])
def test_the_cli_with_no_artist_configured_or_followed_says_how_to_name_them(
    tmp_path: Path, unfollowed_sandbox: SpotifySandbox, command: list[str]
) -> None:
    result = encore(tmp_path, *command, **_spotify_env(unfollowed_sandbox))
    assert_stopped(result, "no artists configured", "ENCORE_ARTIST_IDS", "follow artists")
    assert any(r.path == "/v1/me/following" for r in unfollowed_sandbox.requests)  # it did ask Spotify
    assert_nothing_written(tmp_path / "data")


# -- the flows called directly ---------------------------------------------------------------


@pytest.fixture
def real_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real world with nothing configured; returns the data folder (which must stay absent)."""
    for key in [k for k in os.environ if k.startswith("ENCORE_") and not k.startswith("ENCORE_TEST_")]:
        monkeypatch.delenv(key)
    for key, value in _real_env(tmp_path).items():
        if key.startswith("ENCORE_"):
            monkeypatch.setenv(key, value)
    monkeypatch.chdir(tmp_path)
    return tmp_path / "data"


def _flows() -> dict[str, Any]:
    from flows import (
        analyze_tracks,
        collect_streaming_metrics,
        generate_content,
        monitor_artist,
        sync_artist_data,
        sync_social_media,
        update_playlist,
    )

    return {
        "analyze_tracks": (lambda: analyze_tracks(reports=False), "no audio folder: set ENCORE_AUDIO_DIR"),
        "collect_streaming_metrics": (
            lambda: collect_streaming_metrics(),
            "no exports folder: set ENCORE_STREAMING_EXPORTS_DIR",
        ),
        "sync_social_media": (lambda: sync_social_media(), NO_CATALOG),
        "generate_content": (lambda: generate_content(ARTIST), NO_CATALOG),
        "monitor_artist": (lambda: monitor_artist(ARTIST), NO_CATALOG),
        "update_playlist": (lambda: update_playlist("maxstack-essentials"), NO_CATALOG),
        "sync_artist_data": (lambda: sync_artist_data(), "ENCORE_SPOTIFY_CLIENT_ID"),
    }


@pytest.mark.parametrize(
    "job",
    [
        "analyze_tracks",
        "collect_streaming_metrics",
        "sync_social_media",
        "generate_content",
        "monitor_artist",
        "update_playlist",
        "sync_artist_data",
    ],
)
def test_each_flow_in_a_real_world_stops_on_its_missing_input_and_writes_nothing(
    real_world: Path, job: str
) -> None:
    call, message = _flows()[job]
    with pytest.raises(MissingInput) as stopped:
        call()
    assert message in str(stopped.value)
    assert not real_world.exists(), f"{job} wrote {sorted(p.name for p in real_world.rglob('*'))}"


def test_a_real_world_with_a_catalog_but_no_social_platform_says_which_settings(
    real_world: Path, sqlite_catalog: None
) -> None:
    from flows import sync_social_media

    with pytest.raises(MissingInput, match="ENCORE_YOUTUBE_API_KEY"):
        sync_social_media()
    assert _audit_rows(real_world) == []


def test_an_artist_missing_from_the_catalog_is_named(real_world: Path, sqlite_catalog: None) -> None:
    from flows import generate_content, monitor_artist

    for job in (generate_content, monitor_artist):
        with pytest.raises(MissingInput, match="NotInTheCatalog0000001 is not in the warehouse's catalog"):
            job("NotInTheCatalog0000001")
    assert _audit_rows(real_world) == []


@pytest.fixture
def sqlite_catalog(real_world: Path) -> None:
    """The real world's warehouse holding the tiny catalog (stored as a sync stores it)."""
    from analytics import catalog
    from analytics.config import QuotaMode

    warehouse = Warehouse(f"sqlite:///{real_world / 'encore.sqlite'}")
    warehouse.migrate()
    frames = catalog.frames_from_catalog(tiny_catalog(followed=[ARTIST]), quota_mode=QuotaMode.development)
    catalog.store_catalog(warehouse, frames, run_id="seed")
    warehouse.dispose()


def _audit_rows(data: Path) -> list[dict[str, Any]]:
    warehouse = Warehouse(f"sqlite:///{data / 'encore.sqlite'}")
    try:
        return warehouse.rows("audit_records")
    finally:
        warehouse.dispose()


PROBE = """
import json, sys
from pathlib import Path
import analytics

demo_dir = str(Path(analytics.__file__).parent / "demo")
opened = []
def hook(event, args):
    if event == "open" and args and isinstance(args[0], str) and args[0].startswith(demo_dir):
        opened.append(args[0])
sys.addaudithook(hook)

from analytics.config import MissingInput
from flows.playlist_update import update_playlist
try:
    update_playlist("maxstack-essentials")
    error = None
except MissingInput as stopped:
    error = str(stopped)
print(json.dumps({"error": error, "opened": opened, "demo_imported": "analytics.demo" in sys.modules}))
"""


def test_update_playlist_in_a_real_world_with_an_empty_warehouse_never_reads_the_demo_catalog(
    tmp_path: Path,
) -> None:
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    warehouse.migrate()  # an existing, empty warehouse
    warehouse.dispose()
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=PROJECT_ROOT,
        env=_real_env(tmp_path, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="600"),
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    probe = json.loads(result.stdout.strip().splitlines()[-1])
    assert probe["error"] == NO_CATALOG
    assert probe["opened"] == [], f"the real world read demo files: {probe['opened']}"
    assert not probe["demo_imported"]
    assert _audit_rows(tmp_path / "data") == []
    assert not (tmp_path / "data" / "runs").exists()


# -- the worlds themselves -------------------------------------------------------------------


def test_the_sandbox_world_serves_the_configured_catalog_not_the_demo(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "tiny.json"
    path.write_text(json.dumps(tiny_catalog(followed=[ARTIST])), encoding="utf-8")
    with world(settings.model_copy(update={"catalog_file": path})) as w:
        assert w.name == "sandbox" and w.artists == (ARTIST,)
        assert [a["name"] for a in (w.catalog or {})["artists"]] == ["Tiny Test Artist"]
        served = w.spotify.artists([ARTIST, "YQhOGXX8g2pM1yHEFVFAjK"]).value  # the demo's Maxstack
        assert [a.name for a in served] == ["Tiny Test Artist"]
        assert [a.id for a in w.spotify.followed_artists()] == [ARTIST]


def test_a_real_world_holds_no_demo_part(settings: Settings) -> None:
    real = settings.model_copy(update={"world": "real"})
    with world(real) as w:
        assert (w.name, w.artists, w.catalog, w.demo_streams, w.audio_dir, w.exports_dir) == (
            "real",
            (),
            None,
            None,
            None,
            None,
        )
        with pytest.raises(MissingInput, match="ENCORE_AUDIO_DIR"):
            w.require_audio_dir()
        with pytest.raises(MissingInput, match="ENCORE_SPOTIFY_CLIENT_ID"):
            _ = w.spotify


def test_a_flow_inside_an_open_world_uses_it(settings: Settings) -> None:
    with world(settings) as outer, world(Settings(world="real")) as inner:
        assert inner is outer


def test_the_pipeline_skips_what_a_real_world_has_no_input_for(settings: Settings) -> None:
    from flows.pipeline import skipped_jobs

    with world(settings.model_copy(update={"world": "real"})) as w:
        skipped = skipped_jobs(w)
    assert skipped["collect_streaming_metrics"] == "no exports folder: set ENCORE_STREAMING_EXPORTS_DIR"
    assert skipped["analyze_tracks"] == "no audio folder: set ENCORE_AUDIO_DIR"
    assert "ENCORE_YOUTUBE_API_KEY" in skipped["sync_social_media"]
    with world(settings) as sandbox:
        assert skipped_jobs(sandbox) == {}


def test_base_urls_are_validated_and_normalised() -> None:
    s = Settings(spotify_api_url="http://127.0.0.1:9/v1/", pagerduty_url="https://pd.example/v2/enqueue/")
    assert s.spotify_api_url == "http://127.0.0.1:9/v1" and s.pagerduty_url == "https://pd.example/v2/enqueue"
    assert Settings(llm_base_url="").llm_base_url is None
    for name in ("spotify_accounts_url", "youtube_api_url", "x_api_url", "musicbrainz_url", "llm_base_url"):
        with pytest.raises(ValidationError, match=f"ENCORE_{name.upper()}"):
            Settings(**{name: "not a url"})
    assert all(Settings.model_fields[n].description for n in ("spotify_api_url", "tiktok_api_url", "world"))


def test_the_spotify_client_does_not_import_prefect() -> None:
    code = "import sys, analytics.spotify.client, analytics.sync; print('prefect' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT_ROOT
    )
    assert out.stdout.strip() == "False"


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names |= {f"{node.module}.{a.name}" for a in node.names}
    return names


def test_only_the_world_reaches_the_sandbox_and_the_demo() -> None:
    demo = ("analytics.sandbox", "analytics.demo", "analytics.streaming.demo")
    offenders = []
    for path in sorted((PROJECT_ROOT / "analytics").rglob("*.py")):
        if path.is_relative_to(PROJECT_ROOT / "analytics" / "sandbox"):
            continue
        if any(name.startswith(demo) for name in _imports(path)):
            offenders.append(str(path.relative_to(PROJECT_ROOT)))
    for path in sorted((PROJECT_ROOT / "flows").glob("*.py")):
        if path.name in {"world.py", "cli.py"}:  # cli.py: only `encore sandbox serve`
            continue
        if any(name.startswith(demo) for name in _imports(path)):
            offenders.append(str(path.relative_to(PROJECT_ROOT)))
    assert offenders == []
    cli = _imports(PROJECT_ROOT / "flows" / "cli.py")
    assert {n for n in cli if n.startswith(demo)} == {"analytics.sandbox.cli", "analytics.sandbox.cli.app"}


def test_world_is_a_frozen_dataclass() -> None:
    import dataclasses

    assert dataclasses.is_dataclass(World) and World.__dataclass_params__.frozen  # type: ignore[attr-defined]
