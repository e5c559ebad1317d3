"""Where streams come from, the first week after a release and the song pages, in a real
headless Chromium at a 390 px phone width, in English, French and German.

The demo's releases lie before its data, so its reports show no release week; these pages are
assembled from the small frames of ``tests/reports/songs_frames.py`` (a release within the
data), as the report flow assembles a page (the sections' displayed bundles become a
notebook's outputs, no kernel is started).
"""

from __future__ import annotations

import ast
import contextlib
import io
from pathlib import Path

import nbformat
import pytest

from analytics.config import PROJECT_ROOT
from analytics.reports import sections, sections_songs
from analytics.reports.consistency import check_page
from analytics.reports.html import notebook_to_html
from tests.e2e.browser import layout_problems, visit
from tests.report_pages import song_pages
from tests.reports.songs_frames import artist_data

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "reports"
PHONE = 390
# what each language's page draws in the bars of how plays started, and writes in the release week
WORDS = {
    "en": ("chosen by the listener", "played on after another song", "day 7", "+200%"),
    "fr": ("choisie par l'auditeur", "enchaînée après une autre chanson", "jour 7", "+200\u00a0%"),
    "de": ("von Hörern ausgewählt", "nach einem anderen Song weitergespielt", "Tag 7", "+200\u00a0%"),
}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("song-pages")
    found = {}
    for language in WORDS:
        data = artist_data(language=language)
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):  # without a kernel, IPython prints each bundle
            sections.streams(data, language=language)
            sections_songs.sources(data, language=language)
            sections_songs.release_week(data, language=language)
            sections_songs.songs(data, language=language)
        outputs = [
            nbformat.v4.new_output("display_data", data=ast.literal_eval(line))
            for line in printed.getvalue().splitlines()
            if line.startswith("{")
        ]
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source="", outputs=outputs)])
        path = folder / f"songs-{language}.html"
        found[language] = notebook_to_html(nb, output_path=path, title="songs", language=language).path
    return found


@pytest.mark.parametrize("language", list(WORDS))
def test_song_pages_and_the_release_week_read_on_a_390_px_phone(
    pages: dict[str, Path], chromium, language: str
) -> None:
    page = pages[language]
    raw = page.read_text(encoding="utf-8")
    assert check_page(raw) == []
    songs = song_pages(raw)
    assert songs.stated == len(songs.anchors) == len(songs.linked) == len(songs.with_chart) == 2
    seen = visit(
        chromium, page, width=PHONE, height=844, screenshot=ARTIFACTS / f"songs-{language}-phone.png"
    )
    assert seen.errors == [] and seen.outside_requests == [], (seen.errors, seen.outside_requests)
    assert (
        seen.facts["plots"] == 4 and seen.facts["plots_with_svg"] == 4
    )  # artist, how plays started, 2 songs
    assert seen.facts["scroll_width"] <= seen.facts["client_width"] == PHONE
    assert layout_problems(chromium, page, width=PHONE) == []
    context = chromium.new_context(viewport={"width": PHONE, "height": 844})
    tab = context.new_page()
    tab.goto(page.resolve().as_uri(), wait_until="load")
    drawn = tab.evaluate(
        "() => [...document.querySelectorAll('svg text')].map((t) => t.textContent).join(' | ')"
    )
    shown = tab.evaluate("() => document.body.innerText")
    context.close()
    bars_first, bars_second, last_day, change = WORDS[language]
    assert bars_first in drawn and bars_second in drawn, drawn
    assert last_day in shown and change in shown, shown[:400]
