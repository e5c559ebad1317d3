"""Figure builders: data in, ``plotly.graph_objects.Figure`` out. No I/O, no display.

One template for every figure; every label that comes from data goes through
:func:`plot_text`, because plotly reads a small subset of HTML in text (``<b>``, ``<a>``…)
and a title from data must show as the characters it is.
"""

from __future__ import annotations

import html

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

PALETTE = ["#1db954", "#2e77d0", "#f59b23", "#af2896", "#e8115b", "#148a08", "#509bf5", "#8d67ab"]

pio.templates["encore"] = go.layout.Template(
    layout=go.Layout(
        font={
            "family": "system-ui, -apple-system, Segoe UI, Roboto, Arial, sans-serif",
            "size": 13,
            "color": "#1d2330",
        },
        colorway=PALETTE,
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        margin={"l": 48, "r": 16, "t": 48, "b": 40},
        hoverlabel={"font": {"size": 12}},
        xaxis={"gridcolor": "#eef0f3", "zeroline": False},
        yaxis={"gridcolor": "#eef0f3", "zeroline": False},
        legend={"orientation": "h", "y": -0.18},
    )
)
TEMPLATE = "encore"


def plot_text(value: object, *, max_chars: int = 60) -> str:
    """Data text as plotly should show it: escaped, one line, shortened with an ellipsis."""
    text = " ".join(str(value).split())
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return html.escape(text)


def tracks_per_release(albums: pd.DataFrame, tracks: pd.DataFrame) -> go.Figure:
    """Horizontal bars: number of tracks and total minutes per release, newest first.

    Parameters
    ----------
    albums : catalog albums (album_id, name, album_group, release_date).
    tracks : catalog tracks (album_id, duration_ms).
    """
    per_album = tracks.groupby("album_id").agg(tracks=("album_id", "size"), ms=("duration_ms", "sum"))
    df = albums.merge(per_album, left_on="album_id", right_index=True, how="left").fillna(
        {"tracks": 0, "ms": 0}
    )
    df = df.sort_values("release_date")
    labels = [
        f"{plot_text(n, max_chars=40)} ({plot_text(g)})"
        for n, g in zip(df["name"], df["album_group"], strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=df["tracks"],
            y=labels,
            orientation="h",
            customdata=(df["ms"] / 60000).round(1),
            hovertemplate="%{y}<br>%{x} tracks, %{customdata} min<extra></extra>",
            marker_color=PALETTE[0],
        )
    )
    fig.update_layout(
        template=TEMPLATE, title="Tracks per release", height=120 + 36 * len(df), xaxis_title="tracks"
    )
    fig.update_yaxes(automargin=True)
    return fig


def duration_distribution(tracks: pd.DataFrame) -> go.Figure:
    """Histogram of track durations in minutes, one colour per artist name when given."""
    minutes = tracks["duration_ms"] / 60000
    fig = go.Figure(
        go.Histogram(
            x=minutes, nbinsx=20, marker_color=PALETTE[1], hovertemplate="%{x} min: %{y}<extra></extra>"
        )
    )
    fig.update_layout(
        template=TEMPLATE, title="Track durations", xaxis_title="minutes", yaxis_title="tracks", height=320
    )
    return fig
