"""The artist report's charts speak the page's language in a real headless Chromium.

The report sections of one demo artist of the report world (``tests/reports/world.py``) are
displayed in English, French and German, assembled into pages by ``notebook_to_html`` as the
report flow does (without running a notebook: the sections' displayed bundles become the
notebook's outputs), and opened from file://. What plotly draws (tick labels, legends, axis
titles, bar texts, annotations) is read from the SVG.
"""

from __future__ import annotations

import ast
import contextlib
import io
import re
from pathlib import Path

import nbformat
import pytest

from analytics.config import PROJECT_ROOT
from analytics.reports import load_artist_data, load_run, sections
from analytics.reports.html import notebook_to_html
from analytics.warehouse import Warehouse
from tests.e2e.browser import visit
from tests.reports.world import World

ARTIFACTS = PROJECT_ROOT / "test-artifacts" / "reports"
LAPTOP, PHONE = 1280, 390

ENGLISH_CHART_WORDS = (
    "streams",
    "listeners",
    "anomaly",
    "unusual day",
    "beats per minute",
    "tracks",
    "followers",
    "integrated",
    "major",
    "minor",
    "Top tracks",
    "Tempo and",
    "Keys",
    "Loudness",
    "Sounds like",
    "Other countries",
    "typical of the catalog",
    "both ",
)
ENGLISH_MONTHS = ("Oct", "Nov", "Dec")

# Per plot: its title, and every text plotly drew but the names written beside the points of
# the similarity map (track names come with the data, not from the chart); the map's legend,
# its groups in words, is drawn in the page's language too.
CHART_TEXT = """() => [...document.querySelectorAll('div.plot')].map((plot) => {
  const title = plot.querySelector('.gtitle');
  const texts = [...plot.querySelectorAll('svg text')].filter((t) => !t.closest('g.textpoint'));
  return {title: title ? title.textContent : '', text: texts.map((t) => t.textContent).join(' | ')};
})"""


def _render(world: World, folder: Path, *, language: str) -> Path:
    """The charted sections of the first demo artist in ``language``, as a report page."""
    artist_id = world.demo_ids[0]
    start, end = world.period
    warehouse = Warehouse(world.warehouse_url)
    try:
        data = load_artist_data(
            load_run(world.run_dir, artist_id=artist_id),
            warehouse,
            artist_id=artist_id,
            start=start,
            end=end,
            language=language,
        )
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):  # without a kernel, IPython prints each bundle
            for section in (sections.streams, sections.top_tracks, sections.countries, sections.social):
                section(data, language=language)
            sections.sound(data, language=language)
    finally:
        warehouse.dispose()
    outputs = [
        nbformat.v4.new_output("display_data", data=ast.literal_eval(line))
        for line in printed.getvalue().splitlines()
        if line.startswith("{")
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source="", outputs=outputs)])
    return notebook_to_html(
        nb, output_path=folder / f"charts-{language}.html", title="charts", language=language
    ).path


@pytest.fixture(scope="module")
def pages(report_world: World, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("chart-language")
    return {language: _render(report_world, folder, language=language) for language in ("en", "fr", "de")}


def _charts(chromium, page: Path, *, width: int = LAPTOP) -> list[dict[str, str]]:
    context = chromium.new_context(viewport={"width": width, "height": 900}, device_scale_factor=1)
    tab = context.new_page()
    tab.goto(page.resolve().as_uri(), wait_until="load")
    tab.wait_for_timeout(300)
    charts: list[dict[str, str]] = tab.evaluate(CHART_TEXT)
    context.close()
    return charts


@pytest.mark.parametrize(
    ("language", "months", "words"),
    [
        (
            "fr",
            ("oct.", "nov."),
            (
                "Écoutes par jour",
                "écoutes par jour",
                "auditeurs par jour",
                "Écoutes et évolution",
                "Écoutes par pays",
                "abonnés",
                "battements par minute",
                "titres",
                "Tonalités",
                "mineur",
                "LUFS (intégré)",
                "Ressemblances",
            ),
        ),
        (
            "de",
            ("Okt.", "Nov."),
            (
                "Streams pro Tag",
                "Hörer pro Tag",
                "Streams und Veränderung",
                "Streams nach Ländern",
                "Follower",
                "Schläge pro Minute",
                "Titel",
                "Tonarten",
                "Moll",
                "LUFS (integriert)",
                "Klangverwandtschaft",
            ),
        ),
    ],
)
def test_charts_draw_french_and_german_words_dates_and_numbers(
    pages: dict[str, Path], chromium, language: str, months: tuple[str, ...], words: tuple[str, ...]
) -> None:
    page = pages[language]
    seen = visit(chromium, page, width=LAPTOP, screenshot=ARTIFACTS / f"charts-{language}-laptop.png")
    assert seen.errors == [] and seen.outside_requests == [], (seen.errors, seen.outside_requests)
    assert seen.facts["plots"] >= 7 and seen.facts["plots_with_svg"] == seen.facts["plots"]
    charts = _charts(chromium, page)
    drawn = " | ".join(f"{c['title']} | {c['text']}" for c in charts)
    for word in words:
        assert word in drawn, f"{language}: {word!r} is not drawn"
    for month in months:
        assert month in drawn, f"{language}: no {month!r} on a date axis"
    for english in ENGLISH_CHART_WORDS:
        found = [c["title"] for c in charts if english in f"{c['title']} | {c['text']}"]
        assert found == [], f"{language}: {english!r} still drawn in {found}"
    for month in ENGLISH_MONTHS:  # "Nov" alone; German's "Nov." is its own
        found = [c["title"] for c in charts if re.search(rf"\b{month}\b(?!\.)", c["text"])]
        assert found == [], f"{language}: English {month!r} still drawn in {found}"
    # French days come before their month ("2 nov."), German ones with a dot ("2. Nov.")
    first_day = "2 nov." if language == "fr" else "2. Nov."
    assert first_day in drawn, f"{language}: no {first_day!r}"


def test_charts_group_thousands_as_the_language_does(chromium, tmp_path: Path) -> None:
    """plotly.js's own numbers (the listeners axis, ``,d``) take the page locale's separators."""
    import json
    from datetime import date, timedelta

    import pandas as pd

    from analytics.reports import figures
    from analytics.reports.display import PLOTLY_MIME

    days = [date(2026, 11, 1) + timedelta(days=i) for i in range(14)]
    daily = pd.DataFrame({"day": days, "streams": [900 * (i + 1) for i in range(14)]})
    daily["listeners"] = daily["streams"] * 2

    def grouped(language: str) -> set[str]:
        fig = figures.streams_over_time(daily, language=language)
        output = nbformat.v4.new_output("display_data", data={PLOTLY_MIME: json.loads(fig.to_json())})
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source="", outputs=[output])])
        page = notebook_to_html(nb, output_path=tmp_path / f"{language}.html", title="t", language=language)
        (chart,) = _charts(chromium, page.path)
        return set(re.findall(r"\d{1,3}[.,\u202f\u00a0 ]\d{3}\b", chart["text"]))

    en, fr, de = grouped("en"), grouped("fr"), grouped("de")
    assert en and all("," in n for n in en), en
    assert fr and all("\u202f" in n for n in fr), fr
    assert de and all("." in n for n in de), de


def test_an_english_page_keeps_english_charts(pages: dict[str, Path], chromium) -> None:
    drawn = " | ".join(f"{c['title']} | {c['text']}" for c in _charts(chromium, pages["en"]))
    for word in (
        "streams a day",
        "listeners a day",
        "beats per minute",
        "tracks",
        "LUFS (integrated)",
        "Nov",
    ):
        assert word in drawn, f"en: {word!r} is not drawn"
    assert "nov." not in drawn and "Okt." not in drawn


@pytest.mark.parametrize("language", ["fr", "de"])
def test_french_and_german_charts_fit_a_390_px_phone(pages: dict[str, Path], chromium, language: str) -> None:
    from tests.e2e.browser import layout_problems

    problems = layout_problems(chromium, pages[language], width=PHONE)
    seen = visit(chromium, pages[language], width=PHONE, height=844)
    assert seen.facts["scroll_width"] <= seen.facts["client_width"] == PHONE
    assert problems == [], problems
