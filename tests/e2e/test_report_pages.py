"""Every page the demo world's main job renders, in headless Chromium: light, offline, and
readable on a phone.

Reuses the demo pipeline world of ``tests/worlds.py`` (its pipeline runs once a session; see
``tests/conftest.SHARED_WORLDS``): the catalog overview, each artist report, each track analysis
page and the index. Each artist report also holds a page per song, where its streams come from
and the first week after a release (or a sentence saying no release falls within the data).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import nbformat
import plotly.graph_objects as go
import pytest

from analytics.config import PROJECT_ROOT
from analytics.reports import notebook_to_html
from analytics.reports.display import PLOTLY_MIME
from tests.e2e.browser import layout_problems, visit
from tests.report_pages import plotly_bundles, song_pages
from tests.worlds import PipelineWorld

pytestmark = [pytest.mark.timeout(900), pytest.mark.slow]

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "reports"
LAPTOP, PHONE = 1280, 390
MAX_BYTES = 2_000_000


@pytest.fixture(scope="module")
def pages(pipeline_world: Callable[[str], PipelineWorld]) -> list[Path]:
    """Every report page of the demo world: catalog overview, artist reports, track analysis."""
    world = pipeline_world("demo")
    found = sorted(p for p in (world.home / "reports").glob("*/*/*.html") if p.name != "data-docs.html")
    kinds = {p.name for p in found}
    assert {"catalog_overview.html", "artist_report.html", "track_analysis.html"} <= kinds, kinds
    return found


def _name(page: Path) -> str:
    return f"{page.parent.parent.name}-{page.stem}"


def test_every_page_is_light_and_holds_one_partial_plotly_bundle(pages: list[Path]) -> None:
    for page in pages:
        raw = page.read_text(encoding="utf-8")
        assert len(raw.encode()) <= MAX_BYTES, f"{_name(page)}: {len(raw.encode()) / 1e6:.2f} MB"
        assert plotly_bundles(raw) == 1, f"{_name(page)}: {plotly_bundles(raw)} plotly bundles"
        assert "plotly.js (basic" in raw, f"{_name(page)}: not the basic bundle"


def test_every_artist_report_has_a_page_per_song_and_says_where_streams_come_from(pages: list[Path]) -> None:
    reports = [p for p in pages if p.name == "artist_report.html"]
    assert reports, pages
    for page in reports:
        raw = page.read_text(encoding="utf-8")
        songs = song_pages(raw)
        assert songs.stated == len(songs.anchors) >= 4, f"{_name(page)}: {songs}"
        assert songs.linked == songs.anchors, f"{_name(page)}: a song page is not linked from the list"
        assert songs.with_numbers == songs.anchors, f"{_name(page)}: a song page states no streams"
        assert songs.with_chart == songs.anchors, f"{_name(page)}: a song page has no chart"
        assert 'id="sources"' in raw and "How plays started" in raw, _name(page)
        assert "reached encore play by play" in raw and "With shuffle on" in raw, _name(page)
        # the demo's releases are from 2008 and 2012: the page says so rather than showing a week
        assert 'id="release-days"' in raw and "so there is no first week to show" in raw, _name(page)


def test_every_page_draws_every_plot_offline_without_a_request(pages: list[Path], chromium) -> None:
    for page in pages:
        seen = visit(
            chromium, page, width=LAPTOP, offline=True, screenshot=ARTIFACTS / f"{_name(page)}-laptop.png"
        )
        assert seen.errors == [], f"{_name(page)}: {seen.errors}"
        assert seen.requests and all(u.startswith("file://") for u in seen.requests), seen.requests
        assert seen.facts["plots"] >= 1 and seen.facts["plots_with_svg"] == seen.facts["plots"], _name(page)


def test_every_chart_and_table_reads_on_a_390_px_phone(pages: list[Path], chromium) -> None:
    found = {}
    for page in [*pages, pages[0].parents[2] / "index.html"]:
        seen = visit(
            chromium, page, width=PHONE, height=844, screenshot=ARTIFACTS / f"{_name(page)}-phone.png"
        )
        assert seen.facts["scroll_width"] <= seen.facts["client_width"] == PHONE, (
            f"{_name(page)}: the page is {seen.facts['scroll_width']} px wide at {PHONE} px"
        )
        if problems := layout_problems(chromium, page, width=PHONE):
            found[_name(page)] = problems
    assert found == {}, json.dumps(found, indent=1)


def _page_of(fig: go.Figure, folder: Path) -> Path:
    output = nbformat.v4.new_output("display_data", data={PLOTLY_MIME: json.loads(fig.to_json())})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source="", outputs=[output])])
    return notebook_to_html(nb, output_path=folder / "page.html", title="t").path


def test_the_phone_check_sees_overprinted_ticks_and_cut_labels(chromium, tmp_path: Path) -> None:
    # Tracks per release as it was drawn before: long release names as axis labels and a tick
    # for every whole track squeeze the bars into a sliver on a phone.
    names = [f"Endgame: Singularity Original Soundtrack part {i} (album)" for i in range(4)]
    fig = go.Figure(go.Bar(x=[1, 6, 10, 1], y=names, orientation="h"))
    fig.update_xaxes(dtick=1, tickformat="d")
    fig.update_layout(title="Tracks per release", height=300)
    problems = layout_problems(chromium, _page_of(fig, tmp_path), width=PHONE)
    assert any("overlap" in p for p in problems), problems
    assert any("cut off" in p for p in problems), problems
    assert layout_problems(chromium, _page_of(fig, tmp_path), width=LAPTOP) == []
