"""Figure builders: data in, ``plotly.graph_objects.Figure`` out. No I/O, no display.

One template for every figure (``style.py``); every label that comes from data goes through
:func:`plot_text`, because plotly reads a small subset of HTML in text (``<b>``, ``<a>``…)
and a title from data must show as the characters it is. The builders of each report section
live in ``figures_streaming``, ``figures_social`` and ``figures_audio``; this module gathers them.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from analytics.reports.figures_audio import (
    binned,
    binned_bars,
    key_bars,
    loudness_against_norm,
    sounds_like_map,
    tempo_histogram,
)
from analytics.reports.figures_social import social_audience
from analytics.reports.figures_streaming import country_bars, streams_over_time, top_tracks_momentum
from analytics.reports.style import PALETTE, TEMPLATE, chart_words, named_bars, plot_text
from analytics.reports.texts import TEXTS, text
from analytics.reports.words import unit

__all__ = [
    "PALETTE",
    "TEMPLATE",
    "binned",
    "country_bars",
    "duration_distribution",
    "key_bars",
    "loudness_against_norm",
    "plot_text",
    "social_audience",
    "sounds_like_map",
    "streams_over_time",
    "tempo_histogram",
    "top_tracks_momentum",
    "tracks_per_release",
]


def tracks_per_release(albums: pd.DataFrame, tracks: pd.DataFrame, *, language: str = "en") -> go.Figure:
    """Horizontal bars: number of tracks and total minutes per release, newest on top.

    Each release's name is written above its bar and its count at the bar's end, rather than as
    axis labels: long release names then never squeeze the bars or run off a phone's screen, and
    no axis of whole numbers is crowded into a narrow plot.

    Parameters
    ----------
    albums : catalog albums (album_id, name, album_group, release_date).
    tracks : catalog tracks (album_id, duration_ms).
    language : en, fr or de: the chart's words and counts.
    """
    per_album = tracks.groupby("album_id").agg(tracks=("album_id", "size"), ms=("duration_ms", "sum"))
    df = albums.merge(per_album, left_on="album_id", right_index=True, how="left").fillna(
        {"tracks": 0, "ms": 0}
    )
    df = df.sort_values("release_date").reset_index(drop=True)
    names = [
        f"{plot_text(n, max_chars=38)} ({plot_text(_album_group(g, language=language))})"  # "appears on"
        for n, g in zip(df["name"], df["album_group"], strict=True)
    ]
    minutes = (df["ms"] / 60000).round(0).astype(int)
    # room on the right for "10 tracks · 41 min" beside the longest bar; no axis: the numbers are
    # on the bars
    return named_bars(
        [float(v) for v in df["tracks"]],
        names=names,
        labels=[
            text("chart.release_bar", language=language, count=int(t), minutes=m)
            for t, m in zip(df["tracks"], minutes, strict=True)
        ],
        title=text("figure.tracks_per_release", language=language),
        colour=PALETTE[0],
        hover="%{customdata}<br>%{text}<extra></extra>",
        room=1.7,
        pad=0.5,
    )


def duration_distribution(tracks: pd.DataFrame, *, language: str = "en") -> go.Figure:
    """Tracks by length in half-minute bins, drawn as touching bars (words in ``language``)."""
    fig = binned_bars(
        tracks["duration_ms"] / 60000,
        width=0.5,
        color=PALETTE[1],
        bounds="{:g}",
        unit=unit("minutes", language=language),
        counted=chart_words(language)["tracks"],
    )
    fig.update_layout(
        template=TEMPLATE,
        title=text("figure.durations", language=language),
        xaxis_title=text("chart.minutes", language=language),
        yaxis_title=text("chart.tracks", language=language),
        height=320,
    )
    return fig


def _album_group(group: object, *, language: str) -> str:
    """A release's relation to the artist in words: "album", "appears on", "Mitwirkung"."""
    key = f"album_group.{group}"
    return text(key, language=language) if key in TEXTS[language] else str(group).replace("_", " ")
