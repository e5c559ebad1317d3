"""update_playlist against one already running loopback sandbox: a second apply writes nothing.

The flow is pointed at the sandbox through the real-API settings (``ENCORE_WORLD=real``
and the sandbox's URLs and demo credentials), so both runs talk to the same playlist store, and
the write requests are counted where they arrive: in the sandbox's request log.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox
from analytics.sandbox.spotify.controls import RequestRecord
from analytics.warehouse import Warehouse

WRITE_METHODS = {"POST", "PUT", "DELETE"}


def _writes(records: list[RequestRecord]) -> list[str]:
    return [
        f"{r.method} {r.path}" for r in records if r.method in WRITE_METHODS and r.path.startswith("/v1/")
    ]


def _records(tmp_path: Path, run_id: str) -> dict[str, dict]:  # type: ignore[type-arg]
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    try:
        bodies = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    finally:
        warehouse.dispose()
    return {r["task"]: r for r in bodies if r["run_id"] == run_id}


def _point_flow_at(sb: SpotifySandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("ENCORE_ARTIST_IDS", "ENCORE_CATALOG_FILE", "ENCORE_DATABASE_URL", "ENCORE_LLM_BASE_URL"):
        monkeypatch.delenv(key, raising=False)
    settings = {
        "DATA_DIR": str(tmp_path / "data"),
        "REPORTS_DIR": str(tmp_path / "reports"),
        "SENTRY_DSN": "",
        "WORLD": "real",
        "SPOTIFY_API_URL": sb.api_url,
        "SPOTIFY_ACCOUNTS_URL": sb.accounts_url,
        "SPOTIFY_CLIENT_ID": sb.client_id,
        "SPOTIFY_CLIENT_SECRET": sb.client_secret,
        "SPOTIFY_REFRESH_TOKEN": sb.user_refresh_token,
        "SPOTIFY_TOKEN_CACHE": str(tmp_path / "cache" / "token.json"),
        "QUOTA_MODE": sb.runtime.quota_mode,
    }
    for name, value in settings.items():
        monkeypatch.setenv(f"ENCORE_{name}", value)


@pytest.mark.parametrize("quota_mode", ["development", "extended"])
def test_applying_the_same_definition_twice_sends_no_write_the_second_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, quota_mode: str
) -> None:
    from flows.data_sync import sync_artist_data
    from flows.playlist_update import update_playlist

    with SpotifySandbox(SandboxOptions(quota_mode=quota_mode, seed=0)).running() as sb:
        _point_flow_at(sb, tmp_path, monkeypatch)
        sync_artist_data()  # a real world curates from the warehouse's catalog: sync it first
        first = update_playlist("maxstack-essentials", apply=True)
        first_writes = _writes(sb.requests)
        applied = _records(tmp_path, first.run_id)["playlist.apply"]["outputs"]
        assert applied["verified"] is True
        assert first_writes[0] == "POST /v1/me/playlists"  # created in this sandbox, not another one
        assert len(first_writes) == applied["write_requests"] == applied["planned_write_requests"]
        playlist = next(p for p in sb.state.playlists.values() if p.name == "Maxstack Essentials")
        assert [e.track_id for e in playlist.entries] == applied["after"]

        seen = len(sb.requests)
        second = update_playlist("maxstack-essentials", apply=True)
        later = sb.requests[seen:]
        print(f"{quota_mode}: first apply {len(first_writes)} write requests, second {len(_writes(later))}")
        assert _writes(later) == []
        assert any(r.method == "GET" and r.path == f"/v1/playlists/{playlist.id}" for r in later)
        records = _records(tmp_path, second.run_id)
        plan = records["playlist.plan"]
        assert plan["inputs"]["playlist_id"] == playlist.id
        assert plan["outputs"]["before"] == plan["outputs"]["after"] == applied["after"]
        assert "playlist.apply" not in records
        assert records["run"]["outputs"]["write_requests_planned"] == 0
