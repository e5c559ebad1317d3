"""analyze_tracks renders a track analysis page per analysed artist, listed in the index, with
its figures, and a hostile track title shown as text."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from analytics import catalog, demo
from analytics.warehouse import Warehouse
from tests.report_pages import plotly_bundles
from tests.reports.world import AUDIO_CACHE, HOSTILE_TRACK

# Analyses the demo audio and renders a page per artist: 20-45 s on a loaded 2-core machine.
pytestmark = pytest.mark.slow
MAXSTACK = "YQhOGXX8g2pM1yHEFVFAjK"
SECTOID = "C6rVeFm4k7WnQjMQx9CCLT"
RENAMED = "KJDQIrkVdFohZuzUGV62Wy"  # "Awakening", which has a demo audio file


def warm_audio_cache(data_dir: Path) -> None:
    """Seed the run's feature cache with the demo files' analysed results when the report world
    left them (test_track_analysis.py measures the cold analysis; this test is about the pages)."""
    for entry in AUDIO_CACHE.glob("*/*/*.json") if AUDIO_CACHE.is_dir() else []:
        if json.loads(entry.read_text()).get("status") == "ok":
            target = data_dir / "cache" / "audio" / "features" / entry.relative_to(AUDIO_CACHE)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(entry, target)


def test_analyze_tracks_renders_a_safe_track_analysis_page_per_artist(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.track_analysis import analyze_tracks

    monkeypatch.setenv("ENCORE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ENCORE_REPORTS_DIR", str(tmp_path / "reports"))
    monkeypatch.delenv("ENCORE_DATABASE_URL", raising=False)
    warm_audio_cache(tmp_path / "data")
    warehouse = Warehouse(f"sqlite:///{tmp_path / 'data' / 'encore.sqlite'}")
    warehouse.migrate()
    doc = demo.load_catalog()
    for track in doc["tracks"]:
        if track["id"] == RENAMED:
            track["name"] = HOSTILE_TRACK
    frames = catalog.frames_from_catalog(doc, artist_ids=demo.demo_artist_ids())
    catalog.store_catalog(warehouse, frames, run_id="seed")

    summary = analyze_tracks(report_label="2026-11-23")

    reports = tmp_path / "reports"
    page = reports / MAXSTACK / "2026-11-23" / "track_analysis.html"
    assert sorted(summary.outputs["reports"]) == sorted(
        str(reports / a / "2026-11-23" / "track_analysis.html") for a in (MAXSTACK, SECTOID)
    )
    text = page.read_text(encoding="utf-8")
    assert text.count("Plotly.newPlot") == 4 and plotly_bundles(text) == 1  # one bundle
    for title in ("Tempo", "Keys, major and minor", "Integrated loudness against -14 LUFS", "Sounds like"):
        assert title in text
    assert "<script>alert(2)" not in text and "</script><script>alert" not in text
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in text  # the features table
    # figure labels: escaped as text for plotly, then made script-safe inside the plot scripts
    in_figures = "\\u0026lt;script\\u0026gt;alert(2)"
    assert in_figures in text
    assert text.count("alert(2)") == text.count("&lt;script&gt;alert(2)") + text.count(in_figures)
    assert "Content-Security-Policy" in text and "warehouse = Warehouse" not in text  # code hidden
    meta = json.loads(page.with_suffix(".json").read_text())
    assert meta == {"artist": "Maxstack", "kind": "Track analysis", "period": "2026-11-23"}
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert f"{MAXSTACK}/2026-11-23/track_analysis.html" in index
    assert f"{SECTOID}/2026-11-23/track_analysis.html" in index and "Track analysis" in index
    records = [json.loads(r["body"]) for r in warehouse.rows("audit_records")]
    rendered = [r for r in records if r["task"] == "render_track_analysis"]
    assert rendered and rendered[0]["outcome"] == "ok"
    # Sectoid has two recordings: too few for the similarity map, which says so instead
    assert rendered[0]["outputs"]["figures"] == {"Maxstack": 4, "Sectoid": 3}
    warehouse.dispose()


@pytest.mark.parametrize("label", ["../escape", "2026/11", "", ".hidden"])
def test_a_report_label_must_be_a_plain_folder_name(label: str) -> None:
    from flows.track_analysis import analyze_tracks

    with pytest.raises(ValueError, match="names a folder"):
        analyze_tracks.fn(report_label=label)
