"""The grounding validator catches invented numbers in every format, invented dates and names,
banned content, overlong and wrong-language drafts, and passes what the facts support."""

from __future__ import annotations

import pytest

from analytics.content import FactSheet, validate_text
from analytics.content.facts import StreamingFact


def _check(
    text: str, sheet: FactSheet, *, language: str = "en", platform: str = "instagram", limit: int = 2200
):
    return validate_text(text, sheet, language=language, platform=platform, limit=limit)


def _streams(sheet: FactSheet) -> StreamingFact:
    return next(f for f in sheet.of(StreamingFact) if f.metric == "streams")


def test_a_grounded_text_in_every_number_format_passes(weekly_sheet: FactSheet) -> None:
    f = _streams(weekly_sheet)
    assert f.change_pct is not None
    pct = abs(f.change_pct)
    name = weekly_sheet.artist.name
    en = f"This week {name} drew {f.value:,} streams, {pct:.1f}% fewer than the week before."
    fr = (
        f"Cette semaine, {name} a cumulé {f.value:,} écoutes.".replace(",", "\u202f")
        + f" Soit {pct:.1f} %".replace(".", ",")
        + " de moins."
    )
    de = f"{name} kam diese Woche auf {f.value:,} Streams.".replace(",", ".")
    for text, lang in ((en, "en"), (fr, "fr"), (de, "de")):
        result = _check(text, weekly_sheet, language=lang)
        assert result.ok, f"{lang}: {result.reason}"
        assert result.numbers >= 1


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Maxstack passed 1.2M streams this week.", "en"),
        ("Maxstack a dépassé 1 200 000 écoutes cette semaine.", "fr"),
        ("Maxstack hat diese Woche 1,2 Mio. Streams erreicht.", "de"),
        ("Les écoutes progressent de 12 % cette semaine pour Maxstack.", "fr"),
        ("Streams climbed 12% this week for Maxstack.", "en"),
        ("Maxstack drew 48,213 streams this week.", "en"),
        ("Maxstack kam diese Woche auf 48.213 Streams.", "de"),
        ("Maxstack a cumulé 48\u202f213 écoutes cette semaine.", "fr"),
        ("Maxstack drew 31.7K streams this week.", "en"),
    ],
)
def test_an_invented_number_in_any_format_is_caught(
    weekly_sheet: FactSheet, text: str, language: str
) -> None:
    result = _check(text, weekly_sheet, language=language)
    assert not result.ok
    assert [i.code for i in result.issues] == ["invented_number"], result.reason


@pytest.mark.parametrize(
    "text",
    [
        "Maxstack just released “Quantum Garden”, out now.",
        "Maxstack and Daft Punk are on the playlist now.",
        "Listen to Maxstack on Deezer now.",
    ],
)
def test_an_invented_name_is_caught(weekly_sheet: FactSheet, text: str) -> None:
    result = _check(text, weekly_sheet)
    assert "invented_name" in {i.code for i in result.issues}, result.reason


def test_a_true_title_passes_and_a_truncated_one_too(weekly_sheet: FactSheet) -> None:
    assert _check(
        "Maxstack released “Endgame: Singularity Original Soundtrack” on December 15, 2012.", weekly_sheet
    ).ok
    assert _check("Maxstack released “Endgame: Singularity…” on December 15, 2012.", weekly_sheet).ok
    assert not _check("Maxstack released “Endgame: Reloaded…” on December 15, 2012.", weekly_sheet).ok


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Maxstack released an album on December 16, 2012.", "en"),
        ("Maxstack a sorti un album le 16 décembre 2012.", "fr"),
        ("Maxstack hat am 16.12.2012 ein Album veröffentlicht.", "de"),
        ("Maxstack released an album on 2012-12-16.", "en"),
    ],
)
def test_an_invented_date_in_any_format_is_caught(weekly_sheet: FactSheet, text: str, language: str) -> None:
    result = _check(text, weekly_sheet, language=language)
    assert [i.code for i in result.issues] == ["invented_date"], result.reason
    true = text.replace("16", "15")
    assert _check(true, weekly_sheet, language=language).ok, _check(
        true, weekly_sheet, language=language
    ).reason


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Maxstack is <b>out</b> now.", "markup"),
        ("Maxstack is out now at https://example.com/listen", "link"),
        ("Maxstack has the viral hit of the year.", "unsupported claim"),
        ("Maxstack is out now {title}.", "placeholder"),
        ("Maxstack is out now \u202e.", "control character"),
    ],
)
def test_banned_content_is_caught(weekly_sheet: FactSheet, text: str, label: str) -> None:
    result = _check(text, weekly_sheet)
    assert any(i.code == "banned" and i.detail.startswith(label) for i in result.issues), result.reason


def test_invented_hashtags_and_mentions_are_caught(weekly_sheet: FactSheet) -> None:
    ok = _check("New music from Maxstack this week. #Maxstack #NewMusic #Electronic", weekly_sheet)
    assert ok.ok, ok.reason
    bad = _check("New music from Maxstack this week. #GrammyWinner @maxstack_official", weekly_sheet)
    assert {i.code for i in bad.issues} == {"invented_hashtag", "invented_name"}


def test_length_uses_the_platform_count(weekly_sheet: FactSheet) -> None:
    text = "Maxstack is out now. " + "🎧" * 130  # 151 code points, but X counts each emoji twice
    assert _check(text, weekly_sheet, platform="instagram", limit=280).ok
    result = _check(text, weekly_sheet, platform="x", limit=280)
    assert [i.code for i in result.issues] == ["too_long"] and result.length == 21 + 260


def test_the_wrong_language_is_caught(weekly_sheet: FactSheet) -> None:
    result = _check("Maxstack is out now and the music is here for you.", weekly_sheet, language="de")
    assert [i.code for i in result.issues] == ["wrong_language"] and result.language_detected == "en"


def _ordinary_sheet(artist_name: str, album_name: str) -> FactSheet:
    from datetime import date, timedelta

    from analytics.content import build_fact_sheet

    start, end = date(2026, 11, 16), date(2026, 11, 22)
    return build_fact_sheet(
        {"artist_id": "a1", "name": artist_name, "genres": ["rock"], "followers": 1200},
        period_start=start,
        period_end=end,
        albums=[
            {
                "album_id": "al1",
                "name": album_name,
                "album_type": "album",
                "release_date": "2026-11-18",
                "release_date_precision": "day",
                "total_tracks": 3,
            }
        ],
        tracks=[
            {"track_id": f"t{i}", "name": n, "popularity": 40}
            for i, n in enumerate(["Awakening", "#1 Crush"])
        ],
        streams=[
            {"day": start + timedelta(days=i), "track_id": f"t{i % 2}", "streams": 1000 + i} for i in range(7)
        ],
        social=[{"platform": "x", "day": end, "followers": 99}],
    )


@pytest.mark.parametrize(
    ("artist", "album"),
    [
        ("Maxstack", "Songs for www.maxstack.net"),  # a hashtag made from the title holds the artist's name
        ("Maxstack [Official] feat. The Extraordinarily Long Ensemble Name Here", "Endgame"),  # cut with …
    ],
)
def test_ordinary_names_give_grounded_drafts(artist: str, album: str) -> None:
    from analytics.content import generate_drafts, validate_draft

    sheet = _ordinary_sheet(artist, album)
    drafts = generate_drafts(sheet)
    rejected = [(d.kind, d.language, d.platform, validate_draft(d, sheet).issues) for d in drafts]
    assert drafts and [r for r in rejected if r[3]] == []


def test_what_the_writer_adds_is_still_checked_next_to_such_names() -> None:
    sheet = _ordinary_sheet(
        "Maxstack [Official] feat. The Extraordinarily Long Ensemble Name Here", "Endgame"
    )
    text = (
        "New: “Endgame” by Maxstack [Official] feat. The Extraordinarily Long… #Endgame #FreeMoney [Artist]"
    )
    codes = {i.code for i in validate_text(text, sheet, language="en", platform="x", limit=280).issues}
    assert codes == {"invented_hashtag", "banned"}
