"""analyze_tracks under Prefect: demo excerpts analysed, matched by ISRC, validated, stored once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analytics import catalog, demo
from analytics.warehouse import Warehouse

pytestmark = pytest.mark.timeout(900)


def test_demo_audio_is_analysed_matched_stored_and_a_rerun_computes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.track_analysis import analyze_tracks

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    warehouse.migrate()
    frames = catalog.frames_from_catalog(demo.load_catalog(), artist_ids=demo.demo_artist_ids())
    catalog.store_catalog(warehouse, frames, run_id="seed")

    first = analyze_tracks()
    second = analyze_tracks()
    rows = warehouse.rows("track_audio_features")
    with_audio = {t["id"] for t in demo.load_catalog()["tracks"] if t["audio"]}
    assert with_audio <= {r["track_id"] for r in rows}
    assert all(30 <= r["tempo_bpm"] <= 300 and r["key"] and r["loudness_lufs"] < 0 for r in rows)
    assert first.rows_written >= len(with_audio)
    assert second.outcome == "unchanged"
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    analysed = [r for r in records if r["task"] == "analyze_audio" and r["run_id"] == second.run_id]
    assert analysed and analysed[0]["outputs"]["computed"] == 0
