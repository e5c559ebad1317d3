"""The artist report's sections about where streams come from, the first week after a release,
and a page per song (an anchored part of the artist report each, so a song's numbers come from
the same facts as the rest of the page and no notebook is run for it).

Like :mod:`analytics.reports.sections`, each takes an :class:`ArtistData`, displays its part
of the page and, when its data is missing, says what and why.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from analytics.reports import figures
from analytics.reports.artist_data import ArtistData
from analytics.reports.display import contents, fact_note, facts, format_count, heading, note, show, table
from analytics.reports.figures_audio import PITCH_CLASSES
from analytics.reports.figures_sources import play_start_bars
from analytics.reports.report_facts import Fact, ReportFacts
from analytics.reports.sections import _facts, _heading, _missing
from analytics.reports.songs import (
    own_playlists,
    playlist_makers,
    release_dates,
    song_daily,
)
from analytics.reports.style import plot_text
from analytics.reports.texts import long_date, text
from analytics.reports.words import (
    counted,
    minutes_seconds,
    percent,
    pitch_names,
    plain_number,
    signed_percent,
)
from analytics.streaming.play_starts import shuffle_share, way_shares

SONG_CHART_HEIGHT = 280
"""A song's chart is shorter than the artist's: a page holds one per song."""


def _count_of(fact: Fact) -> int:
    return int(fact.value) if fact.value != "" else 0


def sources(data: ArtistData, *, language: str = "en") -> None:
    """Where the artist's streams come from: how the plays encore received started (chosen by
    the listener, after another song, skipped to) and the playlists featuring the artist, by
    who made them."""
    _heading("sources", language=language)
    facts_ = _facts(data)
    if not _missing(data, "sources", language=language):
        seen = facts_.fact("plays_seen")
        fact_note(counted("sources.plays", _count_of(seen), language=language), streams=seen)
        show(
            play_start_bars(
                way_shares(facts_.sources),
                title=text("figure.play_starts", language=language),
                language=language,
            )
        )
        note(
            text(
                "sources.shuffle",
                language=language,
                share=percent(shuffle_share(facts_.sources), language=language),
            )
        )
    if facts_.featured.empty or facts_.featured_day is None:
        return
    streams = facts_.fact("playlist_streams")
    fact_note(
        counted("sources.playlists", _count_of(streams), language=language),
        playlist_streams=streams,
        day=long_date(facts_.featured_day, language=language),
    )
    makers = playlist_makers(facts_.featured)
    table(
        pd.DataFrame(
            {
                text("column.made_by_whom", language=language): [
                    text(f"sources.{m}", language=language) for m in makers["maker"]
                ],
                text("column.playlists", language=language): [
                    format_count(float(v), language=language) for v in makers["playlists"]
                ],
                text("column.streams", language=language): [
                    format_count(float(v), language=language) for v in makers["streams"]
                ],
            }
        ),
        max_rows=len(makers),
    )


def release_week(data: ArtistData, *, language: str = "en") -> None:
    """The first seven days after each release dated within the data, day by day, against the
    artist's usual day before it; a plain sentence when no release falls within the data."""
    _heading("release_days", language=language)
    if _missing(data, "streaming", language=language):
        return
    weeks = _facts(data).release_weeks
    if not weeks:
        note(_no_release(data, language=language), kind="info")
        return
    for name, day, rows in weeks:
        _release(name=name, day=day, rows=rows, language=language)


def _no_release(data: ArtistData, *, language: str) -> str:
    """Why there is no release week: no release dated to the day, or none within the data."""
    dated = release_dates(data.albums)
    if dated.empty:
        return text("release.none_known", language=language)
    days = pd.to_datetime(data.artist_daily["day"]).dt.date
    return text(
        "release.none",
        language=language,
        first=long_date(days.min(), language=language),
        last=long_date(days.max(), language=language),
        latest=long_date(dated["release_date"].iloc[0], language=language),
    )


def _release(*, name: str, day: date, rows: pd.DataFrame, language: str) -> None:
    heading(name, level=3)
    usual = rows["usual"].dropna()
    shown_day = long_date(day, language=language)
    if usual.empty:
        note(text("release.no_usual", language=language, name=name, day=shown_day))
    else:
        usual_count = format_count(float(usual.iloc[0]), language=language)
        note(text("release.intro", language=language, name=name, day=shown_day, usual=usual_count))

    def column(key: str) -> str:
        return text(f"release.column.{key}", language=language)

    table(
        pd.DataFrame(
            {
                # "day 1 · 20 Nov 2026" in one column, the usual day stated above it once: the
                # table fits a phone
                column("number"): [
                    text(
                        "release.day_number", language=language, number=n, day=long_date(d, language=language)
                    )
                    for n, d in zip(rows["number"], rows["day"], strict=True)
                ],
                column("streams"): [format_count(float(s), language=language) for s in rows["streams"]],
                column("change"): [signed_percent(c, language=language) for c in rows["change"]],
            }
        ),
        max_rows=len(rows),
    )


def songs(data: ArtistData, *, language: str = "en") -> None:
    """A page per song streamed in the period, most streamed first, each an anchored part of the
    report: its streams and listeners, where its streams come from, the playlists it is on, its
    sound and its unusual days (marked on its chart as on the artist's)."""
    _heading("songs", language=language)
    if _missing(data, "streaming", language=language):
        return
    facts_ = _facts(data)
    if facts_.songs.empty:
        note(text("tracks.none_streamed", language=language), kind="missing")
        return
    fact_note(counted("songs.summary", len(facts_.songs), language=language), songs=facts_.fact("songs"))
    contents([(str(s), str(a)) for s, a in zip(facts_.songs["song"], facts_.songs["anchor"], strict=True)])
    marks = _anomaly_marks(facts_, language=language)
    for song in facts_.songs.to_dict("records"):
        _song_page(data, facts_, song, marks=marks, language=language)


def _anomaly_marks(facts_: ReportFacts, *, language: str) -> pd.DataFrame:
    """The period's unusual days as the streams chart marks them, in the report's words."""
    listed = facts_.anomaly_rows()
    return facts_.anomalies.assign(
        kind=list(listed["kind"]),
        metric=list(listed["metric"]),
        what=list(listed["what"]),
        observed=list(listed["observed"]),
        expected=list(listed["expected"]),
        shown_day=[long_date(d, language=language) for d in listed["day"]],
        detector=list(listed["detector"]),
    )


def _song_page(
    data: ArtistData, facts_: ReportFacts, song: dict[str, Any], *, marks: pd.DataFrame, language: str
) -> None:
    anchor, ids = str(song["anchor"]), set(song["track_ids"])
    heading(str(song["song"]), level=3, anchor=anchor)
    streams, listeners = facts_.song_fact(anchor, "streams"), facts_.song_fact(anchor, "listeners")
    key = "songs.numbers" if listeners.value != "" else "songs.numbers_only"
    fact_note(counted(key, _count_of(streams), language=language), streams=streams, listeners=listeners)
    own_marks = marks[marks["entity_id"].isin(ids)]
    daily = song_daily(data.track_daily, track_ids=ids, start=data.start, end=data.end)
    chart = figures.streams_over_time(
        daily, anomalies=own_marks, title=plot_text(song["song"], max_chars=40), language=language
    )
    show(chart.update_layout(height=SONG_CHART_HEIGHT))
    _song_sources(data, facts_, ids, language=language)
    _song_playlists(data, facts_, song, language=language)
    _song_sound(data, ids, language=language)
    _song_unusual(own_marks, language=language)


def _song_sources(data: ArtistData, facts_: ReportFacts, ids: set[str], *, language: str) -> None:
    heading(text("songs.part.sources", language=language), level=4)
    shares = way_shares(facts_.sources, track_ids=ids) if data.has("sources") else pd.DataFrame()
    if shares.empty or shares["streams"].sum() == 0:
        note(text("songs.sources_none", language=language), kind="missing")
        return
    ways = ", ".join(
        f"{text(f'way.{w}', language=language)} {percent(s, language=language)}"
        for w, s in zip(shares["way"], shares["share"], strict=True)
        if s > 0
    )
    shuffle = percent(shuffle_share(facts_.sources, track_ids=ids), language=language)
    note(text("songs.sources", language=language, ways=ways, shuffle=shuffle))


def _song_playlists(data: ArtistData, facts_: ReportFacts, song: dict[str, Any], *, language: str) -> None:
    heading(text("songs.part.playlists", language=language), level=4)
    if facts_.featured_day is not None:
        day = long_date(facts_.featured_day, language=language)
        on = facts_.featured[facts_.featured["recording"] == song["recording"]]
        if on.empty:
            note(text("songs.featured_none", language=language, day=day))
        else:
            note(text("songs.featured", language=language, count=int(on["playlist_key"].nunique()), day=day))
            table(
                pd.DataFrame(
                    {
                        text("column.playlist", language=language): list(on["playlist"]),
                        text("column.made_by", language=language): [a or "—" for a in on["author"]],
                        text("column.listeners", language=language): [
                            _count(v, language=language) for v in on["listeners"]
                        ],
                        text("column.streams", language=language): [
                            _count(v, language=language) for v in on["streams"]
                        ],
                        text("column.date_added", language=language): [
                            long_date(d, language=language) if isinstance(d, date) else "—"
                            for d in on["date_added"]
                        ],
                    }
                ),
                max_rows=len(on),
            )
    names = own_playlists(data.own_playlists, data.own_items, track_ids=set(song["track_ids"]))
    if names:
        note(text("songs.own", language=language, names=", ".join(names)))
    else:
        note(text("songs.own_none", language=language))


def _count(value: object, *, language: str) -> str:
    return "—" if value is None or pd.isna(value) else format_count(float(value), language=language)  # type: ignore[arg-type]


def _song_sound(data: ArtistData, ids: set[str], *, language: str) -> None:
    heading(text("songs.part.sound", language=language), level=4)
    audio = data.audio[data.audio["track_id"].isin(ids)] if "track_id" in data.audio else pd.DataFrame()
    if audio.empty:
        note(text("songs.audio_none", language=language), kind="missing")
        return
    row = audio.iloc[0]
    pairs: list[tuple[str, object]] = []
    if pd.notna(row.get("tempo_bpm")):
        bpm = plain_number(row["tempo_bpm"], language=language)
        pairs.append(
            (text("songs.tempo", language=language), text("songs.tempo_value", language=language, bpm=bpm))
        )
    if isinstance(row.get("key"), str) and row.get("mode") in {"major", "minor"}:
        pitch = dict(zip(PITCH_CLASSES, pitch_names(language=language), strict=True)).get(
            row["key"], row["key"]
        )
        mode = text(f"chart.{row['mode']}", language=language)
        pairs.append((text("songs.key", language=language), f"{pitch} {mode}"))
    if pd.notna(row.get("loudness_lufs")):
        lufs = plain_number(row["loudness_lufs"], language=language)
        pairs.append(
            (
                text("songs.loudness", language=language),
                text("songs.loudness_value", language=language, lufs=lufs),
            )
        )
    if pd.notna(row.get("energy")):
        pairs.append((text("songs.energy", language=language), percent(row["energy"], language=language)))
    lengths = (
        data.tracks[data.tracks["track_id"].isin(ids)]["duration_ms"] if "duration_ms" in data.tracks else []
    )
    if len(lengths):
        pairs.append((text("songs.length", language=language), minutes_seconds(max(lengths))))
    facts(pairs)


def _song_unusual(own_marks: pd.DataFrame, *, language: str) -> None:
    heading(text("songs.part.unusual", language=language), level=4)
    if own_marks.empty:
        note(text("songs.unusual_none", language=language))
        return
    note(text("songs.unusual", language=language, count=len(own_marks)))
    rows = pd.DataFrame(
        {
            text("column.day", language=language): list(own_marks["shown_day"]),
            text("column.kind", language=language): list(own_marks["kind"]),
            text("column.metric", language=language): list(own_marks["metric"]),
            text("column.observed", language=language): list(own_marks["observed"]),
            text("column.expected", language=language): list(own_marks["expected"]),
        }
    )
    table(rows, max_rows=len(rows), rows=[{"row": "anomaly", "key": k} for k in own_marks["key"]])
