"""Where streams come from: how plays started, as bars a phone can read."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.reports.style import PALETTE, named_bars
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
    return named_bars(
        list(rows["share"]),
        names=names,
        labels=[percent(s, language=language) for s in rows["share"]],
        title={"text": title, "x": 0.01},
        colour=PALETTE[1],
        hover="%{customdata}: %{text}<extra></extra>",
        room=1.35,
    )
