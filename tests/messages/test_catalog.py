"""One gettext catalog a language holds every word encore shows; the reports and the content
generator read it, and it says what it lacks."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.plurals import get_plural

from analytics import locale
from analytics.config import PROJECT_ROOT
from analytics.content.generator import PHRASEBOOK, WORDS
from analytics.locale import CLOSE, LANGUAGES, OPEN, catalog_path, mark, message, messages, plural_form
from analytics.reports.texts import TEXTS, text

SCRIPT = PROJECT_ROOT / "scripts" / "messages.py"


def test_every_language_has_a_catalog_in_the_package_with_every_report_text() -> None:
    for language in LANGUAGES:
        assert catalog_path(language).is_relative_to(Path(locale.__file__).parent)
        assert catalog_path(language).suffix == ".po"
    english = {c for c in messages("en") if not c.startswith("content")}
    for language in LANGUAGES:
        assert {c for c in messages(language) if not c.startswith("content")} == english, language
    assert len(english) > 400


def test_the_maintenance_tool_finds_nothing_to_say_and_sees_a_missing_translation(tmp_path: Path) -> None:
    checked = subprocess.run([sys.executable, str(SCRIPT), "check"], capture_output=True, text=True)
    assert (checked.returncode, checked.stdout) == (0, "")
    # a copy of the catalogs where French lost one translation and German one placeholder
    copy = tmp_path / "analytics"
    shutil.copytree(PROJECT_ROOT / "analytics" / "locale", copy / "locale")
    shutil.copy(PROJECT_ROOT / "analytics" / "__init__.py", copy / "__init__.py")
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / "messages.py")
    fr = copy / "locale" / "fr" / "LC_MESSAGES" / "encore.po"
    fr.write_text(
        fr.read_text(encoding="utf-8").replace('msgstr "Écoutes et auditeurs"', 'msgstr ""'), "utf-8"
    )
    de = copy / "locale" / "de" / "LC_MESSAGES" / "encore.po"
    de.write_text(de.read_text(encoding="utf-8").replace("{count} Titel", "Titel", 1), "utf-8")
    broken = subprocess.run(
        [sys.executable, str(tmp_path / "scripts" / "messages.py"), "check"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert broken.returncode == 1, broken.stderr
    assert "fr: heading.streams: untranslated" in broken.stdout
    assert "de: tracks: placeholders" in broken.stdout


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalog_header_and_the_cldr_rules_pick_the_same_plural_form(language: str) -> None:
    """``Plural-Forms`` of the .po (what gettext tools read) and CLDR (what encore reads) agree."""
    header = catalog_path(language).read_text(encoding="utf-8")
    rule = get_plural(language)
    assert f"Plural-Forms: nplurals={rule.num_plurals}; plural={rule.plural_expr};" in header
    cldr = Locale.parse(language)
    for count in range(2_001):
        by_header = 0 if not eval(rule.plural_expr, {"n": count}) else 1  # "(n > 1)": C reads as Python here
        assert by_header == (0 if cldr.plural_form(count) == "one" else 1), (language, count)
        assert plural_form(count, language=language) == ("one" if by_header == 0 else "other")


def test_a_counted_text_is_one_message_with_its_plural_forms() -> None:
    tracks = message("tracks", language="fr")
    assert tracks.counted and tracks.forms == ("{count} titre", "{count} titres")
    assert text("tracks", language="fr", count=0) == "0 titre"
    assert text("tracks", language="en", count=0) == "0 tracks"
    assert text("tracks", language="de", count=1200) == "1.200 Titel"


def test_a_missing_key_and_an_unknown_language_fail_clearly() -> None:
    with pytest.raises(KeyError):
        text("heading.no_such_heading", language="fr")
    with pytest.raises(KeyError):
        message("content:no.such.block", language="de")
    with pytest.raises(ValueError, match="choose one of: en, fr, de"):
        message("tracks", language="es")
    with pytest.raises(ValueError, match="choose one of: en, fr, de"):
        text("tracks", language="es", count=1)


def test_the_content_generator_reads_its_phrasings_from_the_same_catalog() -> None:
    assert set(PHRASEBOOK) == set(WORDS) == set(LANGUAGES)
    for language in LANGUAGES:
        blocks = {c.split(":", 1)[1] for c in messages(language) if c.startswith("content:")}
        assert set(PHRASEBOOK[language]) == blocks
    assert (
        PHRASEBOOK["en"]["release.open"][0]
        == message("content:release.open", language="en").forms[0].split("\n")[0]
    )
    # French's narrow no-break space before "!" is added on load, not kept in the catalog
    assert "\u202f!" in PHRASEBOOK["fr"]["release.open"][0]
    assert " !" in message("content:release.open", language="fr").forms[0]
    # a form only French and German need is absent from English, present in both others
    assert "energy_fem.low" not in WORDS["en"] and {"energy_fem.low"} <= set(WORDS["fr"]) & set(WORDS["de"])


def test_marks_wrap_the_catalog_s_words_and_leave_filled_values_outside(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert mark("Streams") == f"{OPEN}Streams{CLOSE}"
    assert mark("{count} tracks in {{braces}}").format(count=3) == f"3{OPEN} tracks in {{braces}}{CLOSE}"
    monkeypatch.setenv(locale.MARKS_ENV, "1")
    assert text("tracks", language="fr", count=2) == f"2{OPEN} titres{CLOSE}"
    assert TEXTS["de"]["heading.streams"] == f"{OPEN}Streams und Hörer{CLOSE}"
    monkeypatch.delenv(locale.MARKS_ENV)
    assert text("tracks", language="fr", count=2) == "2 titres"


def test_the_built_wheel_carries_the_catalogs(tmp_path: Path) -> None:
    beside = Path(sys.executable).with_name("uv")  # `make setup` installs uv into the virtualenv
    uv = str(beside) if beside.exists() else shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not installed: the wheel is built with `uv build`")
    built = subprocess.run(
        [uv, "build", "--wheel", "--out-dir", str(tmp_path), str(PROJECT_ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in LANGUAGES:
        assert f"analytics/locale/{language}/LC_MESSAGES/encore.po" in names


INFORMAL_GERMAN = re.compile(r"\b(du|dich|dir|dein|deine|deinen|deinem|deiner|deines)\b", re.IGNORECASE)


def test_the_german_reports_address_the_artist_one_way() -> None:
    """The reports say "Sie" to the artist throughout (posts for fans, the content, may say "du")."""
    from analytics.locale import messages

    informal = {
        key: form
        for key, message in messages("de").items()
        if not key.startswith("content")
        for form in message.forms
        if INFORMAL_GERMAN.search(form)
    }
    assert informal == {}
    assert INFORMAL_GERMAN.search("Woher deine Streams kommen")  # the pattern sees what it looks for
