"""The artist report's sections: each takes an :class:`ArtistData`, displays its part of the
page through ``display`` and ``figures``, and, when its data is missing, says what and why.

Notebooks call these one per cell; the logic stays here, testable without a notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pandas as pd

from analytics.reports import figures
from analytics.reports.artist_data import ArtistData
from analytics.reports.display import (
    contents,
    drafts,
    fact_note,
    facts,
    format_change,
    format_count,
    heading,
    link,
    metric_cards,
    note,
    set_aside,
    show,
    table,
)
from analytics.reports.measures import cached_audio_map, country_totals, headlines, track_momentum
from analytics.reports.report_facts import Fact, ReportFacts, excerpt_seconds
from analytics.reports.texts import TEXTS, check_language, long_date, text
from analytics.reports.words import (
    catalog_template,
    counted,
    draft_kind,
    kind_name,
    language_name,
    measure,
    metric_name,
    platform_name,
    quota_mode_name,
    recordings_count,
    sound_words,
)

SECTION_ANCHORS = (
    ("highlights", "highlights"),
    ("streams", "streams"),
    ("top_tracks", "top-tracks"),
    ("sources", "sources"),
    ("release_days", "release-days"),
    ("countries", "countries"),
    ("social", "social"),
    ("sound", "sound"),
    ("playlists", "playlists"),
    ("featured", "featured-playlists"),
    ("alerts", "alerts"),
    ("posts", "posts"),
    ("songs", "songs"),
    ("data_quality", "data-quality"),
    ("methods", "methods"),
)
"""(text key, anchor) of each section, in page order."""
QUOTA_LIMITS = {mode: text(f"quota.{mode}") for mode in ("development", "extended")}
HEADLINE_LABELS = {"Streams": "card.streams", "Listeners a day": "card.listeners", "Saves": "card.saves"}
FRESHNESS_LABELS = {
    "streaming data up to": "methods.streaming_up_to",
    "social numbers up to": "methods.social_up_to",
    "report built": "methods.report_built",
}


def _heading(key: str, *, language: str) -> None:
    heading(text(f"heading.{key}", language=language), anchor=dict(SECTION_ANCHORS)[key])


def _missing(data: ArtistData, key: str, *, language: str = "en") -> bool:
    """Say why ``key`` has no data, in the report's language; True when it has none."""
    if key not in data.missing:
        return False
    reason = data.reasons.get(key)
    if reason is not None:
        sentence = text(reason[0], language=language, **reason[1])
    else:  # set directly by another page's loader: English only
        sentence = data.missing[key][:1].upper() + data.missing[key][1:]
    note(sentence, kind="missing")
    return True


def contents_of(*, language: str = "en") -> list[tuple[str, str]]:
    """The page's contents line: (label, anchor) of each section in ``language``."""
    return [(text(f"toc.{key}", language=language), anchor) for key, anchor in SECTION_ANCHORS]


def _facts(data: ArtistData) -> ReportFacts:
    if data.facts is None:  # built by hand rather than by load_artist_data
        from analytics.reports.artist_data import report_facts

        data.facts = report_facts(data)
    return data.facts


def catalog_sentence(facts: ReportFacts, *, language: str = "en") -> tuple[str, dict[str, Fact]]:
    """The catalog in one phrase, counted by recording, with releases and listed tracks where
    they differ: a template and the facts for its placeholders."""
    recordings = facts.fact("recordings")
    values = {
        "recordings": Fact(
            recordings.key, recordings.value, recordings_count(facts.catalog.recordings, language=language)
        ),
        "releases": facts.fact("releases"),
        "appearances": facts.fact("appearances"),
        "catalog_tracks": facts.fact("catalog_tracks"),
    }
    return catalog_template(facts.catalog, language=language), values


def overview(data: ArtistData, *, language: str = "en") -> None:
    """Contents, then the headline numbers with their change and a sparkline each, and what the
    run set aside (so the page says what it is missing)."""
    check_language(language)
    facts_ = _facts(data)
    contents(contents_of(language=language))
    _heading("highlights", language=language)
    catalog, values = catalog_sentence(facts_, language=language)
    fact_note(
        text("facts.period_summary", language=language).replace("{catalog}", catalog),
        kind="info",
        start=long_date(data.start, language=language),
        end=long_date(data.end, language=language),
        **values,
    )
    cards: list[dict[str, Any]] = []
    if data.has("streaming"):
        for h in headlines(data.artist_daily, start=data.start, end=data.end):
            change, trend = format_change(h.change, language=language)
            label = HEADLINE_LABELS.get(h.label)
            fact_key = {"Streams": "streams", "Listeners a day": "listeners"}.get(h.label)
            cards.append(
                {
                    "label": text(label, language=language) if label else h.label,
                    "value": format_count(h.value, language=language),
                    "fact": facts_.fact(fact_key) if fact_key else None,
                    "delta": change,
                    "trend": trend,
                    "spark": h.series,
                }
            )
    if facts_.social_day is not None:
        cards.append(
            {
                "label": text("card.social_followers", language=language),
                "value": format_count(facts_.social_followers, language=language),
                "fact": facts_.fact("social_followers"),
                "hint": text(
                    "card.social_hint" if facts_.social_day <= data.end else "card.social_hint_after",
                    language=language,
                    platforms=facts_.social_platforms,
                    day=long_date(facts_.social_day, language=language),
                ),
                "spark": list(data.social.groupby("day")["followers"].sum()),
            }
        )
    if data.spotify_followers is not None:
        cards.append(
            {
                "label": text("card.spotify_followers", language=language),
                "value": format_count(float(data.spotify_followers), language=language),
            }
        )
    else:
        why = "development" if data.quota_mode == "development" else "unreported"
        cards.append(
            {
                "label": text("card.spotify_followers", language=language),
                "value": "—",
                "hint": text(f"card.followers_{why}", language=language),
            }
        )
    cards.append(
        {
            "label": text("card.releases", language=language),
            "value": facts_.catalog.releases,
            "fact": facts_.fact("releases"),
            "hint": recordings_count(facts_.catalog.recordings, language=language),
        }
    )
    metric_cards(cards)
    set_aside(data.set_aside, language=language)
    _missing(data, "streaming", language=language)
    _missing(data, "streaming_late", language=language)


def streams(data: ArtistData, *, language: str = "en") -> None:
    """Streams and listeners by day, with the period's unusual days and releases marked.

    Every unusual day of the table is counted in the sentence above it and marked on the chart
    (a song's unusual day on that day's bar, the song named on hover).
    """
    _heading("streams", language=language)
    if _missing(data, "streaming", language=language):
        return
    facts_ = _facts(data)
    daily = data.artist_daily[pd.to_datetime(data.artist_daily["day"]).dt.date >= data.start]
    listed = facts_.anomaly_rows()
    marks = facts_.anomalies.assign(
        kind=list(listed["kind"]),
        metric=list(listed["metric"]),
        what=[w or text("all_songs", language=language) for w in listed["what"]],
        observed=list(listed["observed"]),
        expected=list(listed["expected"]),
    )
    show(
        figures.streams_over_time(
            daily,
            anomalies=marks,
            releases=data.releases_between(data.start, data.end),
            title=text("figure.streams_a_day", language=language),
            language=language,
        )
    )
    if facts_.anomalies.empty:
        note(text("anomalies.none", language=language), kind="info")
        return
    fact_note(
        counted("facts.anomalies", len(facts_.anomalies), language=language),
        anomalies=facts_.fact("anomalies"),
    )
    shown = listed.assign(
        day=[long_date(d, language=language) for d in listed["day"]],
        what=[w or text("all_songs", language=language) for w in listed["what"]],
    )
    table(
        shown.rename(columns={c: text(f"column.{c}", language=language) for c in shown.columns}),
        max_rows=len(shown),
        caption=text("anomalies.caption", language=language),
        rows=[{"row": "anomaly", "key": k} for k in facts_.anomalies["key"]],
    )


def top_tracks(data: ArtistData, *, language: str = "en") -> None:
    """The period's top tracks by streams, with their change against the previous period."""
    _heading("top_tracks", language=language)
    if _missing(data, "streaming", language=language):
        return
    if data.track_daily.empty:
        note(text("tracks.no_track_numbers", language=language), kind="missing")
        return
    momentum = track_momentum(data.track_daily, data.tracks, start=data.start, end=data.end)
    if momentum.empty:
        note(text("tracks.none_streamed", language=language), kind="missing")
        return
    show(
        figures.top_tracks_momentum(
            momentum, title=text("figure.streams_and_change", language=language), language=language
        )
    )
    if momentum["growth"].isna().all() and not momentum["new"].any():
        note(text("tracks.no_earlier", language=language), kind="info")


def countries(data: ArtistData, *, language: str = "en") -> None:
    """Streams by country in the period."""
    _heading("countries", language=language)
    if _missing(data, "countries", language=language):
        return
    show(
        figures.country_bars(
            country_totals(data.countries, start=data.start, end=data.end),
            title=text("figure.streams_by_country", language=language),
            language=language,
        )
    )


MIN_CHART_DAYS = 3
"""A line over fewer days says nothing a number cannot: the page shows the number instead."""


def social(data: ArtistData, *, language: str = "en") -> None:
    """Followers on each linked platform over the period; the number alone while history is short."""
    _heading("social", language=language)
    if _missing(data, "social", language=language):
        return
    facts_ = _facts(data)
    window = data.social[data.social["day"] >= data.start]
    known_days = sorted(set(window.loc[window["followers"].notna(), "day"]))
    if len(known_days) < MIN_CHART_DAYS and facts_.social_day is not None:
        day = long_date(facts_.social_day, language=language)
        fact_note(
            text("social.one_day", language=language),
            followers=facts_.fact("social_followers"),
            platforms=str(facts_.social_platforms),
            day=day,
        )
    else:
        show(figures.social_audience(window, start=data.start, end=data.end, language=language))
    if facts_.social_day is not None and facts_.social_day > data.end:
        note(
            text(
                "social.after_period", language=language, day=long_date(facts_.social_day, language=language)
            ),
            kind="info",
        )


def sound(data: ArtistData, *, language: str = "en") -> None:
    """The catalog's audio profile: tempo, keys, loudness against -14 LUFS, similarity map."""
    _heading("sound", language=language)
    if _missing(data, "audio", language=language):
        return
    audio = data.audio
    fact_note(
        text("sound.measured", language=language),
        measured=str(len(audio)),
        tracks=_facts(data).fact("recordings"),
    )
    seconds = excerpt_seconds(audio, data.tracks)
    if seconds is not None:
        note(text("sound.excerpts", language=language, seconds=format_count(seconds, language=language)))
    if "tempo_bpm" in audio and audio["tempo_bpm"].notna().any():
        show(figures.tempo_histogram(audio, language=language))
    if {"key", "mode"} <= set(audio.columns):
        show(figures.key_bars(audio, language=language))
    if "loudness_lufs" in audio:
        show(figures.loudness_against_norm(audio, language=language))
    points = sound_words(cached_audio_map(audio, cache_dir=data.cache_dir), language=language)
    if points.empty:
        note(text("sound.map_needs_three", language=language), kind="missing")
    else:
        show(figures.sounds_like_map(points, language=language))
        table(
            points[["name", "nearest", "why", "group"]].rename(
                columns={
                    "name": text("column.what", language=language),
                    "nearest": text("column.sounds_like", language=language),
                    "why": text("column.because", language=language),
                    "group": text("column.group", language=language),
                }
            ),
            max_rows=20,
        )


def playlists(data: ArtistData, *, language: str = "en") -> None:
    """Tracks added to, moved in or removed from the artist's playlists in the period."""
    _heading("playlists", language=language)
    if _missing(data, "playlists", language=language):
        return
    table(data.playlist_changes, max_rows=30)


def featured(data: ArtistData, *, language: str = "en") -> None:
    """The playlists featuring the artist, as Spotify for Artists' playlists table counts them in
    the export that tells the period: one row per playlist and recording, biggest playlists first."""
    _heading("featured", language=language)
    if _missing(data, "featured", language=language):
        return
    facts_ = _facts(data)
    shown = facts_.featured
    recordings = facts_.fact("featured_recordings")
    count = int(recordings.value) if recordings.value != "" else 0
    fact_note(
        counted("featured.summary", int(shown["playlist_key"].nunique()), language=language),
        playlists=facts_.fact("featured_playlists"),
        recordings=Fact(recordings.key, recordings.value, recordings_count(count, language=language)),
    )
    if facts_.featured_day is not None:
        day = long_date(facts_.featured_day, language=language)
        note(text("featured.as_of", language=language, day=day), kind="info")
        if (facts_.featured_day - data.end).days > 1:
            note(text("featured.after_period", language=language, day=day), kind="warning")
    rows = pd.DataFrame(
        {
            "playlist": list(shown["playlist"]),
            "made_by": [a or "—" for a in shown["author"]],
            "recording": list(shown["song"]),
            "listeners": [_count(v, language=language) for v in shown["listeners"]],
            "streams": [_count(v, language=language) for v in shown["streams"]],
            "date_added": [
                long_date(d, language=language) if isinstance(d, date) else "—" for d in shown["date_added"]
            ],
        }
    )
    table(
        rows.rename(columns={c: text(f"column.{c}", language=language) for c in rows.columns}),
        max_rows=len(rows),
        caption=text("featured.caption", language=language),
        rows=[{"row": "featured", "key": k} for k in shown["playlist_key"]],
    )


def _count(value: object, *, language: str) -> str:
    return "—" if value is None or pd.isna(value) else format_count(float(value), language=language)  # type: ignore[arg-type]


def alerts(data: ArtistData, *, language: str = "en") -> None:
    """Alerts about the period (whenever monitoring fired them), one per subject, newest first."""
    _heading("alerts", language=language)
    if _missing(data, "alerts", language=language):
        return
    facts_ = _facts(data)
    fact_note(counted("facts.alerts", len(facts_.alerts), language=language), alerts=facts_.fact("alerts"))
    rows = [alert_row(a, facts_, language=language) for a in facts_.alerts.to_dict("records")]
    table(
        pd.DataFrame(rows, columns=["day", "about", "severity", "status"]).rename(
            columns={
                c: text(f"column.{c}", language=language) for c in ("day", "about", "severity", "status")
            }
        ),
        max_rows=len(rows),
        rows=[
            {"row": "alert", "key": a["key"], **({"anomaly": a["key"]} if a["kind"] == "anomaly" else {})}
            for a in facts_.alerts.to_dict("records")
        ],
    )


def alert_row(alert: dict[str, Any], facts_: ReportFacts, *, language: str) -> dict[str, str]:
    """One alert in the artist's words: its day, what it is about, severity and status."""
    info = alert.get("facts") or {}

    def word(prefix: str, value: object) -> str:
        key = f"{prefix}.{value}"
        return text(key, language=language) if key in TEXTS[language] else str(value).replace("_", " ")

    if alert["kind"] == "anomaly":
        metric = str(info.get("metric", ""))
        about = text(
            "alert.anomaly",
            language=language,
            day=long_date(alert["day"], language=language),
            what=facts_.track_names.get(str(info.get("entity_id")), text("all_songs", language=language)),
            kind=kind_name(info.get("kind"), language=language),
            metric=metric_name(metric, language=language),
            observed=measure(metric, info.get("observed"), language=language),
            expected=measure(metric, info.get("expected"), language=language),
        )
    else:
        about = text(
            "alert.subject", language=language, subject=str(alert.get("subject", "")).replace("_", " ")
        )
    return {
        "day": long_date(alert["day"], language=language),
        "about": about,
        "severity": word("severity", alert.get("severity")),
        "status": word("status", alert.get("status")),
    }


def posts(data: ArtistData, *, language: str = "en", limit: int = 8) -> None:
    """Grounded drafts ready to copy, the report's language first, with the period they state."""
    _heading("posts", language=language)
    if _missing(data, "drafts", language=language):
        return
    if data.drafts_window is not None:
        first, last = data.drafts_window
        inside = data.start <= first and last <= data.end
        note(
            text(
                "posts.window" if inside else "posts.window_outside",
                language=language,
                start=long_date(first, language=language),
                end=long_date(last, language=language),
            ),
            kind="info" if inside else "warning",
        )
    rows = data.drafts.head(limit).to_dict("records")
    drafts(
        [
            {
                **row,
                "kind": draft_kind(row.get("kind"), language=language),
                "platform": platform_name(row.get("platform"), language=language),
                "language": language_name(row.get("language"), language=language),
            }
            for row in rows
        ]
    )
    if len(data.drafts) > limit:
        note(text("posts.more", language=language, count=len(data.drafts) - limit), kind="info")


def data_quality(data: ArtistData, *, data_docs_href: str = "", language: str = "en") -> None:
    """Validation results of the run's datasets, with a link to the full Data Docs."""
    _heading("data_quality", language=language)
    if _missing(data, "validation", language=language):
        return
    failed = data.validation[~data.validation["passed"]]
    if failed.empty:
        note(text("quality.all_passed", language=language, count=len(data.validation)))
    else:
        note(
            text(
                "quality.failed", language=language, count=len(failed), datasets=", ".join(failed["dataset"])
            ),
            kind="warning",
        )
    yes_no = {True: text("word.yes", language=language), False: text("word.no", language=language)}
    shown = data.validation.assign(
        dataset=[_dataset_name(d, language=language) for d in data.validation["dataset"]],
        passed=data.validation["passed"].map(yes_no),
    )
    table(
        shown.rename(columns={c: text(f"column.{c}", language=language) for c in shown.columns}),
        max_rows=30,
    )
    if data_docs_href:
        link(
            text("quality.docs_link", language=language),
            data_docs_href,
            before=text("quality.docs_before", language=language),
            after=text("quality.docs_after", language=language),
        )


def _dataset_name(name: str, *, language: str) -> str:
    """A dataset as the data-quality table names it: its plain name where it has one."""
    key = f"dataset.{name}"
    return text(key, language=language) if key in TEXTS[language] else name.replace("_", " ")


def methods(data: ArtistData, *, run_id: str, code_version: str, language: str = "en") -> None:
    """Quota mode and what it hides, data freshness, code version and run id."""
    _heading("methods", language=language)
    quota = data.quota_mode if data.quota_mode in QUOTA_LIMITS else "unknown_mode"
    note(text(f"quota.{quota}", language=language, mode=data.quota_mode), kind="info")
    hidden = [v for k, v in data.missing.items() if k not in {"streaming_late"}]

    def label(key: str) -> str:
        return text(f"methods.{key}", language=language)

    freshness = [
        (text(FRESHNESS_LABELS[k], language=language) if k in FRESHNESS_LABELS else k, v)
        for k, v in data.freshness.items()
    ]
    pairs: list[tuple[str, object]] = [
        (
            label("period"),
            text(
                "methods.period_value",
                language=language,
                start=long_date(data.start, language=language),
                end=long_date(data.end, language=language),
            ),
        ),
        (label("quota_mode"), quota_mode_name(data.quota_mode, language=language)),
        *freshness,
        (label("streaming_source"), data.source or label("none")),
        (label("listeners"), label("listeners_value")),
        (label("anomalies"), label("anomalies_value")),
        (label("detectors"), label("detectors_value")),
        (label("sources"), label("sources_value")),
        (label("loudness_norm"), label("loudness_norm_value")),
        (label("play_starts"), label("play_starts_value")),
        (label("release_days"), label("release_days_value")),
        (label("run"), run_id),
        (label("code_version"), code_version),
    ]
    facts(pairs)
    if hidden:
        note(text("methods.sections_missing", language=language, count=len(hidden)), kind="info")


ALL: tuple[Callable[..., None], ...] = (
    overview,
    streams,
    top_tracks,
    countries,
    social,
    sound,
    playlists,
    featured,
    alerts,
    posts,
    data_quality,
    methods,
)
