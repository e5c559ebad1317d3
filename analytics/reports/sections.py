"""The artist report's sections: each takes an :class:`ArtistData`, displays its part of the
page through ``display`` and ``figures``, and, when its data is missing, says what and why.

Notebooks call these one per cell; the logic stays here, testable without a notebook.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from analytics.reports import figures
from analytics.reports.artist_data import ArtistData
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
    show,
    table,
)
from analytics.reports.measures import audio_map, country_totals, headlines, track_momentum

TOC = (
    ("Highlights", "highlights"),
    ("Streams", "streams"),
    ("Top tracks", "top-tracks"),
    ("Countries", "countries"),
    ("Social", "social"),
    ("Sound", "sound"),
    ("Playlists", "playlists"),
    ("Alerts", "alerts"),
    ("Posts", "posts"),
    ("Data quality", "data-quality"),
    ("Methods", "methods"),
)
QUOTA_LIMITS = {
    "development": (
        "Development quota mode: Spotify gives this app no follower counts, popularity, labels, artist "
        "top tracks or other people's playlists, so the report shows none of them; streaming numbers "
        "come from your own Spotify for Artists exports instead."
    ),
    "extended": "Extended quota mode: followers and popularity come from the Spotify Web API.",
}


def _missing(data: ArtistData, key: str) -> bool:
    if key in data.missing:
        text = data.missing[key]
        note(text[:1].upper() + text[1:], kind="missing")
        return True
    return False


def overview(data: ArtistData, *, language: str = "en") -> None:
    """Contents, then the headline numbers with their change and a sparkline each."""
    contents(TOC)
    heading("Highlights", anchor="highlights")
    tracks = f"{len(data.tracks)} track{'s' if len(data.tracks) != 1 else ''}"
    note(f"{data.start:%d %b %Y} – {data.end:%d %b %Y} · {tracks} in the catalog.", kind="info")
    cards: list[dict[str, Any]] = []
    if data.has("streaming"):
        for h in headlines(data.artist_daily, start=data.start, end=data.end):
            text, trend = format_change(h.change, language=language)
            cards.append(
                {
                    "label": h.label,
                    "value": format_count(h.value, language=language),
                    "delta": text,
                    "trend": trend,
                    "spark": h.series,
                }
            )
    if not data.social.empty and data.social["followers"].notna().any():
        last_day = max(data.social["day"])
        total = data.social[data.social["day"] == last_day]["followers"].sum()
        cards.append(
            {
                "label": "Social followers",
                "value": format_count(float(total), language=language),
                "hint": f"{data.social['platform'].nunique()} platforms, {last_day:%d %b}",
                "spark": list(data.social.groupby("day")["followers"].sum()),
            }
        )
    if data.spotify_followers is not None:
        cards.append(
            {
                "label": "Spotify followers",
                "value": format_count(float(data.spotify_followers), language=language),
            }
        )
    else:
        why = "unavailable in development quota mode" if data.quota_mode == "development" else "not reported"
        cards.append({"label": "Spotify followers", "value": "—", "hint": why})
    cards.append({"label": "Releases", "value": len(data.albums), "hint": tracks})
    metric_cards(cards)
    _missing(data, "streaming")
    _missing(data, "streaming_late")


def streams(data: ArtistData) -> None:
    """Streams and listeners by day, with the period's anomalies and releases marked."""
    heading("Streams and listeners", anchor="streams")
    if _missing(data, "streaming"):
        return
    daily = data.artist_daily[pd.to_datetime(data.artist_daily["day"]).dt.date >= data.start]
    artist_level = data.anomalies[data.anomalies["level"] == "artist"] if not data.anomalies.empty else None
    show(
        figures.streams_over_time(
            daily,
            anomalies=artist_level,
            releases=data.releases_between(data.start, data.end),
            title="Streams a day",
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
            caption="Unusual days: what was seen against what was expected, and which detector said so.",
        )
    else:
        note("No unusual days in this period.", kind="info")


def _figure(value: object) -> str:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    number = float(value)  # type: ignore[arg-type]
    return f"{number:,.0f}" if abs(number) >= 10 else f"{number:.2f}"


def top_tracks(data: ArtistData) -> None:
    """The period's top tracks by streams, with their change against the previous period."""
    heading("Top tracks and their momentum", anchor="top-tracks")
    if _missing(data, "streaming"):
        return
    if data.track_daily.empty:
        note("The streaming source has no per-track numbers for this artist.", kind="missing")
        return
    momentum = track_momentum(data.track_daily, data.tracks, start=data.start, end=data.end)
    if momentum.empty:
        note("No track was streamed in this period.", kind="missing")
        return
    show(figures.top_tracks_momentum(momentum, title="Streams and change"))


def countries(data: ArtistData) -> None:
    """Streams by country in the period."""
    heading("Audience by country", anchor="countries")
    if _missing(data, "countries"):
        return
    show(
        figures.country_bars(
            country_totals(data.countries, start=data.start, end=data.end), title="Streams by country"
        )
    )


def social(data: ArtistData) -> None:
    """Followers on each linked platform over the period."""
    heading("Social audience", anchor="social")
    if _missing(data, "social"):
        return
    window = data.social[data.social["day"] >= data.start]
    show(figures.social_audience(window))


def sound(data: ArtistData) -> None:
    """The catalog's audio profile: tempo, keys, loudness against -14 LUFS, similarity map."""
    heading("Sound of the catalog", anchor="sound")
    if _missing(data, "audio"):
        return
    audio = data.audio
    note(f"Measured from {len(audio)} of {len(data.tracks)} tracks' audio files.", kind="info")
    if "tempo_bpm" in audio and audio["tempo_bpm"].notna().any():
        show(figures.tempo_histogram(audio))
    if {"key", "mode"} <= set(audio.columns):
        show(figures.key_wheel(audio))
    if "loudness_lufs" in audio:
        show(figures.loudness_against_norm(audio))
    points = audio_map(audio)
    if points.empty:
        note("The similarity map needs at least three analysed tracks.", kind="missing")
    else:
        show(figures.sounds_like_map(points))
        table(
            points[["name", "nearest", "why", "group"]].rename(
                columns={"name": "track", "nearest": "sounds most like", "why": "because", "group": "group"}
            ),
            max_rows=20,
        )


def playlists(data: ArtistData) -> None:
    """Tracks added to, moved in or removed from the artist's playlists in the period."""
    heading("Playlist changes", anchor="playlists")
    if _missing(data, "playlists"):
        return
    table(data.playlist_changes, max_rows=30)


def alerts(data: ArtistData) -> None:
    """Alerts monitoring fired in the period, newest first."""
    heading("Alerts", anchor="alerts")
    if _missing(data, "alerts"):
        return
    cols = [c for c in ("fired_at", "severity", "subject", "summary", "status") if c in data.alerts]
    table(data.alerts[cols], max_rows=30)


def posts(data: ArtistData, *, language: str = "en", limit: int = 8) -> None:
    """Grounded drafts ready to copy, the report's language first."""
    heading("Posts ready to copy", anchor="posts")
    if _missing(data, "drafts"):
        return
    rows = data.drafts.head(limit).to_dict("records")
    drafts(rows)
    if len(data.drafts) > limit:
        note(f"{len(data.drafts) - limit} more drafts in the warehouse (content_drafts).", kind="info")


def data_quality(data: ArtistData, *, data_docs_href: str = "") -> None:
    """Validation results of the run's datasets, with a link to the full Data Docs."""
    heading("Data quality", anchor="data-quality")
    if _missing(data, "validation"):
        return
    failed = data.validation[~data.validation["passed"]]
    if failed.empty:
        note(f"All {len(data.validation)} datasets passed their checks before this report read them.")
    else:
        note(f"{len(failed)} datasets failed their checks: " + ", ".join(failed["dataset"]), kind="warning")
    table(
        data.validation.assign(passed=data.validation["passed"].map({True: "yes", False: "no"})), max_rows=30
    )
    if data_docs_href:
        link("Data Docs", data_docs_href, before="Every expectation and its result: ", after=".")


def methods(data: ArtistData, *, run_id: str, code_version: str) -> None:
    """Quota mode and what it hides, data freshness, code version and run id."""
    heading("Methods and limits", anchor="methods")
    note(QUOTA_LIMITS.get(data.quota_mode, f"Quota mode: {data.quota_mode}."), kind="info")
    hidden = [v for k, v in data.missing.items() if k not in {"streaming_late"}]
    pairs: list[tuple[str, object]] = [
        ("period", f"{data.start.isoformat()} to {data.end.isoformat()}"),
        ("quota mode", data.quota_mode),
        *data.freshness.items(),
        ("streaming source", data.source or "none"),
        ("listeners", "a daily figure from the source; averaged over the period, never summed"),
        ("anomalies", "robust day-of-week baseline and an isolation forest, with the facts behind each"),
        ("loudness norm", "Spotify plays tracks at about -14 LUFS; louder masters are turned down"),
        ("run", run_id),
        ("code version", code_version),
    ]
    facts(pairs)
    if hidden:
        note(f"{len(hidden)} sections have no data for this artist; each says why above.", kind="info")


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
