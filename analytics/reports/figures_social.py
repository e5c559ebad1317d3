"""Social figures: followers across platforms over time."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import plotly.graph_objects as go

from analytics.reports.style import PALETTE, chart_words, finish, plot_text
from analytics.reports.texts import text
from analytics.reports.words import platform_name


def social_audience(
    snapshots: pd.DataFrame,
    *,
    title: str | None = None,
    start: date | None = None,
    end: date | None = None,
    language: str = "en",
) -> go.Figure:
    """One line per platform: followers by day (days without a number are gaps, not zeros).

    Every day is also a marker, so a single snapshot (a first run) or a day between gaps shows.

    Parameters
    ----------
    snapshots : ``platform``, ``day``, ``followers`` (NaN when the platform hides the number).
    start, end : the report's period: the x axis spans it and every snapshot (days, never
        hours); a snapshot taken today, after a period that ends yesterday, still shows.
    title : the chart's title; "Followers across platforms" in ``language`` by default.
    language : en, fr or de: the chart's words and its dates' format.
    """
    words = chart_words(language)
    fig = go.Figure()
    for i, (platform, part) in enumerate(snapshots.sort_values("day").groupby("platform", sort=True)):
        name = plot_text(platform_name(platform, language=language), max_chars=24)
        fig.add_trace(
            go.Scatter(
                x=part["day"],
                y=part["followers"],
                name=name,
                mode="lines+markers",
                marker={"size": 7},
                connectgaps=False,
                line={"color": PALETTE[i % len(PALETTE)], "width": 2},
                hovertemplate=(
                    f"{name} %{{x|{words['day_format']}}}: %{{y:,}} {words['followers']}<extra></extra>"
                ),
            )
        )
    fig = finish(
        fig,
        title=title or text("figure.followers", language=language),
        height=320,
        yaxis_title=words["followers"],
        hovermode="x unified",
    )
    days = [pd.Timestamp(d) for d in snapshots["day"]] if not snapshots.empty else []
    bounds = days + [pd.Timestamp(d) for d in (start, end) if d is not None]
    if bounds:
        first, last = min(bounds), max(bounds)
        # half a day of margin, and at least a week shown, so one day is not stretched into hours
        last = max(last, first + timedelta(days=6))
        fig.update_xaxes(
            range=[first - timedelta(hours=12), last + timedelta(hours=12)],
            tickformat=words["day_format"],
            type="date",
        )
    return fig
