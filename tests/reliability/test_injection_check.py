"""The pipeline's injection check fails on a report that shows a hostile name unescaped."""

from __future__ import annotations

import html
from pathlib import Path

from analytics.warehouse import Warehouse
from reliability.hostile import HOSTILE_STRINGS
from reliability.pipeline_run import PipelineRun, check_injection


def _home(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    data.mkdir()
    warehouse = Warehouse(f"sqlite:///{data / 'encore.sqlite'}")
    warehouse.migrate()
    with warehouse.engine.begin() as conn:
        for i, name in enumerate(HOSTILE_STRINGS):
            conn.exec_driver_sql(
                "INSERT INTO tracks (track_id, album_id, artist_id, artist_ids, name, disc_number, "
                "track_number, duration_ms, explicit, content_hash, first_seen_run, last_changed_run) "
                "VALUES (?, 'al', 'ar', '[\"ar\"]', ?, 1, ?, 1000, 0, 'h', 'r', 'r')",
                (f"t{i}", name, i + 1),
            )
    warehouse.dispose()
    return tmp_path


def _run(home: Path, page: Path) -> PipelineRun:
    result = {"outcome": "ok", "reports": [str(page)]}
    return PipelineRun(home, 0, "MONITOR-RESULT {}", "", result, [], {})


def test_escaped_names_pass_and_a_raw_script_is_counted(tmp_path: Path) -> None:
    home = _home(tmp_path)
    page = home / "report.html"
    page.write_text("<!DOCTYPE html><title>r</title><p>" + html.escape(HOSTILE_STRINGS[0]) + "</p>")
    check_injection(_run(home, page)).assert_ok()
    page.write_text("<!DOCTYPE html><title>r</title><p>" + HOSTILE_STRINGS[0] + "</p>")
    result = check_injection(_run(home, page))
    assert not result.ok and result.injected >= 1
