"""sync_social_media under Prefect: every platform stored once a day, audited, validated."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics.warehouse import Warehouse


def test_two_syncs_on_one_day_keep_one_snapshot_per_account(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.social_media_sync import sync_social_media

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    first = sync_social_media(day="2026-11-20")
    second = sync_social_media(day="2026-11-20")
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    snapshots = warehouse.rows("social_snapshots")
    keys = [(s["platform"], s["platform_id"], str(s["day"])) for s in snapshots]
    assert snapshots and len(keys) == len(set(keys))
    assert {s["platform"] for s in snapshots} == {"youtube", "instagram", "x", "tiktok"}
    assert first.outcome in {"ok", "partial"} and first.rows_written >= 4
    assert second.outcome == "unchanged" and second.rows_written == 0
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    per_artist = [r for r in records if r["task"].startswith("social.") and r["run_id"] == second.run_id]
    assert per_artist and all("platforms" in r["outputs"] for r in per_artist)
    validated = [
        r for r in records if r["task"] == "validate.social_snapshots" and r["run_id"] == second.run_id
    ]
    assert validated and validated[0]["validation"]["social_snapshots"]["success"] is True
