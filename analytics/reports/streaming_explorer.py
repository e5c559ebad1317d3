"""The streaming explorer: one artist's stored streaming tables for a data scientist.

Daily metrics per source, the rolling 7- and 28-day sums and their deltas, listening rates,
countries, and every anomaly with the facts behind it in words. :func:`load_streaming` reads
``stream_metrics_daily``, ``stream_country_daily`` and ``stream_anomalies`` (written by
``analytics.streaming``); the figure builders take frames and return plotly figures; the
sections display them. ``notebooks/streaming_explorer.ipynb`` calls these, one per cell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import MetaData, inspect, select

from analytics.reports.display import heading, note, show, table
from analytics.reports.explore import stream_coverage
from analytics.reports.figures_streaming import country_bars, streams_over_time
from analytics.reports.measures import country_totals, pick_source
from analytics.reports.style import ALERT, PALETTE, finish, plot_text
from analytics.warehouse import Warehouse

EMPTY = pd.DataFrame()
RATES = {
    "skip_rate": "skip rate",
    "completion_rate": "completion rate",
    "save_rate": "save rate",
}
DAILY_COLUMNS = [
    "day",
    "streams",
    "listeners",
    "streams_7d",
    "streams_28d",
    "streams_delta_7d",
    "streams_delta_28d",
    "streams_per_listener",
    "skip_rate",
    "completion_rate",
    "save_rate",
    "country_hhi",
    "hour_entropy",
]
KIND_COLOURS = {
    "spike": PALETTE[2],
    "sudden_drop": PALETTE[1],
    "release_spike": PALETTE[0],
    "suspected_artificial_streaming": ALERT,
    "unusual_listening_pattern": PALETTE[3],
}
NO_STREAMING = (
    "No streaming data for this artist: import Spotify for Artists exports (Audience and Songs CSVs) or "
    "the streaming history with the collect_streaming_metrics flow."
)


@dataclass
class StreamingView:
    """One artist's streaming tables for ``[start, end]``; ``source`` is the one shown first."""

    artist_id: str
    name: str
    start: date
    end: date
    tracks: dict[str, str]
    metrics: pd.DataFrame = field(default_factory=lambda: EMPTY)
    countries: pd.DataFrame = field(default_factory=lambda: EMPTY)
    anomalies: pd.DataFrame = field(default_factory=lambda: EMPTY)
    coverage: pd.DataFrame = field(default_factory=lambda: EMPTY)
    source: str | None = None

    @property
    def has_streaming(self) -> bool:
        return self.source is not None

    def artist_daily(self, source: str | None = None) -> pd.DataFrame:
        """Artist-level rows of one source (default: :attr:`source`), by day."""
        return self._level("artist", source)

    @property
    def rates_source(self) -> str | None:
        """The first source (in report order) whose artist rows carry skip and completion rates:
        Spotify for Artists exports have none, play events do."""
        if self.metrics.empty:
            return None
        artist = self.metrics[(self.metrics["level"] == "artist") & self.metrics["skip_rate"].notna()]
        return pick_source(artist)

    def track_daily(self, source: str | None = None) -> pd.DataFrame:
        """Track-level rows of one source (default: :attr:`source`) with the track's name."""
        rows = self._level("track", source)
        return rows.assign(track=[self.tracks.get(t, t) for t in rows["entity_id"]])

    def _level(self, level: str, source: str | None) -> pd.DataFrame:
        if self.metrics.empty:
            return EMPTY
        rows = self.metrics[
            (self.metrics["level"] == level) & (self.metrics["source"] == (source or self.source))
        ]
        return rows.sort_values(["day", "entity_id"]).reset_index(drop=True)


def _rows(
    warehouse: Warehouse, name: str, *, artist_id: str, first: date | None = None, last: date | None = None
) -> pd.DataFrame:
    """An artist's rows of an optional table, within ``[first, last]`` when it has days."""
    if name not in inspect(warehouse.engine).get_table_names():
        return EMPTY
    meta = MetaData()
    meta.reflect(warehouse.engine, only=[name])
    t = meta.tables[name]
    stmt = select(t).where(t.c.artist_id == artist_id)
    if "day" in t.c and first is not None and last is not None:
        stmt = stmt.where(t.c.day.between(first, last))
    if "removed_run" in t.c:
        stmt = stmt.where(t.c.removed_run.is_(None))
    with warehouse.engine.connect() as conn:
        frame = pd.DataFrame([dict(r._mapping) for r in conn.execute(stmt)], columns=list(t.c.keys()))
    if "day" in frame and not frame.empty:
        frame["day"] = pd.to_datetime(frame["day"]).dt.date
    return frame


def load_streaming(warehouse: Warehouse, *, artist_id: str, start: date, end: date) -> StreamingView:
    """Read one artist's streaming tables for ``[start, end]`` (days inclusive, UTC).

    The rolling sums and deltas are stored with each day (computed over the full history by
    ``analytics.streaming.aggregate``), so reading only the window loses nothing.

    Raises
    ------
    ValueError : ``end`` is before ``start``.
    """
    if end < start:
        raise ValueError(f"the window ends ({end}) before it starts ({start})")
    artists = _rows(warehouse, "artists", artist_id=artist_id)
    tracks = _rows(warehouse, "tracks", artist_id=artist_id)
    view = StreamingView(
        artist_id=artist_id,
        name=str(artists["name"].iloc[0]) if not artists.empty else artist_id,
        start=start,
        end=end,
        tracks=dict(zip(tracks.get("track_id", []), tracks.get("name", []), strict=True)),
    )
    view.metrics = _rows(warehouse, "stream_metrics_daily", artist_id=artist_id, first=start, last=end)
    view.countries = _rows(warehouse, "stream_country_daily", artist_id=artist_id, first=start, last=end)
    view.anomalies = _rows(warehouse, "stream_anomalies", artist_id=artist_id, first=start, last=end)
    coverage = stream_coverage(warehouse)
    view.coverage = coverage[coverage["artist_id"] == artist_id].reset_index(drop=True)
    if not view.metrics.empty:
        view.source = pick_source(view.metrics[view.metrics["level"] == "artist"]) or pick_source(
            view.metrics
        )
    return view


def _number(value: Any) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    number = float(value)
    return f"{number:,.0f}" if abs(number) >= 100 else f"{number:.3g}"


def _fact(name: str, value: Any) -> str:
    label = name.replace("_", " ")
    if isinstance(value, dict) and "value" in value:
        z = value.get("z")
        typical = f"typical {_number(value.get('typical'))}" if value.get("typical") is not None else ""
        spread = f"robust z {float(z):+.1f}" if z is not None else ""
        return f"{label} {_number(value['value'])} ({', '.join(p for p in (typical, spread) if p)})"
    return f"{label} {value if isinstance(value, str) else _number(value)}"


def explain_anomalies(anomalies: pd.DataFrame, *, tracks: dict[str, str]) -> pd.DataFrame:
    """One row per anomaly with what it concerns and its evidence in words, newest first.

    Parameters
    ----------
    anomalies : rows of ``stream_anomalies`` (``features`` a dict of contributing facts).
    tracks : track id -> name (artist-level anomalies concern "all tracks").

    Returns
    -------
    ``day``, ``what``, ``kind``, ``detector``, ``observed``, ``expected``, ``range``,
    ``score``, ``because`` and ``model_version``.
    """
    columns = ["day", "what", "kind", "detector", "observed", "expected", "range", "score", "because"]
    if anomalies.empty:
        return pd.DataFrame(columns=[*columns, "model_version"])
    rows = []
    for a in anomalies.sort_values(["day", "score"], ascending=[False, False]).to_dict("records"):
        features = a.get("features") or {}
        low, high = a.get("expected_low"), a.get("expected_high")
        rows.append(
            {
                "day": a["day"],
                "what": "all tracks"
                if a["level"] == "artist"
                else tracks.get(a["entity_id"], a["entity_id"]),
                "kind": str(a["kind"]).replace("_", " "),
                "detector": a["detector"],
                "observed": f"{str(a['metric']).replace('_', ' ')} {_number(a['observed'])}",
                "expected": _number(a.get("expected")),
                "range": f"{_number(low)} to {_number(high)}",
                "score": round(float(a["score"]), 2),
                "because": "; ".join(_fact(k, v) for k, v in features.items())
                if isinstance(features, dict)
                else "",
                "model_version": a["model_version"],
            }
        )
    return pd.DataFrame(rows, columns=[*columns, "model_version"])


def rolling_sums(daily: pd.DataFrame, *, title: str = "Rolling streams") -> go.Figure:
    """Rolling 7- and 28-day stream sums (lines) over the daily streams (bars).

    Parameters
    ----------
    daily : one row per day with ``streams``, ``streams_7d`` and ``streams_28d``.
    """
    df = daily.sort_values("day")
    fig = go.Figure(
        go.Bar(
            x=df["day"],
            y=df["streams"],
            name="streams a day",
            marker_color="#d0d5dd",
            hovertemplate="%{x|%a %d %b}: %{y:,} streams<extra></extra>",
        )
    )
    for column, label, colour in (
        ("streams_7d", "7-day sum", PALETTE[0]),
        ("streams_28d", "28-day sum", PALETTE[1]),
    ):
        fig.add_trace(
            go.Scatter(
                x=df["day"],
                y=df[column],
                name=label,
                mode="lines",
                line={"color": colour, "width": 2},
                yaxis="y2" if column == "streams_28d" else "y",
                hovertemplate=f"%{{x|%d %b}}: %{{y:,}} ({label})<extra></extra>",
            )
        )
    fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "rangemode": "tozero"})
    return finish(fig, title=title, height=340, yaxis_rangemode="tozero", hovermode="x unified")


def listening_rates(daily: pd.DataFrame, *, title: str = "Listening rates") -> go.Figure:
    """Skip, completion and save rates by day (0-1); days a source does not report are gaps."""
    df = daily.sort_values("day")
    fig = go.Figure()
    for n, (column, label) in enumerate(RATES.items()):
        if column in df and df[column].notna().any():
            fig.add_trace(
                go.Scatter(
                    x=df["day"],
                    y=df[column],
                    name=label,
                    mode="lines",
                    line={"color": PALETTE[n], "width": 2},
                    hovertemplate=f"%{{x|%d %b}}: %{{y:.1%}} {label}<extra></extra>",
                )
            )
    return finish(fig, title=title, height=300, yaxis_tickformat=".0%", yaxis_rangemode="tozero")


def anomaly_timeline(explained: pd.DataFrame, *, title: str = "Anomalies") -> go.Figure:
    """Each anomaly as a marker: day across, what it concerns down, coloured by kind.

    Parameters
    ----------
    explained : from :func:`explain_anomalies`.
    """
    fig = go.Figure()
    for kind, part in explained.groupby("kind", sort=True):
        fig.add_trace(
            go.Scatter(
                x=part["day"],
                y=[plot_text(w, max_chars=28) for w in part["what"]],
                mode="markers",
                name=plot_text(kind),
                marker={
                    "size": 11,
                    "symbol": "diamond",
                    "color": KIND_COLOURS.get(str(kind).replace(" ", "_"), PALETTE[4]),
                    "line": {"color": "#fff", "width": 1},
                },
                customdata=[
                    [plot_text(o, max_chars=40), plot_text(e), plot_text(b, max_chars=120)]
                    for o, e, b in zip(part["observed"], part["expected"], part["because"], strict=True)
                ],
                hovertemplate="%{x|%d %b} %{y}<br>%{customdata[0]} (expected %{customdata[1]})"
                "<br>%{customdata[2]}<extra></extra>",
            )
        )
    rows = max(explained["what"].nunique(), 1) if not explained.empty else 1
    return finish(fig, title=title, height=160 + 28 * rows)


def coverage(view: StreamingView) -> None:
    """Which sources cover the artist, and over which days."""
    heading(f"{view.name}: streaming sources", level=2, anchor="sources")
    if view.coverage.empty:
        note(NO_STREAMING, kind="missing")
        return
    table(view.coverage, caption="stream_metrics_daily by source and level, all stored days")
    if view.source:
        note(f"Figures below use the {view.source} source; pass another to the functions to compare.")


def daily_metrics(view: StreamingView) -> None:
    """Artist-level daily metrics of the window, with the rolling sums and their deltas."""
    heading("Daily metrics and rolling sums", anchor="daily")
    daily = view.artist_daily()
    if daily.empty:
        note(
            NO_STREAMING if not view.has_streaming else "No artist-level rows in this window.", kind="missing"
        )
        return
    show(rolling_sums(daily, title=f"Streams, 7- and 28-day sums ({view.source})"))
    rates = view.rates_source
    if rates is None:
        note("No skip or completion rates: they come from play events (streaming history or real-time).")
    else:
        show(listening_rates(view.artist_daily(rates), title=f"Skip, completion and save rates ({rates})"))
    table(
        daily[[c for c in DAILY_COLUMNS if c in daily]].round(3),
        max_rows=120,
        caption="Listeners are each day's figure from the source: never summed over days (Spotify's "
        "monthly listeners are distinct people over 28 days).",
    )


def track_table(view: StreamingView, *, top: int = 15) -> None:
    """The window's tracks by streams with their rates."""
    heading("Tracks", anchor="tracks")
    rows = view.track_daily()
    if rows.empty:
        note("The source has no per-track numbers for this artist in this window.", kind="missing")
        return
    totals = (
        rows.groupby("track", as_index=False)
        .agg(
            streams=("streams", "sum"),
            days=("day", "nunique"),
            streams_per_listener=("streams_per_listener", "median"),
            skip_rate=("skip_rate", "median"),
            completion_rate=("completion_rate", "median"),
        )
        .sort_values("streams", ascending=False)
        .round(3)
    )
    table(totals, max_rows=top, caption="Streams summed over the window; rates are daily medians.")


def countries(view: StreamingView) -> None:
    """Streams by country (play events only)."""
    heading("Countries", anchor="countries")
    if view.countries.empty:
        note(
            "No plays with a country: countries come from the streaming history or real-time plays.",
            kind="missing",
        )
        return
    show(
        country_bars(
            country_totals(view.countries, start=view.start, end=view.end), title="Streams by country"
        )
    )


def anomalies(view: StreamingView) -> pd.DataFrame:
    """Every anomaly of the window with its evidence; returns the explained table."""
    heading("Anomalies and why", anchor="anomalies")
    explained = explain_anomalies(view.anomalies, tracks=view.tracks)
    if explained.empty:
        note("No anomaly was stored for this artist in this window.", kind="info")
        return explained
    daily = view.artist_daily()
    if not daily.empty:
        artist_level = view.anomalies[
            (view.anomalies["level"] == "artist") & (view.anomalies["source"] == view.source)
        ]
        show(
            streams_over_time(
                daily, anomalies=artist_level, title=f"Streams a day and anomalies ({view.source})"
            )
        )
    show(anomaly_timeline(explained, title="Anomalies by track and kind"))
    counts = explained.groupby(["kind", "detector"]).size().rename("anomalies").reset_index()
    table(counts, caption="Anomalies by kind and detector")
    table(
        explained, max_rows=60, caption="Observed against the expected range, and the facts that drove each."
    )
    return explained
