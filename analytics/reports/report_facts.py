"""The facts a report states, computed once from the warehouse and the run, read by every section.

A number that appears in several places of a page (the catalog's size, the period's streams,
how many alerts and unusual days) comes from here, so the sections cannot disagree. Each is a
:class:`Fact`: a key, the value a machine reads, and the words a reader sees; the page carries
the key and the value as ``data-fact`` and ``data-value`` attributes on the number, and
:mod:`analytics.reports.consistency` checks the rendered page against them.

Everything here is a pure function over DataFrames.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd

from analytics.catalog.counts import Catalog
from analytics.reports.songs import SONG_COLUMNS
from analytics.reports.words import detector_name, kind_name, measure, metric_name, plain_number

ANOMALY_SUBJECT = ("day", "entity_id", "kind", "metric")
"""What an unusual day is about: the same day, song, kind and metric seen by two sources is one."""


@dataclass(frozen=True)
class Fact:
    """One stated number: ``key`` names what it describes, ``value`` is what a machine compares,
    ``shown`` is how the page writes it."""

    key: str
    value: int | float | str
    shown: str


def period_anomalies(anomalies: pd.DataFrame, *, start: date, end: date) -> pd.DataFrame:
    """The unusual days of ``[start, end]``, one row per day, song, kind and metric.

    Two sources (Spotify for Artists and the play stream) can flag the same day of the same song;
    the page shows it once, from the source listed first in the detector's order. Each row gets a
    ``key`` (stable across renders) that the table, the chart and the alerts refer to.
    """
    columns = [*ANOMALY_SUBJECT, "level", "observed", "expected", "detector", "source", "score", "key"]
    if anomalies.empty:
        return pd.DataFrame(columns=columns)
    frame = anomalies.copy()
    frame["day"] = pd.to_datetime(frame["day"]).dt.date
    frame = frame[(frame["day"] >= start) & (frame["day"] <= end)]
    frame = frame.sort_values(["day", "entity_id", "kind", "metric", "source"])
    frame = frame.drop_duplicates(list(ANOMALY_SUBJECT)).reset_index(drop=True)
    frame["key"] = [anomaly_key(r) for r in frame.to_dict("records")]
    for column in columns:
        if column not in frame:
            frame[column] = None
    return frame[columns]


def anomaly_key(row: Mapping[str, Any]) -> str:
    """``anomaly-<12 hex>``: the same for the same day, song, kind and metric, whatever the source."""
    subject = "|".join(str(row.get(k)) for k in ANOMALY_SUBJECT)
    return "anomaly-" + hashlib.sha256(subject.encode()).hexdigest()[:12]


def alert_day(alert: Mapping[str, Any]) -> date:
    """The day an alert is about: an unusual day's date, a release's date, a snapshot's day;
    the day it fired only when it says nothing else.

    Monitoring runs after the period's data has arrived, so an alert about the last days of a
    period fires the day after it ends; it belongs to the period of what it is about.
    """
    facts = alert.get("facts") or {}
    for key in ("day", "release_date"):
        value = facts.get(key) if isinstance(facts, Mapping) else None
        if value:
            try:
                return pd.Timestamp(str(value)[:10]).date()
            except ValueError:
                continue
    return pd.Timestamp(alert["fired_at"]).date()


def alert_subject(alert: Mapping[str, Any]) -> str:
    """What an alert is about: an anomaly alert by its unusual day (so the same day seen through
    two sources is one alert), any other by the rule and subject it fired for."""
    facts = alert.get("facts") or {}
    if alert.get("kind") == "anomaly" and isinstance(facts, Mapping) and facts.get("day"):
        return anomaly_key(facts)
    return f"{alert.get('rule_id')}|{alert.get('subject')}"


def period_alerts(alerts: pd.DataFrame, *, start: date, end: date) -> pd.DataFrame:
    """Alerts about ``[start, end]`` (see :func:`alert_day`), one per subject, newest first.

    Notices that a rule could not be evaluated (``unavailable``) are not alerts that fired.
    """
    columns = ["day", "key", "kind", "severity", "status", "subject", "facts", "rule_id", "fired_at"]
    if alerts.empty:
        return pd.DataFrame(columns=columns)
    rows = [r for r in alerts.to_dict("records") if r.get("status") != "unavailable"]
    for r in rows:
        r["day"], r["key"] = alert_day(r), alert_subject(r)
    if not rows:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(rows)
    for column in columns:
        if column not in frame:
            frame[column] = None
    frame = frame[(frame["day"] >= start) & (frame["day"] <= end)]
    # the first firing of a subject stands for it; a later one from another source repeats it
    frame = frame.sort_values(["fired_at"]).drop_duplicates("key")
    return frame.sort_values(["day", "fired_at"], ascending=False).reset_index(drop=True)[columns]


def excerpt_seconds(audio: pd.DataFrame, tracks: pd.DataFrame) -> float | None:
    """The typical length analysed when the audio files are excerpts (under half of the songs'
    length), so the page can say so; None when whole songs were analysed or it is unknown."""
    if audio.empty or "duration_s" not in audio or tracks.empty or "duration_ms" not in tracks:
        return None
    lengths = audio.merge(tracks[["track_id", "duration_ms"]], on="track_id", how="inner")
    lengths = lengths[lengths["duration_ms"] > 0]
    if lengths.empty:
        return None
    ratio = (lengths["duration_s"] * 1000 / lengths["duration_ms"]).median()
    return float(lengths["duration_s"].median()) if ratio < 0.5 else None


FEATURED_COLUMNS = ["playlist_key", "playlist", "author", "recording", "song", "listeners", "streams",
                    "date_added"]  # fmt: skip
_PERIOD = re.compile(r"^(\d+)\s*(day|week|month|year)s?$")
_PERIOD_DAYS = {"day": 1, "week": 7, "month": 30, "year": 365}


def _period_days(period: object) -> float:
    """How many days an export's period word (``28days``, ``1year``) spans; unknown: infinite."""
    match = _PERIOD.match(str(period).strip().lower())
    return int(match.group(1)) * _PERIOD_DAYS[match.group(2)] if match else float("inf")


def featured_snapshot(rows: pd.DataFrame, *, start: date, end: date) -> tuple[date | None, pd.DataFrame]:
    """The playlists export that tells the period ``[start, end]``, and its rows.

    The first export downloaded on or after the period's last day (its numbers cover the days
    before it), else the latest downloaded within the period; older exports tell earlier periods.
    Of several periods downloaded the same day, the one closest to the report's length.
    """
    if rows.empty:
        return None, rows
    days = pd.to_datetime(rows["as_of"]).dt.date
    after = sorted({d for d in days if d >= end})
    within = sorted({d for d in days if start <= d < end})
    day = after[0] if after else (within[-1] if within else None)
    if day is None:
        return None, rows.iloc[0:0]
    snapshot = rows[days == day]
    length = (end - start).days + 1
    period = min(sorted(set(snapshot["period"])), key=lambda p: abs(_period_days(p) - length))
    return day, snapshot[snapshot["period"] == period]


def _by_track(tracks: pd.DataFrame, column: str) -> dict[str, Any]:
    """Track id -> ``column`` of the catalog's tracks (empty when either column is absent)."""
    if "track_id" not in tracks or column not in tracks:
        return {}
    return dict(zip(tracks["track_id"], tracks[column], strict=True))


def featured_by_recording(snapshot: pd.DataFrame, tracks: pd.DataFrame) -> pd.DataFrame:
    """One row per playlist and recording (tracks sharing an ISRC are one), biggest playlists first.

    A recording's streams from a playlist add up over its tracks; its listeners are the largest
    of theirs (a listener may have played both); it was added when its first track was.
    """
    if snapshot.empty:
        return pd.DataFrame(columns=FEATURED_COLUMNS)
    isrc, names = _by_track(tracks, "isrc"), _by_track(tracks, "name")
    frame = snapshot.copy()

    def recording(track: str, stored: object) -> str:
        for value in (isrc.get(track), stored):  # the catalog's ISRC, else the one stored with the row
            if isinstance(value, str) and value:
                return value
        return track  # no ISRC: the track is a recording of its own

    frame["recording"] = [recording(t, i) for t, i in zip(frame["track_id"], frame["isrc"], strict=True)]
    frame["date_added"] = pd.to_datetime(frame["date_added"])
    frame["song"] = [names.get(t) or s for t, s in zip(frame["track_id"], frame["song"], strict=True)]
    grouped = (
        frame.sort_values(["track_id"])
        .groupby(["playlist_key", "recording"], as_index=False)
        .agg(
            playlist=("playlist", "first"),
            author=("author", "first"),
            song=("song", "first"),
            listeners=("listeners", "max"),
            streams=("streams", "sum"),
            date_added=("date_added", "min"),
        )
    )
    total = grouped.groupby("playlist_key")["streams"].transform("sum")
    grouped = grouped.assign(_total=total).sort_values(
        ["_total", "playlist", "streams", "song"], ascending=[False, True, False, True]
    )
    grouped["date_added"] = [d.date() if pd.notna(d) else None for d in grouped["date_added"]]
    return grouped.drop(columns="_total").reset_index(drop=True)[FEATURED_COLUMNS]


@dataclass
class ReportFacts:
    """Everything one artist report states, for one period."""

    artist: str
    start: date
    end: date
    language: str
    catalog: Catalog
    streams: float | None = None
    listeners: float | None = None
    anomalies: pd.DataFrame = field(default_factory=pd.DataFrame)
    alerts: pd.DataFrame = field(default_factory=pd.DataFrame)
    posts: int = 0
    social_followers: float | None = None
    social_day: date | None = None
    social_platforms: int = 0
    track_names: dict[str, str] = field(default_factory=dict)
    featured: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=FEATURED_COLUMNS))
    """The playlists featuring the artist, one row per playlist and recording (:func:`featured_by_recording`)."""
    featured_day: date | None = None
    """The day the playlists export shown was downloaded."""
    songs: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=SONG_COLUMNS))
    """The songs streamed in the period, one row per recording (:func:`analytics.reports.songs.song_table`)."""
    sources: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["track_id", "way", "shuffle", "streams"])
    )
    """The period's streams by track and way they started
    (:func:`analytics.streaming.play_starts.play_sources`)."""

    release_weeks: list[tuple[str, date, pd.DataFrame]] = field(default_factory=list)
    """The newest releases within the data, each with its first week
    (:func:`analytics.reports.songs.release_days`): name, release day, days."""

    def song_fact(self, anchor: str, key: str) -> Fact:
        """The :class:`Fact` ``streams`` or ``listeners`` (a day, on average) of the song whose page
        is ``anchor``, keyed by both so each song's numbers are checked on their own."""
        row = self.songs[self.songs["anchor"] == anchor].iloc[0]
        value = row[key]
        if value is None or pd.isna(value):
            return Fact(f"{anchor}-{key}", "", "—")
        return Fact(
            f"{anchor}-{key}", round(float(value)), plain_number(round(float(value)), language=self.language)
        )

    def fact(self, key: str) -> Fact:
        """The :class:`Fact` ``key`` (``recordings``, ``catalog_tracks``, ``releases``, ``streams``,
        ``appearances``, ``listeners``, ``anomalies``, ``alerts``, ``posts``, ``social_followers``,
        ``featured_playlists``, ``featured_recordings``, ``playlist_streams``, ``songs``,
        ``plays_seen``) as shown."""
        values: dict[str, int | float | None] = {
            "recordings": self.catalog.recordings,
            "catalog_tracks": self.catalog.tracks,
            "releases": self.catalog.releases,
            "appearances": self.catalog.appearances,
            "streams": None if self.streams is None else round(self.streams),
            "listeners": None if self.listeners is None else round(self.listeners),
            "anomalies": len(self.anomalies),
            "alerts": len(self.alerts),
            "posts": self.posts,
            "social_followers": None if self.social_followers is None else round(self.social_followers),
            "featured_playlists": int(self.featured["playlist_key"].nunique()),
            "featured_recordings": int(self.featured["recording"].nunique()),
            "playlist_streams": int(pd.to_numeric(self.featured["streams"]).fillna(0).sum()),
            "songs": len(self.songs),
            "plays_seen": int(self.sources["streams"].sum()) if not self.sources.empty else 0,
        }
        value = values[key]
        if value is None:
            return Fact(key, "", "—")
        return Fact(key, int(value), plain_number(value, language=self.language))

    def anomaly_rows(self) -> pd.DataFrame:
        """The unusual days as the page lists them: day, what, what happened, observed, usual."""
        names = self.track_names
        shown = self.anomalies
        return pd.DataFrame(
            {
                "day": list(shown["day"]),
                "what": [names.get(e, "") for e in shown["entity_id"]],
                "kind": [kind_name(k, language=self.language) for k in shown["kind"]],
                "metric": [metric_name(m, language=self.language) for m in shown["metric"]],
                "observed": [
                    measure(m, v, language=self.language)
                    for m, v in zip(shown["metric"], shown["observed"], strict=True)
                ],
                "expected": [
                    measure(m, v, language=self.language)
                    for m, v in zip(shown["metric"], shown["expected"], strict=True)
                ],
                "detector": [detector_name(d, language=self.language) for d in shown["detector"]],
            }
        )
