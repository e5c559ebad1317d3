"""Everything one artist's report shows, read from a run folder and the warehouse.

The catalog comes from the run's validated datasets; streaming, social, alerts and drafts from
the warehouse tables their packages write; audio features from the run's ``audio_features``
dataset or an ``audio_features`` table. Each part may be absent (its package has not run, the
quota mode hides it, the artist has no data): then :attr:`ArtistData.missing` says what is
missing and why, in words an artist understands, and the report shows that instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import MetaData, inspect, select

from analytics.audio.store import one_per_recording
from analytics.catalog.counts import count_catalog, tracks_crediting
from analytics.reports.load import RunData
from analytics.reports.measures import headlines, pick_source, previous_window
from analytics.reports.report_facts import (
    ReportFacts,
    featured_by_recording,
    featured_snapshot,
    period_alerts,
    period_anomalies,
)
from analytics.reports.songs import RELEASES_SHOWN, release_days, releases_in_data, song_table
from analytics.reports.texts import long_datetime, text
from analytics.streaming.play_starts import read_play_sources
from analytics.warehouse import Warehouse

EMPTY = pd.DataFrame()
REPORT_DATASETS = (
    "artists",
    "albums",
    "tracks",
    "playlists",
    "playlist_items",
    "stream_metrics_daily",
    "stream_play_events",
    "stream_anomalies",
    "s4a_playlists",
    "social_accounts",
    "social_snapshots",
    "track_features",
    "alerts",
    "monitoring_snapshots",
    "content_drafts",
)
"""Every validated dataset the artist report reads (its data-quality table and Data Docs)."""


@dataclass
class ArtistData:
    """One artist's report inputs for the period ``[start, end]``."""

    artist_id: str
    name: str
    start: date
    end: date
    quota_mode: str
    albums: pd.DataFrame
    tracks: pd.DataFrame
    artist_daily: pd.DataFrame = field(default_factory=lambda: EMPTY)
    track_daily: pd.DataFrame = field(default_factory=lambda: EMPTY)
    source: str | None = None
    countries: pd.DataFrame = field(default_factory=lambda: EMPTY)
    anomalies: pd.DataFrame = field(default_factory=lambda: EMPTY)
    social: pd.DataFrame = field(default_factory=lambda: EMPTY)
    audio: pd.DataFrame = field(default_factory=lambda: EMPTY)
    playlist_changes: pd.DataFrame = field(default_factory=lambda: EMPTY)
    featured: pd.DataFrame = field(default_factory=lambda: EMPTY)
    """Every stored Spotify for Artists playlists export of the artist (``s4a_playlists``)."""
    play_sources: pd.DataFrame = field(default_factory=lambda: EMPTY)
    """The period's streams by track and way they started (:mod:`analytics.streaming.play_starts`)."""
    own_playlists: pd.DataFrame = field(default_factory=lambda: EMPTY)
    """The run's playlists (the account's own and collaborative ones), ``playlist_id`` and ``name``."""
    own_items: pd.DataFrame = field(default_factory=lambda: EMPTY)
    """The items of those playlists (``playlist_id``, ``track_id``)."""
    alerts: pd.DataFrame = field(default_factory=lambda: EMPTY)
    drafts: pd.DataFrame = field(default_factory=lambda: EMPTY)
    validation: pd.DataFrame = field(default_factory=lambda: EMPTY)
    spotify_followers: int | None = None
    missing: dict[str, str] = field(default_factory=dict)
    reasons: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    freshness: dict[str, str] = field(default_factory=dict)
    set_aside: list[dict[str, str]] = field(default_factory=list)
    """What the run set aside (rejected drafts, export files and rows), from its manifest."""
    cache_dir: Path | None = None
    """Where derived results that outlive the period (the "sounds like" map) are kept."""
    drafts_window: tuple[date, date] | None = None
    """The period of the facts the drafts shown were written from."""
    facts: ReportFacts | None = None
    """What the page states, computed once from everything above (see :mod:`report_facts`)."""

    def mark_missing(self, section: str, reason: str, **values: str) -> None:
        """Say that ``section`` has no data and why: ``reason`` is a ``missing.*`` key of
        :data:`analytics.reports.texts.TEXTS`, ``values`` fill its placeholders.

        :attr:`missing` keeps the English sentence; :attr:`reasons` lets the report say it in
        its own language.
        """
        english = text(f"missing.{reason}", **values)
        self.missing[section] = english[:1].lower() + english[1:]
        self.reasons[section] = (f"missing.{reason}", values)

    def has(self, section: str) -> bool:
        """True when ``section`` (``streaming``, ``countries``, ``sources``, ``social``, ``audio``,
        ``playlists``, ``featured``, ``alerts``, ``drafts`` or ``validation``) has data to show."""
        return section not in self.missing

    def releases_between(self, first: date, last: date) -> pd.DataFrame:
        """``name``, ``release_date`` of the artist's releases dated within ``[first, last]``."""
        if self.albums.empty:
            return pd.DataFrame(columns=["name", "release_date"])
        days = pd.to_datetime(self.albums["release_date"], errors="coerce").dt.date
        mask = days.notna() & (days >= first) & (days <= last)
        return pd.DataFrame({"name": self.albums.loc[mask, "name"], "release_date": days[mask]})


class _Tables:
    """Reads rows of optional tables; a table that does not exist reads as None."""

    def __init__(self, warehouse: Warehouse | None) -> None:
        self.warehouse = warehouse
        self.names = set(inspect(warehouse.engine).get_table_names()) if warehouse is not None else set()

    def read(self, name: str, **equal: Any) -> pd.DataFrame | None:
        if self.warehouse is None or name not in self.names:
            return None
        meta = MetaData()
        meta.reflect(self.warehouse.engine, only=[name])
        table = meta.tables[name]
        stmt = select(table)
        for column, value in equal.items():
            stmt = stmt.where(table.c[column] == value)
        if "removed_run" in table.c:
            stmt = stmt.where(table.c.removed_run.is_(None))
        with self.warehouse.engine.connect() as conn:
            return pd.DataFrame([dict(r._mapping) for r in conn.execute(stmt)], columns=list(table.c.keys()))

    def read_in(self, name: str, *, column: str, values: Sequence[Any]) -> pd.DataFrame | None:
        """Rows of ``name`` whose ``column`` is one of ``values`` (None: no such table)."""
        if self.warehouse is None or name not in self.names:
            return None
        meta = MetaData()
        meta.reflect(self.warehouse.engine, only=[name])
        table = meta.tables[name]
        stmt = select(table).where(table.c[column].in_(list(values)))
        with self.warehouse.engine.connect() as conn:
            return pd.DataFrame([dict(r._mapping) for r in conn.execute(stmt)], columns=list(table.c.keys()))


def load_artist_data(
    run: RunData,
    warehouse: Warehouse | None,
    *,
    artist_id: str,
    start: date,
    end: date,
    quota_mode: str | None = None,
    language: str = "en",
    cache_dir: Path | None = None,
) -> ArtistData:
    """Gather the report inputs of ``artist_id`` (see module doc).

    Parameters
    ----------
    run : the run's datasets (catalog, optional ``audio_features``) and manifest.
    warehouse : where streaming, social, alerts and drafts are; None reads the run only.
    quota_mode : ``development`` or ``extended``; default: the run manifest's.
    language : drafts in this language are shown first.
    cache_dir : where the report keeps results that depend on the catalog only (None: nowhere).

    Raises
    ------
    KeyError : the artist is not in the run's catalog; names the artists that are.
    """
    artists = run.datasets.get("artists", EMPTY)
    row = artists[artists["artist_id"] == artist_id] if not artists.empty else artists
    if row.empty:
        known = ", ".join(f"{a.artist_id} ({a.name})" for a in artists.itertuples()) or "none"
        raise KeyError(f"artist {artist_id!r} is not in the run at {run.run_dir}; artists there: {known}")
    albums = _of_artist(run.datasets.get("albums", EMPTY), artist_id)
    tracks = tracks_crediting(run.datasets.get("tracks", EMPTY), artist_id)  # featured songs too
    data = ArtistData(
        artist_id=artist_id,
        name=str(row.iloc[0]["name"]),
        start=start,
        end=end,
        quota_mode=quota_mode or str(run.manifest.get("quota_mode", "development")),
        albums=albums,
        tracks=tracks,
        cache_dir=cache_dir,
        set_aside=list(run.manifest.get("set_aside", [])),
    )
    followers = row.iloc[0].get("followers")
    data.spotify_followers = None if followers is None or pd.isna(followers) else int(followers)
    tables = _Tables(warehouse)
    _streaming(data, tables)
    _sources(data, warehouse)
    _social(data, tables)
    _audio(data, run, tables)
    _playlists(data, tables, run)
    _featured(data, tables)
    _alerts(data, tables)
    _drafts(data, tables, language=language)
    _validation(data, run)
    data.freshness["report built"] = long_datetime(datetime.now(UTC), language=language)
    data.facts = report_facts(data, language=language)
    return data


def report_facts(data: ArtistData, *, language: str = "en") -> ReportFacts:
    """What the page states about ``data``'s period, computed once for every section."""
    facts = ReportFacts(
        artist=data.name,
        start=data.start,
        end=data.end,
        language=language,
        catalog=count_catalog(data.albums, data.tracks),
        anomalies=period_anomalies(data.anomalies, start=data.start, end=data.end),
        alerts=data.alerts,
        posts=len(data.drafts),
        track_names=dict(zip(data.tracks.get("track_id", []), data.tracks.get("name", []), strict=True)),
    )
    if data.has("streaming") and not data.artist_daily.empty:
        for h in headlines(data.artist_daily, start=data.start, end=data.end):
            if h.label == "Streams":
                facts.streams = h.value
            elif h.label == "Listeners a day":
                facts.listeners = h.value
    if data.has("streaming") and not data.track_daily.empty:
        facts.songs = song_table(data.track_daily, data.tracks, start=data.start, end=data.end)
    if data.has("sources"):
        facts.sources = data.play_sources
    if data.has("streaming") and not data.artist_daily.empty:
        found = releases_in_data(data.albums, data.artist_daily).head(RELEASES_SHOWN)
        facts.release_weeks = [
            (str(r.name), r.release_date, release_days(data.artist_daily, release=r.release_date))
            for r in found.itertuples()
        ]
    facts.featured_day, snapshot = featured_snapshot(data.featured, start=data.start, end=data.end)
    facts.featured = featured_by_recording(snapshot, data.tracks)
    if not data.social.empty and data.social["followers"].notna().any():
        known = data.social[data.social["followers"].notna()]
        facts.social_day = max(known["day"])
        latest = known[known["day"] == facts.social_day]
        facts.social_followers = float(latest["followers"].sum())
        facts.social_platforms = int(latest["platform"].nunique())
    return facts


def _of_artist(frame: pd.DataFrame, artist_id: str) -> pd.DataFrame:
    if frame.empty or "artist_id" not in frame:
        return frame
    return frame[frame["artist_id"] == artist_id].reset_index(drop=True)


def _window(frame: pd.DataFrame, first: date, last: date) -> pd.DataFrame:
    days = pd.to_datetime(frame["day"]).dt.date
    out = frame[(days >= first) & (days <= last)].copy()
    out["day"] = pd.to_datetime(out["day"]).dt.date
    return out.sort_values("day").reset_index(drop=True)


def _artist_metrics(data: ArtistData, tables: _Tables) -> pd.DataFrame | None:
    """The artist's ``stream_metrics_daily`` rows and those of the songs it is featured on.

    A song's track-level rows carry its main artist; a featured artist's report counts the
    song too (once: each track, source and day is one row).
    """
    metrics = tables.read("stream_metrics_daily", artist_id=data.artist_id)
    if metrics is None or data.tracks.empty:
        return metrics
    others = data.tracks[data.tracks["artist_id"] != data.artist_id]
    featured = list(others["track_id"])
    if not featured:
        return metrics
    songs = tables.read_in("stream_metrics_daily", column="entity_id", values=featured)
    if songs is None or songs.empty:
        return metrics
    songs = songs[songs["level"] == "track"]
    return pd.concat([metrics, songs], ignore_index=True) if not metrics.empty else songs


def _streaming(data: ArtistData, tables: _Tables) -> None:
    metrics = _artist_metrics(data, tables)
    if metrics is None:
        data.mark_missing("streaming", "streaming_no_tables")
        data.mark_missing("countries", "countries_no_tables")
        return
    first, _ = previous_window(data.start, data.end)
    data.source = pick_source(metrics[metrics["level"] == "artist"]) or pick_source(metrics)
    if data.source is None:
        data.mark_missing("streaming", "streaming_none")
    else:
        of_source = metrics[metrics["source"] == data.source]
        artist_rows = of_source[of_source["level"] == "artist"]
        data.track_daily = _window(of_source[of_source["level"] == "track"], first, data.end)
        if artist_rows.empty:  # per-song exports only: streams add up, listeners do not
            artist_rows = data.track_daily.groupby("day", as_index=False)["streams"].sum()
            artist_rows["listeners"] = float("nan")
        data.artist_daily = _window(artist_rows, first, data.end)
    if data.source is not None and data.artist_daily.empty:
        data.mark_missing("streaming", "streaming_since", since=first.isoformat())
    elif data.source is not None:
        last = max(pd.to_datetime(artist_rows["day"]).dt.date)
        data.freshness["streaming data up to"] = f"{last.isoformat()} ({data.source})"
        if last < data.end:
            data.mark_missing("streaming_late", "streaming_late", last=last.isoformat())
        anomalies = tables.read("stream_anomalies", artist_id=data.artist_id)
        if anomalies is not None and not anomalies.empty:
            data.anomalies = _window(anomalies, data.start, data.end)
    countries = tables.read("stream_country_daily", artist_id=data.artist_id)
    if countries is None or countries.empty:
        data.mark_missing("countries", "countries_none")
    else:
        data.countries = _window(countries, data.start, data.end)
        if data.countries.empty:
            data.mark_missing("countries", "countries_period")


def _sources(data: ArtistData, warehouse: Warehouse | None) -> None:
    """How the period's plays started, from the play events encore received."""
    found = None
    if warehouse is not None:
        found = read_play_sources(warehouse.engine, artist_id=data.artist_id, start=data.start, end=data.end)
    if found is None or found.empty:
        data.mark_missing("sources", "sources_none")
        return
    data.play_sources = found


def _social(data: ArtistData, tables: _Tables) -> None:
    snapshots = tables.read("social_snapshots", artist_id=data.artist_id)
    if snapshots is None:
        data.mark_missing("social", "social_not_run")
        return
    # Snapshots are taken during the day after the period; they tell where the period ended.
    snapshots = _window(snapshots, *previous_window(data.start, data.end)[:1], data.end + timedelta(days=1))
    if snapshots.empty:
        data.mark_missing("social", "social_unlinked")
        return
    data.social = snapshots
    data.freshness["social numbers up to"] = max(snapshots["day"]).isoformat()
    if snapshots["followers"].isna().all():
        data.mark_missing("social", "social_hidden")


def _expanded(stored: pd.DataFrame | None) -> pd.DataFrame | None:
    """``track_audio_features`` rows with every feature of their ``features`` dict as a column."""
    if stored is None or stored.empty or "features" not in stored:
        return stored
    extra = pd.json_normalize([f if isinstance(f, dict) else {} for f in stored["features"]])
    extra = extra[[c for c in extra.columns if c not in stored.columns]]
    return pd.concat([stored.drop(columns=["features"]).reset_index(drop=True), extra], axis=1)


def _audio(data: ArtistData, run: RunData, tables: _Tables) -> None:
    features = run.datasets.get("audio_features")
    if features is None:
        features = tables.read("audio_features")
    if features is None:
        features = _expanded(tables.read("track_audio_features"))
    if features is not None and not features.empty and "track_id" in features:
        features = features[features["track_id"].isin(data.tracks["track_id"])]
    if features is None or features.empty:
        data.mark_missing("audio", "audio")
        return
    names = data.tracks.set_index("track_id")["name"]
    data.audio = one_per_recording(features).assign(name=lambda f: [names.get(t, t) for t in f["track_id"]])


def recordings(tracks: pd.DataFrame) -> int:
    """How many recordings the tracks hold: tracks sharing an ISRC are one; without one, each counts."""
    if tracks.empty:
        return 0
    if "isrc" not in tracks:
        return len(tracks)
    isrc = tracks["isrc"]
    return int(isrc.dropna().nunique() + isrc.isna().sum())


def _playlists(data: ArtistData, tables: _Tables, run: RunData) -> None:
    data.own_playlists = run.datasets.get("playlists", EMPTY)
    data.own_items = run.datasets.get("playlist_items", EMPTY)
    changes = tables.read("playlist_changes")
    if changes is not None and "artist_id" in changes:
        changes = changes[changes["artist_id"] == data.artist_id]
    if changes is None:
        versions = tables.read("entity_versions", entity_type="playlist_items")
        changes = _item_changes(versions, data, run)
    if changes.empty:
        data.mark_missing("playlists", "playlists")
        return
    data.playlist_changes = changes


def _featured(data: ArtistData, tables: _Tables) -> None:
    rows = tables.read("s4a_playlists", artist_id=data.artist_id)
    if rows is None or rows.empty:
        data.mark_missing("featured", "featured_none")
        return
    data.featured = rows
    if featured_snapshot(rows, start=data.start, end=data.end)[0] is None:
        data.mark_missing("featured", "featured_period")


def _item_changes(versions: pd.DataFrame | None, data: ArtistData, run: RunData) -> pd.DataFrame:
    if versions is None or versions.empty:
        return EMPTY
    track_names = data.tracks.set_index("track_id")["name"]
    playlists = run.datasets.get("playlists", EMPTY)
    playlist_names = (
        playlists.set_index("playlist_id")["name"] if not playlists.empty else pd.Series(dtype=str)
    )
    rows = []
    for v in versions.itertuples():
        when = pd.Timestamp(v.valid_from).date()
        item = v.data or {}
        if not (data.start <= when <= data.end) or item.get("track_id") not in track_names.index:
            continue
        rows.append(
            {
                "day": when,
                "playlist": playlist_names.get(item.get("playlist_id"), item.get("playlist_id")),
                "track": track_names[item["track_id"]],
                "change": {"inserted": "added", "removed": "removed"}.get(v.change, "moved"),
                "position": item.get("position"),
            }
        )
    return pd.DataFrame(rows)


def _alerts(data: ArtistData, tables: _Tables) -> None:
    alerts = tables.read("monitoring_alerts", artist_id=data.artist_id)
    if alerts is None:
        data.mark_missing("alerts", "alerts_not_run")
        return
    # an alert belongs to the period of what it is about, whenever monitoring fired it
    alerts = period_alerts(alerts, start=data.start, end=data.end)
    if alerts.empty:
        data.mark_missing("alerts", "alerts_none")
        return
    data.alerts = alerts


def _drafts(data: ArtistData, tables: _Tables, *, language: str) -> None:
    drafts = tables.read("content_drafts", artist_id=data.artist_id)
    if drafts is None or drafts.empty:
        data.mark_missing("drafts", "drafts_none")
        return
    sheets = tables.read("content_fact_sheets", artist_id=data.artist_id)
    if sheets is not None and not sheets.empty:
        # the latest facts that overlap the period: drafts about another period say other things
        overlapping = sheets[
            (sheets["period_start"] <= data.end.isoformat())
            & (sheets["period_end"] >= data.start.isoformat())
        ]
        if overlapping.empty:
            data.mark_missing("drafts", "drafts_none")
            return
        latest = overlapping.sort_values(["period_end", "period_start"]).iloc[-1]
        drafts = drafts[drafts["fact_sheet_id"] == latest["fact_sheet_id"]]
        data.drafts_window = (
            date.fromisoformat(str(latest["period_start"])[:10]),
            date.fromisoformat(str(latest["period_end"])[:10]),
        )
    drafts = drafts[drafts["grounded"].astype(bool)]
    if drafts.empty:
        data.mark_missing("drafts", "drafts_ungrounded")
        return
    order = drafts["language"].ne(language)
    data.drafts = (
        drafts.assign(_o=order).sort_values(["_o", "kind", "platform", "language"]).drop(columns="_o")
    )


def _validation(data: ArtistData, run: RunData) -> None:
    import json

    from analytics.validation import latest_results

    rows = []
    for path in latest_results(run.run_dir, datasets=REPORT_DATASETS):
        try:
            doc = json.loads(path.read_text(encoding="utf-8"))
            stats = doc.get("statistics", {})
            rows.append(
                {
                    "dataset": path.stem,
                    "passed": bool(doc.get("success")),
                    "expectations": stats.get("evaluated_expectations"),
                    "failed": stats.get("unsuccessful_expectations"),
                }
            )
        except (OSError, ValueError, AttributeError):
            rows.append({"dataset": path.stem, "passed": False, "expectations": None, "failed": None})
    if not rows:
        data.mark_missing("validation", "validation")
        return
    data.validation = pd.DataFrame(rows)
