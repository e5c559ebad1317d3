"""Streaming figures: streams and listeners over time, top tracks' momentum, countries."""

from __future__ import annotations

from functools import cache

import pandas as pd
import plotly.graph_objects as go

from analytics.reports.style import ALERT, MUTED, PALETTE, finish, plot_text


def streams_over_time(
    daily: pd.DataFrame,
    *,
    anomalies: pd.DataFrame | None = None,
    releases: pd.DataFrame | None = None,
    title: str = "Streams and listeners",
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
    """
    df = daily.sort_values("day")
    fig = go.Figure(
        go.Bar(
            x=df["day"],
            y=df["streams"],
            name="streams",
            marker_color=PALETTE[0],
            hovertemplate="%{x|%a %d %b}: %{y:,} streams<extra></extra>",
        )
    )
    if "listeners" in df and df["listeners"].notna().any():
        fig.add_trace(
            go.Scatter(
                x=df["day"],
                y=df["listeners"],
                name="listeners",
                mode="lines",
                line={"color": PALETTE[1], "width": 2},
                yaxis="y2",
                hovertemplate="%{x|%a %d %b}: %{y:,} listeners<extra></extra>",
            )
        )
        fig.update_layout(
            yaxis2={"overlaying": "y", "side": "right", "showgrid": False, "rangemode": "tozero"}
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
                    name="anomaly",
                    marker={
                        "color": ALERT,
                        "size": 11,
                        "symbol": "diamond",
                        "line": {"color": "#fff", "width": 1},
                    },
                    ids=list(marks["key"]) if "key" in marks else None,
                    customdata=[
                        [plot_text(k), plot_text(m), _num(o), _num(e), plot_text(w)]
                        for k, m, o, e, w in zip(
                            marks["kind"],
                            marks["metric"],
                            marks["observed"],
                            marks["expected"],
                            marks["what"] if "what" in marks else [""] * len(marks),
                            strict=True,
                        )
                    ],
                    hovertemplate="%{x|%d %b}: %{customdata[4]} %{customdata[0]}<br>%{customdata[1]} "
                    "%{customdata[2]} (%{customdata[3]})<extra></extra>",
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
        fig.update_layout(yaxis2_title="listeners a day", yaxis2_tickformat=",d")
    return finish(
        fig,
        title=title,
        height=360,
        bargap=0.15,
        yaxis_rangemode="tozero",
        yaxis_title="streams a day",
        hovermode="x unified",
    )


def _num(value: object) -> str:
    if isinstance(value, str):  # already written for the reader
        return value
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return "—"
    return f"{float(value):,.0f}"  # type: ignore[arg-type]


def top_tracks_momentum(momentum: pd.DataFrame, *, title: str = "Top tracks") -> go.Figure:
    """Horizontal bars of each top track's streams in the period, coloured by momentum.

    Parameters
    ----------
    momentum : from :func:`analytics.reports.measures.track_momentum`: ``name``, ``streams``,
        ``growth`` (change against the previous period, NaN when it had none).
    """
    df = momentum.iloc[::-1]
    growth = df["growth"].astype(float)
    colours = [MUTED if pd.isna(g) else (PALETTE[0] if g >= 0 else ALERT) for g in growth]
    labels = ["new" if pd.isna(g) else f"{g:+.0%}" for g in growth]
    fig = go.Figure(
        go.Bar(
            x=df["streams"],
            y=[plot_text(n, max_chars=32) for n in df["name"]],
            orientation="h",
            marker_color=colours,
            text=labels,
            textposition="auto",
            hovertemplate="%{y}: %{x:,} streams (%{text} vs previous period)<extra></extra>",
        )
    )
    return finish(fig, title=title, height=120 + 34 * len(df), xaxis_title="streams")


@cache
def _territories() -> dict[str, str]:
    from babel import Locale

    return dict(Locale("en").territories)


def country_name(code: object) -> str:
    """English name of an ISO 3166 alpha-2 code; the code itself when unknown."""
    if str(code) == "other":
        return "Other countries"
    text = str(code).upper()
    return _territories().get(text, text)


def country_bars(countries: pd.DataFrame, *, title: str = "Audience by country") -> go.Figure:
    """Horizontal bars: streams per country, largest on top, with each country's share.

    Parameters
    ----------
    countries : ``country`` (ISO alpha-2) and ``streams``, one row per country.
    """
    df = countries.sort_values("streams")
    share = df["streams"] / max(float(df["streams"].sum()), 1.0)
    fig = go.Figure(
        go.Bar(
            x=df["streams"],
            y=[plot_text(country_name(c), max_chars=24) for c in df["country"]],
            orientation="h",
            marker_color=PALETTE[1],
            text=[f"{s:.0%}" for s in share],
            textposition="auto",
            hovertemplate="%{y}: %{x:,} streams (%{text})<extra></extra>",
        )
    )
    return finish(fig, title=title, height=120 + 28 * len(df), xaxis_title="streams")
