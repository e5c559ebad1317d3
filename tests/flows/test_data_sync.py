"""sync_artist_data under Prefect's ephemeral API: audited, unchanged the second time, partial on a quota stop."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.audit import verify
from analytics.config import Settings
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox
from analytics.warehouse import Warehouse


def _entries(settings: Settings, run_id: str) -> dict[str, dict]:
    warehouse = Warehouse.from_settings(settings)
    rows = [json.loads(r["body"]) for r in warehouse.rows("audit_records", order_by=["seq"])]
    warehouse.dispose()
    return {e["task"]: e for e in rows if e["run_id"] == run_id}


def _home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    for key in ("ENCORE_ARTIST_IDS", "ENCORE_CATALOG_FILE", "ENCORE_QUOTA_MODE", "ENCORE_DATABASE_URL"):
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.setenv("ENCORE_SENTRY_DSN", "")
    return Settings()


def test_the_flow_syncs_the_demo_then_writes_nothing_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows import sync_artist_data

    settings = _home(tmp_path, monkeypatch)
    monkeypatch.setenv("ENCORE_ARTIST_IDS", json.dumps(["YQhOGXX8g2pM1yHEFVFAjK", "C6rVeFm4k7WnQjMQx9CCLT"]))
    first = sync_artist_data()
    second = sync_artist_data()
    assert first.outcome == "ok" and first.quota_mode == "development"
    assert second.outcome == "unchanged" and second.changes.rows_written == 0

    one, two = _entries(settings, first.run_id), _entries(settings, second.run_id)
    synced = one["sync_catalog"]
    assert set(synced["validation"]) == {"artists", "albums", "tracks", "playlists", "playlist_items"}
    assert all(v["success"] for v in synced["validation"].values())
    assert synced["outputs"]["inserted"]["tracks"] > 0 and synced["details"]["quota_mode"] == "development"
    assert synced["requests"]["GET /artists/{id} 200"] == 2
    assert two["run"]["outcome"] == "unchanged" and two["run"]["outputs"]["rows_written"] == 0
    assert "no change" in two["sync_catalog"]["details"]["message"]
    assert all(k.endswith((" 304", "/api/token 200")) for k in two["sync_catalog"]["requests"])
    warehouse = Warehouse.from_settings(settings)
    assert verify(warehouse).ok
    versions = warehouse.rows("entity_versions")
    assert {v["run_id"] for v in versions} == {first.run_id}
    warehouse.dispose()


def test_a_quota_stop_ends_the_flow_partial_and_the_next_run_completes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real-API path (no in-flow sandbox) against a sandbox the test serves; artists: the followed ones."""
    from flows import sync_artist_data

    with SpotifySandbox(SandboxOptions(quota_mode="extended")).running() as sb:
        settings = _home(tmp_path, monkeypatch)
        for name, value in {
            "WORLD": "real",
            "SPOTIFY_API_URL": sb.api_url,
            "SPOTIFY_ACCOUNTS_URL": sb.accounts_url,
            "SPOTIFY_CLIENT_ID": sb.client_id,
            "SPOTIFY_CLIENT_SECRET": sb.client_secret,
            "SPOTIFY_REFRESH_TOKEN": sb.user_refresh_token,
            "SPOTIFY_TOKEN_CACHE": str(tmp_path / "cache" / "token.json"),
            "QUOTA_MODE": "extended",
        }.items():
            monkeypatch.setenv(f"ENCORE_{name}", value)
        sb.set_rate_limit(4, retry_after_s=7200)  # GET /me/following, /artists, then the discographies
        stopped = sync_artist_data()
        assert stopped.outcome == "partial" and stopped.resume_at is not None
        record = _entries(settings, stopped.run_id)
        assert record["run"]["outcome"] == "partial" and "resume after" in record["run"]["details"]["message"]
        assert record["sync_catalog"]["details"]["resume_at"] == stopped.resume_at.isoformat()
        assert any(
            c["status"] == "partial" for c in record["sync_catalog"]["details"]["checkpoints"].values()
        )

        sb.set_rate_limit(None)
        resumed = sync_artist_data()
        assert resumed.outcome == "ok" and resumed.quota_mode == "extended"
        assert sorted(resumed.artist_ids) == sorted(sb.state.users["encore-demo-user"].followed_artist_ids)
        warehouse = Warehouse.from_settings(settings)
        assert {r["artist_id"] for r in warehouse.rows("artists")} == set(resumed.artist_ids)
        assert all(r["followers"] is not None for r in warehouse.rows("artists"))  # extended mode shows them
        warehouse.dispose()
