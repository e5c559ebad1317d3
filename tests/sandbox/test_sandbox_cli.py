"""``encore sandbox serve`` as a command: it serves, answers, and stops on SIGTERM."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr
from typer.testing import CliRunner

from analytics.config import Settings
from analytics.sandbox.cli import app
from analytics.sandbox.spotify.server import free_port
from analytics.spotify import SpotifyClient
from tests.conftest import TEST_HTTP_TIMEOUT_S
from tests.sandbox import conformance


def test_serve_runs_until_terminated() -> None:
    port = free_port()
    code = "from analytics.sandbox.cli import app; app()"
    args = [
        sys.executable,
        "-c",
        code,
        "serve",
        "--port",
        str(port),
        "--quota-mode",
        "extended",
        "--synthetic-artists",
        "5",
        "--seed",
        "2",
    ]
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        health = None
        while time.monotonic() < deadline:
            try:
                health = httpx.get(f"http://127.0.0.1:{port}/_sandbox/health", timeout=1).json()
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        assert health == {"ok": True, "quota_mode": "extended"}
        token = httpx.post(
            f"http://127.0.0.1:{port}/api/token",
            data={"grant_type": "client_credentials"},
            auth=("encoredemoclientid0000000000000a", "encoredemoclientsecret00000000000"),
            timeout=TEST_HTTP_TIMEOUT_S,
        ).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        api = f"http://127.0.0.1:{port}/v1"
        response = httpx.get(
            f"{api}/search",
            params={"q": "various", "type": "artist"},
            headers=headers,
            timeout=TEST_HTTP_TIMEOUT_S,
        )
        found = response.json()
        assert conformance.validate("GET", "/v1/search", response.status_code, found, mode="extended")
        assert [a["name"] for a in found["artists"]["items"]] == ["Various Artists"]  # the generated catalog
        assert (
            httpx.get(
                f"{api}/artists/YQhOGXX8g2pM1yHEFVFAjK", headers=headers, timeout=TEST_HTTP_TIMEOUT_S
            ).status_code
            == 404
        )  # not the demo
    finally:
        process.send_signal(signal.SIGTERM)
        out, _ = process.communicate(timeout=15)
    assert process.returncode == 0 and f"http://127.0.0.1:{port}/v1" in out and "stopping" in out


def test_serve_rejects_bad_options() -> None:
    result = CliRunner().invoke(app, ["serve", "--quota-mode", "premium"])
    assert result.exit_code != 0 and "development or extended" in result.output


# -- the sandbox as a separate process for end-to-end tests of real mode -----------------------------
ENCORE = Path(sys.executable).with_name("encore")  # the installed entry point, as a user runs it
TINY_ARTIST, TINY_ALBUM, TINY_TRACK = (
    "TinyArtist000000000001",
    "TinyAlbum0000000000001",
    "TinyTrack0000000000001",
)
CLIENT_ID, CLIENT_SECRET, REFRESH = "e2e-client-id", "e2e-client-secret-value", "e2e-refresh-token-value"


def _tiny_catalog(path: Path) -> Path:
    path.write_text(
        json.dumps(
            {
                "format": "encore-catalog/1",
                "artists": [{"id": TINY_ARTIST, "name": "Tiny Test Artist", "genres": ["lo-fi"]}],
                "albums": [
                    {"id": TINY_ALBUM, "name": "Small Hours", "album_type": "single",
                     "artist_ids": [TINY_ARTIST], "release_date": "2026-01-09", "track_ids": [TINY_TRACK]}
                ],
                "tracks": [
                    {"id": TINY_TRACK, "name": "Small Hours", "album_id": TINY_ALBUM,
                     "artist_ids": [TINY_ARTIST], "duration_ms": 123000, "isrc": "ZZTNY2600001"}
                ],
                "users": [{"id": "encore-demo-user", "display_name": "Test User"}],
            }
        ),
        encoding="utf-8",
    )  # fmt: skip
    return path


def _wait_for(ready: Path, process: subprocess.Popen[str], *, timeout_s: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while not ready.exists():
        assert process.poll() is None, f"encore sandbox serve exited early: {process.communicate()}"
        assert time.monotonic() < deadline, f"no ready file after {timeout_s} s"
        time.sleep(0.1)
    info: dict[str, Any] = json.loads(ready.read_text(encoding="utf-8"))
    return info


def test_serve_as_a_separate_process_for_real_mode(tmp_path: Path, settings: Settings) -> None:
    ready = tmp_path / "run" / "sandbox.json"
    args = [
        str(ENCORE), "sandbox", "serve", "--port", "0", "--catalog", str(_tiny_catalog(tmp_path / "tiny.json")),
        "--client-id", CLIENT_ID, "--client-secret", CLIENT_SECRET, "--refresh-token", REFRESH,
        "--ready-file", str(ready), "--social",
    ]  # fmt: skip
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = _wait_for(ready, process)
        assert info["api_url"] == f"http://127.0.0.1:{info['port']}/v1" and info["port"] > 0
        assert info["accounts_url"] == f"http://127.0.0.1:{info['port']}"
        # real mode: the project's own client, configured only through settings
        real = settings.model_copy(
            update={
                "world": "real",
                "spotify_api_url": info["api_url"],
                "spotify_accounts_url": info["accounts_url"],
                "spotify_client_id": CLIENT_ID,
                "spotify_client_secret": SecretStr(CLIENT_SECRET),
                "spotify_refresh_token": SecretStr(REFRESH),
            }
        )
        with SpotifyClient.from_settings(real) as client:
            artist = client.artist(TINY_ARTIST).value
            assert artist is not None and artist.name == "Tiny Test Artist"
            assert client.me().value.id == "encore-demo-user"  # the configured refresh token is the user's
        demo = httpx.post(
            info["accounts_url"] + "/api/token",
            data={"grant_type": "client_credentials"},
            auth=("encoredemoclientid0000000000000a", "encoredemoclientsecret00000000000"),
            timeout=TEST_HTTP_TIMEOUT_S,
        )
        assert demo.json() == {"error": "invalid_client", "error_description": "Invalid client"}
        assert set(info["social"]) == {"youtube", "instagram", "x", "tiktok"}
        mb = httpx.get(
            info["musicbrainz_url"] + "/url",
            params={"resource": "https://maxstack.bandcamp.com/", "inc": "artist-rels", "fmt": "json"},
            headers={"User-Agent": "encore-tests/1.0 (tests@example.invalid)"},
            timeout=TEST_HTTP_TIMEOUT_S,
        )
        assert mb.status_code == 200 and mb.json()["relations"][0]["artist"]["name"] == "Maxstack"
        assert info["social_env"]["ENCORE_YOUTUBE_API_URL"] == info["social"]["youtube"]
    finally:
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "stopping" in out and info["api_url"] in out and info["musicbrainz_url"] in out
    assert CLIENT_SECRET not in out and REFRESH not in out  # a configured secret is never printed
    assert not ready.exists()  # removed at a clean stop


def test_serve_refuses_a_catalog_with_duplicate_ids(tmp_path: Path) -> None:
    catalog = json.loads(_tiny_catalog(tmp_path / "tiny.json").read_text(encoding="utf-8"))
    catalog["artists"].append({"id": TINY_ARTIST, "name": "Someone Else"})
    (tmp_path / "dup.json").write_text(json.dumps(catalog), encoding="utf-8")
    result = CliRunner().invoke(app, ["serve", "--port", "0", "--catalog", str(tmp_path / "dup.json")])
    assert result.exit_code == 2
    assert "artists[0] 'Tiny Test Artist' and artists[1] 'Someone Else' have the same id" in result.output


def test_serve_rejects_empty_credentials() -> None:
    result = CliRunner().invoke(app, ["serve", "--port", "0", "--client-secret", " "])
    assert result.exit_code != 0 and "client_secret is empty" in result.output


def test_serve_the_second_world_with_its_social_accounts(tmp_path: Path) -> None:
    world = Path(__file__).resolve().parents[1] / "data" / "world2"
    ready = tmp_path / "sandbox.json"
    args = [
        str(ENCORE), "sandbox", "serve", "--port", "0", "--catalog", str(world / "catalog.json"),
        "--ready-file", str(ready), "--social", "--social-accounts", str(world / "social.json"),
    ]  # fmt: skip
    process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        info = _wait_for(ready, process)
        kestrel = "N5KaGCbAmIaPQDrr4NX4M6"
        mb = httpx.get(
            info["musicbrainz_url"] + "/url",
            params={
                "resource": f"https://open.spotify.com/artist/{kestrel}",
                "inc": "artist-rels",
                "fmt": "json",
            },
            headers={"User-Agent": "encore-tests/1.0 (tests@example.invalid)"},
            timeout=TEST_HTTP_TIMEOUT_S,
        )
        assert mb.status_code == 200 and mb.json()["relations"][0]["artist"]["name"] == "Kestrel Avenue"
        env = info["social_env"]
        channel = httpx.get(
            env["ENCORE_YOUTUBE_API_URL"] + "/channels",
            params={"part": "snippet,statistics", "forHandle": "@kestrelavenue"},
            headers={"X-Goog-Api-Key": env["ENCORE_YOUTUBE_API_KEY"]},
            timeout=TEST_HTTP_TIMEOUT_S,
        )
        assert (
            channel.status_code == 200 and channel.json()["items"][0]["snippet"]["title"] == "Kestrel Avenue"
        )
    finally:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
    assert process.returncode == 0


def test_serve_refuses_social_accounts_without_social_or_malformed(tmp_path: Path) -> None:
    accounts = tmp_path / "social.json"
    accounts.write_text(json.dumps({"format": "encore-social/1", "accounts": [{"platform": "myspace"}]}))
    alone = CliRunner().invoke(app, ["serve", "--port", "0", "--social-accounts", str(accounts)])
    assert alone.exit_code != 0 and "--social-accounts needs --social" in alone.output
    bad = CliRunner().invoke(app, ["serve", "--port", "0", "--social", "--social-accounts", str(accounts)])
    assert bad.exit_code == 2
    assert "platform 'myspace' is not one of youtube, instagram, x, tiktok" in bad.output
