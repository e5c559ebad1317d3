"""A page per song, where streams come from and the first week after a release: from small
frames to the page, checked by the page checker, in EN, FR and DE."""

from __future__ import annotations

import ast
from datetime import timedelta

import pandas as pd
import pytest

from analytics.reports import sections, sections_songs
from analytics.reports.consistency import check_page, read_page
from analytics.reports.figures_sources import play_start_bars
from analytics.reports.songs import (
    own_playlists,
    playlist_makers,
    release_dates,
    release_days,
    releases_in_data,
    song_anchor,
    song_daily,
    song_table,
    usual_day,
)
from analytics.streaming.play_starts import play_sources, way_shares
from tests.reports.songs_frames import (
    APEX,
    END,
    FIRST,
    NEBULA,
    RELEASE,
    START,
    albums_frame,
    artist_daily_frame,
    artist_data,
    plays_frame,
    track_daily_frame,
    tracks_frame,
)


def _shown(capsys: pytest.CaptureFixture[str]) -> str:
    bundles = [
        ast.literal_eval(line) for line in capsys.readouterr().out.splitlines() if line.startswith("{")
    ]
    parts = []
    for bundle in bundles:
        if "application/vnd.plotly.v1+json" in bundle:  # as the page assembler writes a plot
            import json

            figure = bundle["application/vnd.plotly.v1+json"]
            data = json.dumps(figure.get("data", []), ensure_ascii=False)
            layout = json.dumps(figure.get("layout", {}), ensure_ascii=False)
            parts.append(f'<script>Plotly.newPlot("p",{data},{layout},{{}});</script>')
        else:
            parts.append(bundle.get("text/html", ""))
    return "<html><body>" + "".join(parts) + "</body></html>"


def test_a_song_is_a_recording_its_tracks_streams_add_up_and_listeners_are_the_larger() -> None:
    songs = song_table(track_daily_frame(), tracks_frame(), start=START, end=END)
    assert list(songs["song"]) == ["Nebula", "Apex Aleph"]  # most streamed first; Quiet was not streamed
    apex = songs.iloc[1]
    assert apex["track_ids"] == tuple(sorted(APEX)) and apex["streams"] == 15 * 28
    assert apex["listeners"] == 8  # the larger of 8 and 6 each day
    assert apex["anchor"] == song_anchor("ZZENC2600001") and apex["anchor"].startswith("song-")
    daily = song_daily(track_daily_frame(), track_ids=set(APEX), start=START, end=START)
    assert daily.to_dict("records") == [{"day": START, "streams": 15, "listeners": 8}]


def test_the_first_week_after_a_release_against_the_usual_day_before_it() -> None:
    daily = artist_daily_frame()
    assert list(releases_in_data(albums_frame(), daily)["name"]) == [
        "Endgame"
    ]  # the 2012 single is before the data
    assert usual_day(daily, before=RELEASE) == 100
    week = release_days(daily, release=RELEASE)
    assert list(week["number"]) == list(range(1, 8))
    assert list(week["streams"]) == [300] * 7 and list(week["change"]) == [2.0] * 7
    late = release_days(daily, release=END - timedelta(days=2))  # only three days of data after it
    assert list(late["number"]) == [1, 2, 3]
    early = release_days(daily, release=FIRST + timedelta(days=3))  # three days before it: no usual day
    assert early["usual"].isna().all() and early["change"].isna().all()
    assert releases_in_data(albums_frame("2013"), daily).empty  # a year alone is no release day


def test_playlists_by_who_made_them_and_the_artists_own() -> None:
    featured = pd.DataFrame(
        {"playlist_key": ["a", "a", "b", "c"], "author": ["Spotify", "Spotify", "spotify ", "marie.l"],
         "streams": [10, 5, 7, None]}
    )  # fmt: skip
    assert playlist_makers(featured).to_dict("records") == [
        {"maker": "editorial", "playlists": 2, "streams": 22},
        {"maker": "others", "playlists": 1, "streams": 0},
    ]
    assert playlist_makers(featured.iloc[0:0]).empty
    owned = artist_data().own_playlists
    assert own_playlists(owned, artist_data().own_items, track_ids={NEBULA}) == ["This Is Me"]
    assert own_playlists(owned, pd.DataFrame(), track_ids={NEBULA}) == []


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_each_song_has_its_page_with_its_numbers_marked_and_its_unusual_day_on_its_chart(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    data = artist_data(language=language)
    capsys.readouterr()
    sections.streams(data, language=language)  # counts the period's unusual days, as on the page
    sections_songs.songs(data, language=language)
    page = _shown(capsys)
    assert check_page(page) == []
    apex = song_anchor("ZZENC2600001")
    stated = {(k, v) for k, v, _ in read_page(page).facts}
    assert {("songs", "2"), (f"{apex}-streams", "420"), (f"{apex}-listeners", "8")} <= stated
    for anchor in (apex, song_anchor("ZZENC2600002")):
        assert f'id="{anchor}"' in page and f'href="#{anchor}"' in page
    key = data.facts.anomalies["key"].iloc[0]  # type: ignore[union-attr]
    # listed and marked in the streams section and on the song's page: one unusual day all the same
    assert page.count(f'data-key="{key}"') == 2 and page.count(f'"ids": ["{key}"]') == 2
    assert {"en": "This Is Me", "fr": "This Is Me", "de": "This Is Me"}[language] in page
    assert {"en": "B minor", "fr": "B mineur", "de": "H Moll"}[language] in page
    assert {"en": "4:48", "fr": "4:48", "de": "4:48"}[language] in page  # the longer of its two tracks
    altered = page.replace('data-value="420">420<', 'data-value="420">421<')
    assert altered != page and any(f"{apex}-streams" in p for p in check_page(altered))


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", ["How plays started", "chosen by the listener", "With shuffle on: 30%"]),
        ("fr", ["Comment les lectures ont commencé", "choisie par l'auditeur", "aléatoire : 30"]),
        ("de", ["Wie Wiedergaben begannen", "von Hörern ausgewählt", "Zufallswiedergabe: 30"]),
    ],
)
def test_where_streams_come_from_in_the_reports_language(
    capsys: pytest.CaptureFixture[str], language: str, words: list[str]
) -> None:
    sections_songs.sources(artist_data(language=language), language=language)
    page = _shown(capsys)
    assert check_page(page) == []
    assert ("plays-seen", "20") in {(k, v) for k, v, _ in read_page(page).facts}
    for word in words:
        assert word in page, (language, word)


def test_without_plays_the_artist_and_each_song_say_so(capsys: pytest.CaptureFixture[str]) -> None:
    data = artist_data(plays=False, language="fr")
    sections.streams(data, language="fr")
    sections_songs.sources(data, language="fr")
    sections_songs.songs(data, language="fr")
    page = _shown(capsys)
    assert "aucune ne lui est parvenue" in page and "Comment les lectures" not in page
    assert "aucune de ses lectures une à une" in page and "more streams than usual" not in page
    assert check_page(page) == []


@pytest.mark.parametrize("language", ["en", "fr", "de"])
def test_the_release_week_day_by_day_or_a_plain_sentence(
    capsys: pytest.CaptureFixture[str], language: str
) -> None:
    sections_songs.release_week(artist_data(language=language), language=language)
    page = _shown(capsys)
    assert check_page(page) == []
    assert {"en": "day 7", "fr": "jour 7", "de": "Tag 7"}[language] in page
    assert {"en": "+200%", "fr": "+200\u00a0%", "de": "+200\u00a0%"}[language] in page
    sections_songs.release_week(
        artist_data(albums=albums_frame("2012-11-30"), language=language), language=language
    )
    page = _shown(capsys)
    assert "<table" not in page
    assert {"en": "the latest is from 30 Nov 2012", "fr": "la dernière date du 30 nov. 2012",
            "de": "die letzte ist vom 30. Nov. 2012"}[language] in page  # fmt: skip


def test_the_play_start_bars_name_each_way_above_its_bar() -> None:
    fig = play_start_bars(way_shares(play_sources(plays_frame())), title="How plays started", language="fr")
    assert [a.text for a in fig.layout.annotations] == [
        "autre ou inconnu",
        "atteinte en passant une autre chanson",
        "enchaînée après une autre chanson",
        "choisie par l'auditeur",
    ]  # the first way on top
    assert list(fig.data[0].text) == ["0\u00a0%", "10\u00a0%", "60\u00a0%", "30\u00a0%"]


def test_only_releases_dated_to_the_day_have_a_first_week(capsys: pytest.CaptureFixture[str]) -> None:
    albums = pd.DataFrame(
        {"name": ["Sampler", "Endgame", "Apex"], "release_date": ["2013", "2012-12-15", "2012-11-30"]}
    )
    assert list(release_dates(albums)["name"]) == ["Endgame", "Apex"]  # newest first, a year alone left out
    sections_songs.release_week(artist_data(albums=albums.iloc[:1]), language="en")
    assert "No release date is known for your catalog" in _shown(capsys)


def test_top_tracks_say_when_the_data_starts_within_the_period(capsys: pytest.CaptureFixture[str]) -> None:
    """With the previous period in the data, changes are drawn; without it, no song is "new" and
    the section says there is nothing earlier, as the streams card does."""
    from dataclasses import replace

    data = artist_data()
    sections.top_tracks(data)
    page = _shown(capsys)
    assert "nothing earlier to compare" not in page
    late = data.track_daily[data.track_daily["day"] >= START]
    sections.top_tracks(replace(data, track_daily=late))
    page = _shown(capsys)
    assert "nothing earlier to compare these songs with" in page and '"new"' not in page
