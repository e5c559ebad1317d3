"""analyze_tracks under Prefect: demo excerpts analysed, matched by ISRC, validated, stored once."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from analytics import catalog, demo
from analytics.warehouse import Warehouse


def test_demo_audio_is_analysed_matched_stored_and_a_rerun_computes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.track_analysis import analyze_tracks

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    warehouse.migrate()
    frames = catalog.frames_from_catalog(demo.load_catalog(), artist_ids=demo.demo_artist_ids())
    catalog.store_catalog(warehouse, frames, run_id="seed")

    first = analyze_tracks(reports=False)  # pages: test_track_analysis_report.py
    second = analyze_tracks(reports=False)
    rows = warehouse.rows("track_audio_features")
    with_audio = {t["id"] for t in demo.load_catalog()["tracks"] if t["audio"]}
    assert with_audio <= {r["track_id"] for r in rows}
    assert all(30 <= r["tempo_bpm"] <= 300 and r["key"] and r["loudness_lufs"] < 0 for r in rows)
    assert first.rows_written >= len(with_audio)
    assert second.outcome == "unchanged"
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    analysed = [r for r in records if r["task"] == "analyze_audio" and r["run_id"] == second.run_id]
    assert analysed and analysed[0]["outputs"]["computed"] == 0
    assert not (tmp_path / "reports").exists()
    # sounds-like neighbours are other recordings: a single is not its album version's neighbour
    isrc = {t["id"]: t["isrc"] for t in demo.load_catalog()["tracks"]}
    neighbours = pd.read_parquet(
        tmp_path / "data" / "runs" / first.run_id / "datasets" / "sounds_like.parquet"
    )
    assert not neighbours.empty
    assert all(isrc[a] != isrc[b] for a, b in zip(neighbours["id"], neighbours["neighbour_id"], strict=True))
    assert len({isrc[t] for t in neighbours["id"]}) == neighbours["id"].nunique()

    # The same audio in another folder: the cached batch is reused for the files where they are now.
    moved = tmp_path / "moved-audio"
    shutil.copytree(demo.AUDIO_DIR, moved)
    third = analyze_tracks(str(moved), reports=False)
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    analysed = [r for r in records if r["task"] == "analyze_audio" and r["run_id"] == third.run_id]
    assert analysed[0]["outputs"]["computed"] == 0
    rows = warehouse.rows("track_audio_features")
    assert with_audio <= {r["track_id"] for r in rows}
    assert all(Path(r["path"]).is_relative_to(moved) for r in rows if r["track_id"] in with_audio)
