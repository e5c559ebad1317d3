"""Data Docs: one static page per run that opens offline and escapes what the data says."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from analytics.validation import DatasetValidationError, build_data_docs, validate

HOSTILE = "<script>alert(1)</script>"


def test_the_page_shows_each_dataset_offline_and_escaped(frames: dict[str, pd.DataFrame], run_dir: Path):
    validate(frames["artists"], suite="artists", run_dir=run_dir, run_id="run-0001")
    tracks = frames["tracks"]
    tracks.loc[0, "isrc"] = HOSTILE
    with pytest.raises(DatasetValidationError):
        validate(tracks, suite="tracks", run_dir=run_dir, run_id="run-0001")

    page = build_data_docs(run_dir)

    assert page == run_dir / "validation" / "index.html"
    html = page.read_text(encoding="utf-8")
    assert "artists" in html and "tracks" in html
    assert "Suite <strong>tracks</strong>" in html and "Suite <strong>artists</strong>" in html
    assert "run-0001" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert HOSTILE not in html and "<script" not in html.lower()
    assert not re.search(
        r"""<(script|link|img|iframe)[^>]+(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.I
    )
    assert not re.search(r"""(src|href)\s*=\s*["']?https?://""", html, re.I)
    assert "1 passed, 1 failed" in html
    assert html.index('id="ds-tracks"') < html.index('id="ds-artists"')  # failed datasets first
    for link in re.findall(r'href="([^"#]+)"', html):
        assert (page.parent / link).is_file(), link


def test_the_page_lists_failures_first_with_the_reason(frames: dict[str, pd.DataFrame], run_dir: Path):
    frames["tracks"].loc[3, "duration_ms"] = 10
    validate(frames["tracks"], suite="tracks", run_dir=run_dir, run_id="r", raise_on_failure=False)
    html = build_data_docs(run_dir).read_text(encoding="utf-8")
    rows = re.findall(r'<span class="badge (pass|fail|warn)">', html.split("<tbody>", 1)[1])
    assert rows[0] == "fail" and rows.count("fail") == 1 and rows.count("pass") >= 20
    assert "expect_column_values_to_be_between(duration_ms, 1000, 3600000)" in html
    assert "shorter than 1 s or longer than 1 h" in html  # the suite's "why"


def test_an_empty_run_and_an_unreadable_result_are_said_plainly(run_dir: Path):
    html = build_data_docs(run_dir).read_text(encoding="utf-8")
    assert "No dataset was validated in this run." in html
    (run_dir / "validation" / "broken.json").write_text("{not json", encoding="utf-8")
    html = build_data_docs(run_dir).read_text(encoding="utf-8")
    assert "Unreadable result files: broken.json" in html
