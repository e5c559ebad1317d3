"""The artist report's sections: each takes an :class:`ArtistData`, displays its part of the
page through ``display`` and ``figures``, and, when its data is missing, says what and why.

Notebooks call these one per cell; the logic stays here, testable without a notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from analytics.reports import figures
from analytics.reports.artist_data import ArtistData, recordings
from analytics.reports.display import (
    contents,
    drafts,
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
from analytics.reports.texts import check_language, long_date, text, tracks_count

SECTION_ANCHORS = (
    ("highlights", "highlights"),
    ("streams", "streams"),
    ("top_tracks", "top-tracks"),
    ("countries", "countries"),
    ("social", "social"),
    ("sound", "sound"),
    ("playlists", "playlists"),
    ("alerts", "alerts"),
    ("posts", "posts"),
    ("data_quality", "data-quality"),
    ("methods", "methods"),
)
"""(text key, anchor) of each section, in page order."""
TOC = tuple((text(f"toc.{key}"), anchor) for key, anchor in SECTION_ANCHORS)
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


def overview(data: ArtistData, *, language: str = "en") -> None:
    """Contents, then the headline numbers with their change and a sparkline each, and what the
    run set aside (so the page says what it is missing)."""
    check_language(language)
    contents(contents_of(language=language))
    _heading("highlights", language=language)
    tracks = tracks_count(len(data.tracks), language=language)
    note(
        text(
            "period_summary",
            language=language,
            start=long_date(data.start, language=language),
            end=long_date(data.end, language=language),
            tracks=tracks,
        ),
        kind="info",
    )
    cards: list[dict[str, Any]] = []
    if data.has("streaming"):
        for h in headlines(data.artist_daily, start=data.start, end=data.end):
            change, trend = format_change(h.change, language=language)
            label = HEADLINE_LABELS.get(h.label)
            cards.append(
                {
                    "label": text(label, language=language) if label else h.label,
                    "value": format_count(h.value, language=language),
                    "delta": change,
                    "trend": trend,
                    "spark": h.series,
                }
            )
    if not data.social.empty and data.social["followers"].notna().any():
        last_day = max(data.social["day"])
        total = data.social[data.social["day"] == last_day]["followers"].sum()
        cards.append(
            {
                "label": text("card.social_followers", language=language),
                "value": format_count(float(total), language=language),
                "hint": text(
                    "card.social_hint",
                    language=language,
                    platforms=data.social["platform"].nunique(),
                    day=long_date(last_day, language=language),
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
        {"label": text("card.releases", language=language), "value": len(data.albums), "hint": tracks}
    )
    metric_cards(cards)
    set_aside(data.set_aside, language=language)
    _missing(data, "streaming", language=language)
    _missing(data, "streaming_late", language=language)


def streams(data: ArtistData, *, language: str = "en") -> None:
    """Streams and listeners by day, with the period's anomalies and releases marked."""
    _heading("streams", language=language)
    if _missing(data, "streaming", language=language):
        return
    daily = data.artist_daily[pd.to_datetime(data.artist_daily["day"]).dt.date >= data.start]
    artist_level = data.anomalies[data.anomalies["level"] == "artist"] if not data.anomalies.empty else None
    show(
        figures.streams_over_time(
            daily,
            anomalies=artist_level,
            releases=data.releases_between(data.start, data.end),
            title=text("figure.streams_a_day", language=language),
        )
    )
    if not data.anomalies.empty:
        names = data.tracks.set_index("track_id")["name"]
        unique = data.anomalies.drop_duplicates(["day", "entity_id", "kind", "metric"])
        shown = unique.assign(
            what=[names.get(e, "all tracks") for e in unique["entity_id"]],
            kind=unique["kind"].str.replace("_", " "),
            metric=unique["metric"].str.replace("_", " "),
            observed=[_figure(v) for v in unique["observed"]],
            expected=[_figure(v) for v in unique["expected"]],
        )
        table(
            shown[["day", "what", "kind", "metric", "observed", "expected", "detector"]],
            max_rows=15,
            caption=text("anomalies.caption", language=language),
        )
    else:
        note(text("anomalies.none", language=language), kind="info")


def _figure(value: object) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    number = float(value)  # type: ignore[arg-type]
    return f"{number:,.0f}" if abs(number) >= 10 else f"{number:.2f}"


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
    show(figures.top_tracks_momentum(momentum, title=text("figure.streams_and_change", language=language)))


def countries(data: ArtistData, *, language: str = "en") -> None:
    """Streams by country in the period."""
    _heading("countries", language=language)
    if _missing(data, "countries", language=language):
        return
    show(
        figures.country_bars(
            country_totals(data.countries, start=data.start, end=data.end),
            title=text("figure.streams_by_country", language=language),
        )
    )


def social(data: ArtistData, *, language: str = "en") -> None:
    """Followers on each linked platform over the period."""
    _heading("social", language=language)
    if _missing(data, "social", language=language):
        return
    window = data.social[data.social["day"] >= data.start]
    show(figures.social_audience(window, start=data.start, end=data.end))


def sound(data: ArtistData, *, language: str = "en") -> None:
    """The catalog's audio profile: tempo, keys, loudness against -14 LUFS, similarity map."""
    _heading("sound", language=language)
    if _missing(data, "audio", language=language):
        return
    audio = data.audio
    note(
        text("sound.measured", language=language, measured=len(audio), tracks=recordings(data.tracks)),
        kind="info",
    )
    if "tempo_bpm" in audio and audio["tempo_bpm"].notna().any():
        show(figures.tempo_histogram(audio))
    if {"key", "mode"} <= set(audio.columns):
        show(figures.key_bars(audio))
    if "loudness_lufs" in audio:
        show(figures.loudness_against_norm(audio))
    points = cached_audio_map(audio, cache_dir=data.cache_dir)
    if points.empty:
        note(text("sound.map_needs_three", language=language), kind="missing")
    else:
        show(figures.sounds_like_map(points))
        table(
            points[["name", "nearest", "why", "group"]].rename(
                columns={"name": "track", "nearest": "sounds most like", "why": "because", "group": "group"}
            ),
            max_rows=20,
        )


def playlists(data: ArtistData, *, language: str = "en") -> None:
    """Tracks added to, moved in or removed from the artist's playlists in the period."""
    _heading("playlists", language=language)
    if _missing(data, "playlists", language=language):
        return
    table(data.playlist_changes, max_rows=30)


def alerts(data: ArtistData, *, language: str = "en") -> None:
    """Alerts monitoring fired in the period, newest first."""
    _heading("alerts", language=language)
    if _missing(data, "alerts", language=language):
        return
    cols = [c for c in ("fired_at", "severity", "subject", "summary", "status") if c in data.alerts]
    table(data.alerts[cols], max_rows=30)


def posts(data: ArtistData, *, language: str = "en", limit: int = 8) -> None:
    """Grounded drafts ready to copy, the report's language first."""
    _heading("posts", language=language)
    if _missing(data, "drafts", language=language):
        return
    rows = data.drafts.head(limit).to_dict("records")
    drafts(rows)
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
    table(
        data.validation.assign(passed=data.validation["passed"].map({True: "yes", False: "no"})), max_rows=30
    )
    if data_docs_href:
        link(
            text("quality.docs_link", language=language),
            data_docs_href,
            before=text("quality.docs_before", language=language),
            after=text("quality.docs_after", language=language),
        )


def methods(data: ArtistData, *, run_id: str, code_version: str, language: str = "en") -> None:
    """Quota mode and what it hides, data freshness, code version and run id."""
    _heading("methods", language=language)
    quota = data.quota_mode if data.quota_mode in QUOTA_LIMITS else "other"
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
                start=data.start.isoformat(),
                end=data.end.isoformat(),
            ),
        ),
        (label("quota_mode"), data.quota_mode),
        *freshness,
        (label("streaming_source"), data.source or label("none")),
        (label("listeners"), label("listeners_value")),
        (label("anomalies"), label("anomalies_value")),
        (label("loudness_norm"), label("loudness_norm_value")),
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
    alerts,
    posts,
    data_quality,
    methods,
)
