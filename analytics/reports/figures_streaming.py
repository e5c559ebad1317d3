"""Streaming figures: streams and listeners over time, top tracks' momentum, countries."""

from __future__ import annotations

import math
from functools import cache

import pandas as pd
import plotly.graph_objects as go
from babel.numbers import format_decimal, format_percent

from analytics.reports.style import ALERT, MUTED, PALETTE, chart_words, finish, plot_text
from analytics.reports.texts import check_language, text


def streams_over_time(
    daily: pd.DataFrame,
    *,
    anomalies: pd.DataFrame | None = None,
    releases: pd.DataFrame | None = None,
    title: str | None = None,
    language: str = "en",
) -> go.Figure:
    """Daily streams (bars) and listeners (line, right axis), anomalies and releases marked.

    Parameters
    ----------
    daily : one row per day: ``day``, ``streams`` and optionally ``listeners`` (NaN when the
        source has none).
    anomalies : ``day``, ``kind``, ``metric``, ``observed``, ``expected`` of the unusual days to
        mark on the streams (a red marker on the day's bar and its explanation on hover);
        optional ``what`` (the song, named on hover) and ``key`` (the marker's id, which the
        page's table refers to).
    releases : ``name``, ``release_date`` of releases inside the window (a dashed line each).
    title : the chart's title; the section's heading in ``language`` by default.
    language : en, fr or de: every word of the chart (legend, axes, hover) and its dates' format.
    """
    words = chart_words(language)
    df = daily.sort_values("day")
    fig = go.Figure(
        go.Bar(
            x=df["day"],
            y=df["streams"],
            name=words["streams"],
            marker_color=PALETTE[0],
            hovertemplate=f"%{{x|{words['weekday_format']}}}: %{{y:,}} {words['streams']}<extra></extra>",
        )
    )
    if "listeners" in df and df["listeners"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=df["day"],
                y=df["listeners"],
                name=words["listeners"],
                mode="lines",
                line={"color": PALETTE[1], "width": 2},
                yaxis="y2",
                hovertemplate=(
                    f"%{{x|{words['weekday_format']}}}: %{{y:,}} {words['listeners']}<extra></extra>"
                ),
            )
        )
        # Both axes split into the same number of round steps, so that each listeners tick sits
        # on a streams gridline and reads as a round number (not 41, 83, 124).
        streams_step, listeners_step = (
            round_step(float(df[column].max()), intervals=AXIS_INTERVALS)
            for column in ("streams", "listeners")
        )
        fig.update_layout(
            yaxis={"range": [0, streams_step * AXIS_INTERVALS], "dtick": streams_step, "tick0": 0},
            yaxis2={
                "overlaying": "y",
                "side": "right",
                "showgrid": False,
                "range": [0, listeners_step * AXIS_INTERVALS],
                "dtick": listeners_step,
                "tick0": 0,
            },
        )
    if anomalies is not None and not anomalies.empty:
        streams_by_day = df.set_index("day")["streams"]
        marks = anomalies[anomalies["day"].isin(streams_by_day.index)]
        if not marks.empty:
            fig.add_trace(
                go.Scatter(
                    x=marks["day"],
                    y=[streams_by_day[d] for d in marks["day"]],
                    mode="markers",
                    name=words["unusual_day"],
                    marker={
                        "color": ALERT,
                        "size": 11,
                        "symbol": "diamond",
                        "line": {"color": "#fff", "width": 1},
                    },
                    ids=list(marks["key"]) if "key" in marks else None,
                    customdata=[
                        [plot_text(k), plot_text(m), _num(o, language), _num(e, language), plot_text(w)]
                        for k, m, o, e, w in zip(
                            marks["kind"],
                            marks["metric"],
                            marks["observed"],
                            marks["expected"],
                            marks["what"] if "what" in marks else [""] * len(marks),
                            strict=True,
                        )
                    ],
                    hovertemplate=f"%{{x|{words['day_format']}}}: %{{customdata[4]}} %{{customdata[0]}}"
                    "<br>%{customdata[1]} %{customdata[2]} (%{customdata[3]})<extra></extra>",
                )
            )
    for release in (releases if releases is not None else pd.DataFrame()).itertuples():
        fig.add_vline(
            x=pd.Timestamp(release.release_date).timestamp() * 1000, line={"color": MUTED, "dash": "dash"}
        )
        fig.add_annotation(
            x=pd.Timestamp(release.release_date),
            y=1,
            yref="paper",
            text=plot_text(release.name, max_chars=28),
            showarrow=False,
            xanchor="left",
            yanchor="bottom",
            font={"size": 11, "color": "#475467"},
        )
    if "listeners" in df and df["listeners"].notna().any():
        fig.update_layout(yaxis2_title=words["listeners_a_day"], yaxis2_tickformat=",d")
    fig.update_xaxes(tickformat=words["day_format"])
    return finish(
        fig,
        title=title or text("heading.streams", language=language),
        height=360,
        bargap=0.15,
        yaxis_rangemode="tozero",
        yaxis_tickformat=",d",  # thousands grouped as the language does, as on the listeners axis
        yaxis_title=words["streams_a_day"],
        hovermode="x unified",
    )


def _num(value: object, language: str = "en") -> str:
    if isinstance(value, str):  # already written for the reader
        return value
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return str(format_decimal(round(float(value)), locale=language))  # type: ignore[arg-type]


def _percent(share: float, *, language: str, signed: bool = False) -> str:
    """A share as a whole percentage in ``language`` ("+50%", "+50 %"), signed on request."""
    shown = str(format_percent(share, locale=language))
    return f"+{shown}" if signed and share >= 0 else shown


AXIS_INTERVALS = 4


def round_step(largest: float, *, intervals: int) -> float:
    """The smallest round step (1, 2, 2.5 or 5 times a power of ten, at least 1: the axes count
    streams and listeners) with which ``intervals`` steps from zero reach above ``largest``
    (with a little headroom)."""
    raw = largest * 1.05 / intervals
    if not raw > 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)


def top_tracks_momentum(
    momentum: pd.DataFrame, *, title: str | None = None, language: str = "en"
) -> go.Figure:
    """Horizontal bars of each top track's streams in the period, coloured by momentum.

    Parameters
    ----------
    momentum : from :func:`analytics.reports.measures.track_momentum`: ``name``, ``streams``,
        ``growth`` (change against the previous period, NaN when it had none) and, where known,
        ``new``: a bar without growth reads "new" only for a track new against a period with data;
        when the data starts within this period it has no label (nothing earlier to compare).
    title : the chart's title; "Top tracks" in ``language`` by default.
    language : en, fr or de: the chart's words and numbers.
    """
    words = chart_words(language)
    df = momentum.iloc[::-1]
    growth = df["growth"].astype(float)
    colours = [MUTED if pd.isna(g) else (PALETTE[0] if g >= 0 else ALERT) for g in growth]
    new = df["new"].astype(bool) if "new" in df else growth.isna()
    labels = [
        (words["new"] if is_new else "") if pd.isna(g) else _percent(g, language=language, signed=True)
        for g, is_new in zip(growth, new, strict=True)
    ]
    hover = [f"{label} {words['vs_previous']}" if label else words["no_earlier"] for label in labels]
    fig = go.Figure(
        go.Bar(
            x=df["streams"],
            y=[plot_text(n, max_chars=32) for n in df["name"]],
            orientation="h",
            marker_color=colours,
            text=labels,
            textposition="auto",
            customdata=hover,
            hovertemplate=(f"%{{y}}: %{{x:,}} {words['streams']} (%{{customdata}})<extra></extra>"),
        )
    )
    return finish(
        fig,
        title=title or text("toc.top_tracks", language=language),
        height=120 + 34 * len(df),
        xaxis_title=words["streams"],
        xaxis_tickformat=",d",  # thousands grouped as the language does, as on the streams chart
    )


@cache
def _territories(language: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(language).territories)


def country_name(code: object, *, language: str = "en") -> str:
    """Name of an ISO 3166 alpha-2 code in ``language``; the code itself when unknown."""
    if str(code) == "other":
        return text("chart.other_countries", language=language)
    code_ = str(code).upper()
    return _territories(check_language(language)).get(code_, code_)


def country_bars(countries: pd.DataFrame, *, title: str | None = None, language: str = "en") -> go.Figure:
    """Horizontal bars: streams per country, largest on top, with each country's share.

    Parameters
    ----------
    countries : ``country`` (ISO alpha-2) and ``streams``, one row per country.
    title : the chart's title; the section's heading in ``language`` by default.
    language : en, fr or de: country names, words and numbers.
    """
    words = chart_words(language)
    df = countries.sort_values("streams")
    share = df["streams"] / max(float(df["streams"].sum()), 1.0)
    fig = go.Figure(
        go.Bar(
            x=df["streams"],
            y=[plot_text(country_name(c, language=language), max_chars=24) for c in df["country"]],
            orientation="h",
            marker_color=PALETTE[1],
            text=[_percent(s, language=language) for s in share],
            textposition="auto",
            hovertemplate=f"%{{y}}: %{{x:,}} {words['streams']} (%{{text}})<extra></extra>",
        )
    )
    return finish(
        fig,
        title=title or text("heading.countries", language=language),
        height=120 + 28 * len(df),
        xaxis_title=words["streams"],
        xaxis_tickformat=",d",  # thousands grouped as the language does
    )
