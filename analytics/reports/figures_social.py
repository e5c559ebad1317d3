"""Social figures: followers across platforms over time."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.reports.style import PALETTE, finish, plot_text

PLATFORM_NAMES = {"instagram": "Instagram", "youtube": "YouTube", "tiktok": "TikTok", "x": "X"}


def social_audience(snapshots: pd.DataFrame, *, title: str = "Followers across platforms") -> go.Figure:
    """One line per platform: followers by day (days without a number are gaps, not zeros).

    Parameters
    ----------
    snapshots : ``platform``, ``day``, ``followers`` (NaN when the platform hides the number).
    """
    fig = go.Figure()
    for i, (platform, part) in enumerate(snapshots.sort_values("day").groupby("platform", sort=True)):
        name = plot_text(PLATFORM_NAMES.get(str(platform), platform), max_chars=24)
        fig.add_trace(
            go.Scatter(
                x=part["day"],
                y=part["followers"],
                name=name,
                mode="lines",
                connectgaps=False,
                line={"color": PALETTE[i % len(PALETTE)], "width": 2},
                hovertemplate=f"{name} %{{x|%d %b}}: %{{y:,}} followers<extra></extra>",
            )
        )
    return finish(fig, title=title, height=320, yaxis_title="followers", hovermode="x unified")
