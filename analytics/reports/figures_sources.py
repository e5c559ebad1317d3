"""Where streams come from: how plays started, as bars a phone can read."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.reports.style import PALETTE, TEMPLATE
from analytics.reports.texts import check_language, text
from analytics.reports.words import percent


def play_start_bars(shares: pd.DataFrame, *, title: str, language: str = "en") -> go.Figure:
    """Horizontal bars: the share of streams for each way a play started, the first way on top.

    Each way's name is written above its bar and its share at the bar's end (no axis labels),
    as Tracks per release does, so the words never squeeze the bars on a 390 px screen.

    Parameters
    ----------
    shares : ``way`` and ``share`` (0-1), as :func:`analytics.streaming.play_starts.way_shares` gives.
    title : the chart's title, in ``language``.
    language : en, fr or de: the ways' names and the percentages.
    """
    check_language(language)
    rows = shares.iloc[::-1].reset_index(drop=True)  # plotly draws the first row at the bottom
    names = [text(f"way.{w}", language=language) for w in rows["way"]]
    fig = go.Figure(
        go.Bar(
            x=list(rows["share"]),
            y=list(range(len(rows))),
            orientation="h",
            width=0.45,
            customdata=names,
            text=[percent(s, language=language) for s in rows["share"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{customdata}: %{text}<extra></extra>",
            marker_color=PALETTE[1],
        )
    )
    for row, name in enumerate(names):
        fig.add_annotation(
            x=0,
            xref="paper",
            xanchor="left",
            y=row,
            yref="y",
            yshift=12,
            yanchor="bottom",
            text=name,
            showarrow=False,
            align="left",
            font={"size": 12, "color": "#344054"},
        )
    most = float(rows["share"].max()) if not rows.empty else 1.0
    fig.update_layout(
        template=TEMPLATE,
        title={"text": title, "x": 0.01},
        height=90 + 58 * len(rows),
        margin={"l": 12, "r": 12, "t": 48, "b": 16},
        showlegend=False,
    )
    fig.update_xaxes(visible=False, range=[0, (most or 1.0) * 1.35])
    fig.update_yaxes(visible=False, range=[-0.6, len(rows) - 0.1])
    return fig
