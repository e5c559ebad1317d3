"""The artist report speaks English, French and German; an unknown language is a clear error."""

from __future__ import annotations

import ast
import html
import json
import re
import string
from datetime import date
from pathlib import Path

import pytest

from analytics import catalog
from analytics.config import QuotaMode, Settings
from analytics.reports import Period, load_artist_data, load_run, sections
from analytics.reports.texts import LANGUAGES, TEXTS, long_date, text
from tests.reports.world import BARE_ID, HOSTILE_ID, HOSTILE_NAME, world_catalog

START, END = date(2026, 10, 26), date(2026, 11, 22)


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_language_has_every_text_with_the_same_placeholders() -> None:
    assert set(TEXTS) == set(LANGUAGES) == {"en", "fr", "de"}
    for language in ("fr", "de"):
        assert set(TEXTS[language]) == set(TEXTS["en"]), language
        for key, english in TEXTS["en"].items():
            assert _placeholders(TEXTS[language][key]) == _placeholders(english), (language, key)
            if key.startswith(("heading.", "missing.")):
                assert TEXTS[language][key] != english, f"{language}: {key} is still English"


def test_an_unknown_language_names_the_supported_ones(tmp_path: Path) -> None:
    from flows.reporting import render_artist_report

    with pytest.raises(ValueError, match=r"'es' is not supported; choose one of: en, fr, de"):
        text("heading.streams", language="es")
    # Refused before any notebook runs: the run folder does not even exist.
    with pytest.raises(ValueError, match="choose one of: en, fr, de"):
        render_artist_report(
            tmp_path / "no-run",
            artist_id=BARE_ID,
            period=Period(START, END, label="p"),
            settings=Settings(),
            language="es",
        )


def test_dates_read_naturally_in_each_language() -> None:
    assert long_date(START) == "26 Oct 2026"
    assert long_date(START, language="fr") == "26 oct. 2026"
    assert long_date(START, language="de") == "26. Okt. 2026"


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    frames = catalog.frames_from_catalog(world_catalog(), quota_mode=QuotaMode.development)
    frames.save(tmp_path / "run" / "datasets")
    (tmp_path / "run" / "manifest.json").write_text('{"run_id": "r1", "quota_mode": "development"}')
    return tmp_path / "run"


def _shown_html(capsys: pytest.CaptureFixture[str]) -> str:
    """The HTML the sections displayed (without a kernel, IPython prints each bundle)."""
    bundles = [
        ast.literal_eval(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    return "".join(b.get("text/html", "") for b in bundles)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "fr",
            [
                "Écoutes et auditeurs",
                "Le son du catalogue",
                "Méthodes et limites",
                "Pas encore de données d&#x27;écoute pour cet artiste",
                "Aucune analyse audio pour cet artiste",
                "Mode de quota développement",
                "version du code",
            ],
        ),
        (
            "de",
            [
                "Streams und Hörer",
                "Der Sound des Katalogs",
                "Methoden und Grenzen",
                "Noch keine Streaming-Daten für diesen Künstler",
                "Keine Audioanalyse für diesen Künstler",
                "Entwicklungs-Kontingentmodus",
                "Code-Version",
            ],
        ),
    ],
)
def test_sections_say_headings_missing_notes_and_limits_in_the_report_language(
    run_dir: Path, warehouse, capsys: pytest.CaptureFixture[str], language: str, expected: list[str]
) -> None:
    data = load_artist_data(
        load_run(run_dir, artist_id=BARE_ID), warehouse, artist_id=BARE_ID, start=START, end=END
    )
    capsys.readouterr()
    sections.overview(data, language=language)
    for section in (sections.streams, sections.sound, sections.social, sections.alerts):
        section(data, language=language)
    sections.methods(data, run_id="r1", code_version="1.0", language=language)
    shown = _shown_html(capsys)
    for words in expected:
        assert words in shown, f"{language}: {words!r} not shown"
    for english in ("Streams and listeners", "Methods and limits", "No audio analysis", "code version"):
        assert english not in shown
    assert "no streaming data for this artist yet" in data.missing["streaming"], "missing stays English"


def test_french_texts_around_a_hostile_name_stay_escaped(run_dir: Path, capsys) -> None:
    data = load_artist_data(
        load_run(run_dir, artist_id=HOSTILE_ID), None, artist_id=HOSTILE_ID, start=START, end=END
    )
    capsys.readouterr()
    sections.overview(data, language="fr")
    sections.methods(data, run_id=HOSTILE_NAME, code_version="</dd><script>x</script>", language="fr")
    shown = _shown_html(capsys)
    assert "Méthodes et limites" in shown and "exécution" in shown
    assert HOSTILE_NAME not in shown and "<script>" not in shown
    assert "&lt;img src=x onerror=alert(1)&gt;" in shown


@pytest.mark.parametrize(
    ("count", "language", "expected"),
    [
        (0, "en", "0 tracks"),
        (1, "en", "1 track"),
        (0, "fr", "0 titre"),  # CLDR: French zero takes the singular
        (1, "fr", "1 titre"),
        (2, "fr", "2 titres"),
        (1200, "en", "1,200 tracks"),
        (1200, "fr", "1\u202f200 titres"),
        (1200, "de", "1.200 Titel"),
    ],
)
def test_track_counts_follow_each_languages_plural_rules_and_grouping(
    count: int, language: str, expected: str
) -> None:
    from analytics.content.lang import plural_category
    from analytics.reports.texts import tracks_count

    assert tracks_count(count, language=language) == expected
    # the reports and the content generator read the same plural rules
    assert (plural_category(count, language) == "one") == (count == 1 or (language == "fr" and count == 0))


def test_every_counted_text_has_a_form_for_one_and_for_other_in_every_language() -> None:
    """A text with a ``{count}`` is one catalog message with ``msgid_plural`` and both forms."""
    from analytics.locale import messages

    for language in LANGUAGES:
        for context, message in messages(language).items():
            if context.startswith("content") or not any("{count}" in form for form in message.forms):
                continue
            assert message.counted, f"{language}: {context} counts but has no plural forms"
            assert len(message.forms) == 2 and all(message.forms), f"{language}: {context}"
            assert {f"{context}.one", f"{context}.other"} <= set(TEXTS[language]), f"{language}: {context}"


@pytest.mark.parametrize(
    ("count", "language", "expected"),
    [
        (1, "en", "1 section has no data for this artist; it says why above."),
        (2, "en", "2 sections have no data for this artist; each says why above."),
        (0, "fr", "0 section n'a pas de données pour cet artiste ; elle explique pourquoi plus haut."),
        (1, "de", "1 Abschnitt hat keine Daten für diesen Künstler; er erklärt oben, warum."),
        (1200, "de", "1.200 Abschnitte haben keine Daten für diesen Künstler; jeder erklärt oben, warum."),
    ],
)
def test_a_counted_text_agrees_with_its_count(count: int, language: str, expected: str) -> None:
    assert text("methods.sections_missing", language=language, count=count) == expected
    assert text("posts.more", language="en", count=1) == "1 more draft in the warehouse."


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "set 2 inputs aside"),
        ("fr", "a écarté 2 entrées"),
        ("de", "hat 2 Eingaben zurückgestellt"),
    ],
)
def test_the_overview_names_what_the_run_set_aside_escaped_in_the_report_language(
    run_dir: Path, capsys: pytest.CaptureFixture[str], language: str, heading: str
) -> None:
    manifest = run_dir / "manifest.json"
    items = [
        {"what": "export file", "item": "Streaming_History_Audio_2026_1.json", "reason": "truncated JSON"},
        {"what": "draft", "item": f"short_bio en web for {HOSTILE_NAME}", "reason": "placeholder: '[x]'"},
    ]
    manifest.write_text(json.dumps({"run_id": "r1", "quota_mode": "development", "set_aside": items}))
    data = load_artist_data(
        load_run(run_dir, artist_id=BARE_ID), None, artist_id=BARE_ID, start=START, end=END
    )
    capsys.readouterr()
    sections.overview(data, language=language)
    shown = _shown_html(capsys)
    assert heading in shown.replace("&#x27;", "'")
    assert "Streaming_History_Audio_2026_1.json" in shown and "truncated JSON" in shown
    assert HOSTILE_NAME not in shown and "&lt;img src=x onerror=alert(1)&gt;" in shown


def test_a_run_that_set_nothing_aside_shows_no_such_note(run_dir: Path, capsys) -> None:
    data = load_artist_data(
        load_run(run_dir, artist_id=BARE_ID), None, artist_id=BARE_ID, start=START, end=END
    )
    capsys.readouterr()
    sections.overview(data)
    assert "aside" not in _shown_html(capsys)


ENGLISH_LEFT = (
    # the "sounds like" map's groups and reasons (analytics.ml words them in English)
    "both ",
    "similar ",
    "typical of the catalog",
    "close on every feature",
    "slow",
    "fast",
    "quiet",
    "energetic",
    "bright",
    "dark",
    "major",
    "minor",
    "loudness range",
    # the data-quality table's dataset names, the posts' kinds
    "artists",
    "albums",
    "playlist items",
    "milestone post",
)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["typique du catalogue", "tous deux ", "sorties", "cap franchi"]),
        ("de", ["typisch für den Katalog", "beide ", "Veröffentlichungen", "Meilenstein"]),
    ],
)
def test_the_sound_posts_and_data_quality_sections_leave_no_english_in_french_and_german(
    report_world, capsys: pytest.CaptureFixture[str], language: str, expected: list[str]
) -> None:
    from analytics.warehouse import Warehouse

    artist_id = report_world.demo_ids[0]
    warehouse = Warehouse(report_world.warehouse_url)
    try:
        data = load_artist_data(
            load_run(report_world.run_dir, artist_id=artist_id),
            warehouse,
            artist_id=artist_id,
            start=report_world.period[0],
            end=report_world.period[1],
            language=language,
        )
    finally:
        warehouse.dispose()
    capsys.readouterr()
    for section in (sections.sound, sections.data_quality):
        section(data, language=language)
    sections.posts(data, language=language)
    bundles = [
        ast.literal_eval(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    shown = "".join(b.get("text/html", "") for b in bundles)
    # the words plotly draws beside the map's points and in its legend
    drawn = json.dumps([b[k] for b in bundles for k in b if "plotly" in k], ensure_ascii=False)
    for words in expected:
        assert words in shown + drawn, f"{language}: {words!r} not shown"
    # the drafts are in their own language; song names are the artist's own words
    visible = html.unescape(
        re.sub(r"<[^>]+>", " | ", re.sub(r"<pre class='copy'>.*?</pre>", "", shown, flags=re.S))
    )
    for name in data.tracks["name"]:
        visible = visible.replace(str(name), "")
    for english in ENGLISH_LEFT:
        assert english not in visible, f"{language}: {english!r} is still English"
    legend = [t["name"] for b in bundles for k in b if "plotly" in k for t in b[k]["data"] if "name" in t]
    assert legend and not any(w in n for n in legend for w in ENGLISH_LEFT), legend
