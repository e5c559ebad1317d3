"""The facts layer and the page checker: one story per page, in words for an artist.

Pages here are assembled by the same helpers the report sections call (``fact_html``, ``table``
with marked rows, the streams figure with its markers), then checked as rendered HTML.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime

import pandas as pd
import pytest

from analytics.catalog.counts import count_catalog
from analytics.reports.consistency import check_page, read_page
from analytics.reports.display import fact_html
from analytics.reports.figures import streams_over_time
from analytics.reports.report_facts import (
    anomaly_key,
    excerpt_seconds,
    period_alerts,
    period_anomalies,
)
from analytics.reports.words import measure, minutes_seconds, plain_number

START, END = date(2026, 11, 8), date(2026, 12, 5)


def _anomalies() -> pd.DataFrame:
    one = {"day": date(2026, 12, 5), "entity_id": "trackA", "kind": "spike", "metric": "streams"}
    return pd.DataFrame(
        [
            {**one, "level": "track", "observed": 226.0, "expected": 109.06298991371605, "detector": "baseline",
             "source": "s4a", "score": 6.1},
            {**one, "level": "track", "observed": 226.0, "expected": 109.06298991371605, "detector": "baseline",
             "source": "realtime", "score": 6.1},
            {"day": date(2026, 11, 7), "entity_id": "trackA", "kind": "spike", "metric": "streams", "level": "track",
             "observed": 1.0, "expected": 1.0, "detector": "baseline", "source": "s4a", "score": 5.0},
        ]
    )  # fmt: skip


def _page(*, anomalies_stated: int, mark: bool = True, extra_text: str = "") -> str:
    """A page as the sections write it: a summary, the chart with its markers, the table."""
    found = period_anomalies(_anomalies(), start=START, end=END)
    daily = pd.DataFrame({"day": [date(2026, 12, 4), date(2026, 12, 5)], "streams": [300, 400]})
    figure = streams_over_time(daily, anomalies=found if mark else None)
    rows = "".join(f'<tr data-row="anomaly" data-key="{k}"><td>5 Dec 2026</td></tr>' for k in found["key"])
    script = f'Plotly.newPlot("p1",{json.dumps(figure.to_dict()["data"], default=str)},{{}},{{}});'
    return (
        '<html><body><h2 id="highlights">Highlights</h2>'
        f"<p>{fact_html('recordings', 20, '20 recordings')} in the catalog; {extra_text}</p>"
        f'<div class="card">{fact_html("recordings", 20, "20")}</div>'
        f'<h2 id="streams">Streams</h2><div class="plot"></div><script>{script}</script>'
        f"<p>{fact_html('anomalies', anomalies_stated, str(anomalies_stated))} unusual day</p>"
        f"<table><tbody>{rows}</tbody></table>"
        '<h2 id="methods">Methods</h2><p>seasonal baseline, isolation_forest, s4a, 0.123456</p>'
        "<footer>run 0fd02f4b4ad3449f9f8d9f6ce83a2e85</footer></body></html>"
    )


def test_the_same_unusual_day_from_two_sources_is_one_and_only_the_period_counts() -> None:
    found = period_anomalies(_anomalies(), start=START, end=END)
    assert len(found) == 1 and found.iloc[0]["source"] == "realtime"
    assert found.iloc[0]["key"] == anomaly_key({"day": date(2026, 12, 5), "entity_id": "trackA",
                                               "kind": "spike", "metric": "streams"})  # fmt: skip


def test_an_alert_belongs_to_the_period_of_what_it_is_about_and_a_repeat_is_dropped() -> None:
    about = {"day": "2026-12-05", "entity_id": "trackA", "kind": "spike", "metric": "streams"}
    fired_after = datetime(2026, 12, 6, 1, tzinfo=UTC)
    alerts = pd.DataFrame(
        [
            {"kind": "anomaly", "rule_id": "r", "subject": "a1", "status": "firing", "severity": "warning",
             "facts": {**about, "anomaly_id": "a1"}, "fired_at": fired_after},
            {"kind": "anomaly", "rule_id": "r", "subject": "a2", "status": "firing", "severity": "warning",
             "facts": {**about, "anomaly_id": "a2"}, "fired_at": fired_after},
            {"kind": "pct_change", "rule_id": "f", "subject": "followers", "status": "unavailable",
             "severity": "info", "facts": {}, "fired_at": fired_after},
            {"kind": "threshold", "rule_id": "t", "subject": "streams", "status": "firing", "severity": "info",
             "facts": {"day": "2026-12-06"}, "fired_at": fired_after},
        ]
    )  # fmt: skip
    kept = period_alerts(alerts, start=START, end=END)
    assert list(kept["subject"]) == ["a1"], "fired the day after, about the period: in; its repeat: out"
    assert kept.iloc[0]["day"] == date(2026, 12, 5)


def test_the_catalog_is_counted_by_recording_with_its_releases() -> None:
    tracks = pd.DataFrame(
        {"track_id": list("abcde"), "album_id": ["x", "x", "x", "y", "z"],
         "isrc": ["I1", "I2", "I3", "I1", None]}
    )  # fmt: skip
    counted = count_catalog(pd.DataFrame({"album_id": ["x", "y"]}), tracks)
    # z is not one of the artist's releases: an appearance (a compilation of others), not a release
    assert (counted.recordings, counted.tracks, counted.releases, counted.appearances) == (4, 5, 2, 1)
    assert counted.differs


def test_a_compilation_the_artist_appears_on_is_an_appearance_not_a_release() -> None:
    tracks = pd.DataFrame(
        {"track_id": list("abc"), "album_id": ["own", "own", "sampler"], "isrc": ["I1", "I2", "I1"]}
    )
    albums = pd.DataFrame({"album_id": ["own", "sampler"], "album_group": ["album", "appears_on"]})
    counted = count_catalog(albums, tracks)
    assert (counted.recordings, counted.tracks, counted.releases, counted.appearances) == (2, 3, 1, 1)
    # the drafts count the same releases and recordings as the report they are shown in
    from analytics.content.builder import build_fact_sheet

    sheet = build_fact_sheet(
        {"artist_id": "A", "name": "Maxstack", "genres": [], "followers": None},
        period_start=START,
        period_end=END,
        albums=[
            {"album_id": "own", "name": "Own", "album_type": "album", "album_group": "album",
             "release_date": "2012-12-15", "release_date_precision": "day", "total_tracks": 2},
            {"album_id": "sampler", "name": "Sampler", "album_type": "compilation",
             "album_group": "appears_on", "release_date": "2013", "release_date_precision": "year",
             "total_tracks": 2},
        ],
        tracks=[{"track_id": t, "name": n, "album_id": a, "isrc": i}
                for t, n, a, i in zip("abc", ["One", "Two", "One (sampler edit)"], tracks["album_id"],
                                      tracks["isrc"], strict=True)],
    )  # fmt: skip
    artist = sheet.artist
    assert (artist.release_count, artist.track_count) == (counted.releases, counted.recordings)


def test_words_for_an_artist() -> None:
    assert minutes_seconds(288_000) == "4:48" and minutes_seconds(None) == "—"
    assert measure("skip_rate", 0.28) == "28%" and measure("skip_rate", 0.28, language="fr") == "28\u00a0%"
    assert plain_number(109.06298991371605) == "109" and plain_number(1234567, language="de") == "1.234.567"
    assert plain_number(4.87) == "4.9"


def test_excerpts_are_told_apart_from_whole_songs() -> None:
    tracks = pd.DataFrame({"track_id": ["a", "b"], "duration_ms": [288_000, 200_000]})
    assert excerpt_seconds(pd.DataFrame({"track_id": ["a", "b"], "duration_s": [10.0, 10.0]}), tracks) == 10.0
    assert (
        excerpt_seconds(pd.DataFrame({"track_id": ["a", "b"], "duration_s": [288.0, 199.0]}), tracks) is None
    )


def test_a_page_that_tells_one_story_passes() -> None:
    page = _page(anomalies_stated=1)
    assert check_page(page) == []
    facts = read_page(page)
    assert {k for k, _, _ in facts.facts} == {"recordings", "anomalies"} and len(facts.plots) == 1


@pytest.mark.parametrize(
    ("page", "problem"),
    [
        (_page(anomalies_stated=2), "the summary counts 2, the table lists 1"),
        (_page(anomalies_stated=1, mark=False), "is not marked on any chart"),
        (
            _page(anomalies_stated=1, extra_text="noticed by isolation_forest"),
            "snake_case 'isolation_forest'",
        ),
        (_page(anomalies_stated=1, extra_text="from s4a"), "technical word 's4a'"),
        (_page(anomalies_stated=1, extra_text="artist YQhOGXX8g2pM1yHEFVFAjK"), "raw id"),
        (_page(anomalies_stated=1, extra_text="expected 109.06298991371605"), "unrounded number"),
        (_page(anomalies_stated=1, extra_text="skip rate 0.28"), "unrounded number '0.28'"),
    ],
)
def test_the_checker_names_what_breaks_the_story(page: str, problem: str) -> None:
    assert any(problem in p for p in check_page(page)), check_page(page)


def test_a_count_altered_in_one_place_is_caught_by_its_value_and_by_its_digits() -> None:
    page = _page(anomalies_stated=1)
    shown = page.replace('data-value="20">20</span></div>', 'data-value="20">21</span></div>')
    assert any("recordings: shows '21' but states 20" in p for p in check_page(shown))
    stated = page.replace('data-value="20">20</span></div>', 'data-value="21">21</span></div>')
    assert any("recordings: the page states 2 different values" in p for p in check_page(stated))


def test_no_fixed_text_for_the_artist_names_a_flow_or_a_table() -> None:
    import re

    from analytics.reports.consistency import ENGINEER_WORDS, SNAKE_CASE
    from analytics.reports.texts import TEXTS

    technical = ("methods.", "quota.")  # shown under "Methods and limits" only
    found = [
        (language, key, match)
        for language, texts in TEXTS.items()
        for key, value in texts.items()
        if not key.startswith(technical)
        for pattern in (SNAKE_CASE, ENGINEER_WORDS)
        for match in pattern.findall(re.sub(r"\{\w+\}", "", value))
    ]
    assert found == []


def test_what_the_run_set_aside_is_named_verbatim_and_nothing_else_is() -> None:
    """A set-aside export file may be named by an artist id: its row is marked verbatim and not
    read as text for the artist; the same words outside such a row still fail."""
    from analytics.reports import display

    shown: list[dict[str, str]] = []
    original = display._display
    display._display = lambda bundle: shown.append(bundle)  # collect the HTML the notebook would show
    try:
        display.set_aside(
            [{"what": "export row", "item": "4LtH2tujZmdzrXoxgN9pXM-songs-1year.csv row 3", "reason": "bad"}]
        )
    finally:
        display._display = original
    body = "".join(part["text/html"] for part in shown)
    page = f"<html><body><h2 id='highlights'>Highlights</h2>{body}</body></html>"
    assert 'data-verbatim="1"' in body and check_page(page) == []
    unmarked = page.replace(' data-verbatim="1"', "")
    assert any("4LtH2tujZmdzrXoxgN9pXM" in p for p in check_page(unmarked))


@pytest.mark.parametrize(
    ("language", "style"), [("de", "medium"), ("de", "short"), ("fr", "short"), ("en", "short")]
)
def test_a_date_the_language_writes_in_digits_is_not_an_unrounded_number(language: str, style: str) -> None:
    from analytics.content.lang import day

    written = day(date(2012, 12, 15), language, style=style)  # 15.12.2012, 15/12/2012, 12/15/12
    assert re.fullmatch(r"\d{1,2}[./]\d{1,2}[./]\d{2,4}", written), written
    page = _page(anomalies_stated=1, extra_text=f"erschienen am {written}.")
    assert not any("unrounded" in p for p in check_page(page)), check_page(page)
    for unrounded in ("erwartet 12.2012", "am 15.12.20125", "1.234567"):  # still numbers, not dates
        assert any(
            "unrounded number" in p for p in check_page(_page(anomalies_stated=1, extra_text=unrounded))
        )


def test_a_german_report_with_german_drafts_passes_the_checker(report_world, tmp_path) -> None:
    """Maxstack's German drafts write its last release date as Babel's medium German date,
    15.12.2012; the page that shows them tells one story."""
    import ast
    import contextlib
    import io

    import nbformat

    from analytics.content import facts_from_warehouse, generate_drafts, store_drafts
    from analytics.reports import load_artist_data, load_run, sections
    from analytics.reports.html import notebook_to_html
    from analytics.warehouse import Warehouse
    from tests.reports.world import RUN_ID, copy_world

    world = copy_world(report_world, tmp_path / "world")
    artist_id, (start, end) = world.demo_ids[0], world.period
    warehouse = Warehouse(world.warehouse_url)
    try:
        sheet = facts_from_warehouse(warehouse, artist_id, period_start=start, period_end=end)
        store_drafts(
            warehouse, generate_drafts(sheet, languages=("de",), seed=3), run_id=RUN_ID, facts=[sheet]
        )
        data = load_artist_data(
            load_run(world.run_dir, artist_id=artist_id),
            warehouse,
            artist_id=artist_id,
            start=start,
            end=end,
            language="de",
        )
    finally:
        warehouse.dispose()
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):  # without a kernel, IPython prints each bundle
        sections.overview(data, language="de")
        sections.posts(data, language="de", limit=len(data.drafts))  # every draft, the dated ones too
    outputs = [
        nbformat.v4.new_output("display_data", data=ast.literal_eval(line))
        for line in printed.getvalue().splitlines()
        if line.startswith("{")
    ]
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source="", outputs=outputs)])
    page = notebook_to_html(nb, output_path=tmp_path / "de.html", title="Maxstack", language="de")
    html = page.path.read_text(encoding="utf-8")
    assert "15.12.2012" in html, "no German draft with a date in digits: the test checks nothing"
    assert check_page(html) == []
