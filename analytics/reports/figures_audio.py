"""Audio figures: tempo, keys, loudness against streaming normalisation, a similarity map."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from babel.numbers import format_decimal

from analytics.reports.style import ALERT, MUTED, PALETTE, chart_words, finish, plot_text
from analytics.reports.texts import text
from analytics.reports.words import pitch_names, unit

PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
STREAMING_NORM_LUFS = -14.0
"""Spotify plays tracks at about -14 LUFS integrated: louder masters are turned down."""


def binned(values: pd.Series, *, width: float) -> pd.DataFrame:
    """Counts of ``values`` in bins of ``width`` aligned on multiples of it, empty bins kept.

    Histograms are drawn as bars of these counts: the page's plotly.js bundle draws bars, and
    the numbers shown are the ones computed here, not re-binned in the browser.

    Returns
    -------
    DataFrame with ``low``, ``high``, ``middle`` and ``count``, one row per bin from the lowest
    value's bin to the highest's.
    """
    clean = pd.to_numeric(values, errors="coerce").dropna()
    if clean.empty:
        return pd.DataFrame({"low": [], "high": [], "middle": [], "count": []})
    index = (clean // width).astype(int)
    counts = index.value_counts().reindex(range(int(index.min()), int(index.max()) + 1), fill_value=0)
    low = counts.index.to_numpy() * width
    return pd.DataFrame(
        {"low": low, "high": low + width, "middle": low + width / 2, "count": counts.to_numpy()}
    )


def binned_bars(
    values: pd.Series, *, width: float, color: str, bounds: str, unit: str, counted: str
) -> go.Figure:
    """Tracks counted in bins of ``width`` (:func:`binned`), drawn as touching bars.

    ``bounds`` formats each bin's edges in its hover text (``"{:g}"``), followed by ``unit``,
    then the count and ``counted`` (what is counted, in the page's language); the count axis
    shows whole tracks only, never 0.2 of one.
    """
    bins = binned(values, width=width)
    fig = go.Figure(
        go.Bar(
            x=bins["middle"],
            y=bins["count"],
            width=width,
            marker={"color": color, "line": {"color": "#fff", "width": 1}},
            customdata=[
                f"{bounds.format(lo)}–{bounds.format(hi)}"
                for lo, hi in zip(bins["low"], bins["high"], strict=True)
            ],
            hovertemplate=f"%{{customdata}} {unit}: %{{y}} {counted}<extra></extra>",
        )
    )
    fig.update_yaxes(tickformat="d", rangemode="tozero", dtick=1 if bins["count"].max() <= 10 else None)
    return fig


def tempo_histogram(features: pd.DataFrame, *, title: str | None = None, language: str = "en") -> go.Figure:
    """Tracks by tempo (BPM) in 10-BPM bins, drawn as touching bars.

    Parameters
    ----------
    features : ``tempo_bpm`` per track.
    title : the chart's title; "Tempo" in ``language`` by default.
    language : en, fr or de: the chart's words.
    """
    words = chart_words(language)
    fig = binned_bars(
        features["tempo_bpm"],
        width=10,
        color=PALETTE[2],
        bounds="{:.0f}",
        unit=unit("bpm", language=language),
        counted=words["tracks"],
    )
    return finish(
        fig,
        title=title or text("figure.tempo", language=language),
        height=300,
        xaxis_title=words["beats_per_minute"],
        yaxis_title=words["tracks"],
    )


def key_bars(features: pd.DataFrame, *, title: str | None = None, language: str = "en") -> go.Figure:
    """How many tracks are in each of the twelve pitch classes, major and minor stacked.

    Parameters
    ----------
    features : ``key`` (pitch class name such as ``"F#"``, or 0-11) and ``mode``
        (``major``/``minor`` or 1/0) per track.
    title : the chart's title; "Keys" in ``language`` by default.
    language : en, fr or de: the chart's words and the names of the notes (German names B "H").
    """
    words = chart_words(language)
    names = pitch_names(language=language)  # German names the note a semitone under C "H"
    keys = [_pitch_class(k) for k in features["key"]]
    modes = [_mode(m) for m in features["mode"]]
    fig = go.Figure()
    for mode, colour in (("major", PALETTE[0]), ("minor", PALETTE[3])):
        counts = [
            sum(1 for k, m in zip(keys, modes, strict=True) if k == pc and m == mode) for pc in PITCH_CLASSES
        ]
        fig.add_trace(
            go.Bar(
                x=list(names),
                y=counts,
                name=words[mode],
                marker_color=colour,
                hovertemplate=f"%{{x}} {words[mode]}: %{{y}} {words['tracks']}<extra></extra>",
            )
        )
    fig = finish(
        fig,
        title=title or text("figure.keys", language=language),
        height=300,
        barmode="stack",
        yaxis_title=words["tracks"],
        bargap=0.25,
        legend_traceorder="normal",
    )
    top = max((sum(1 for k in keys if k == pc) for pc in PITCH_CLASSES), default=0)
    fig.update_xaxes(type="category", tickangle=0)
    fig.update_yaxes(tickformat="d", rangemode="tozero", dtick=1 if top <= 10 else None)
    return fig


def _pitch_class(value: object) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, int | float):
        return PITCH_CLASSES[int(value) % 12]
    text = str(value).strip().replace("s", "#")
    return text if text in PITCH_CLASSES else None


def _mode(value: object) -> str:
    if isinstance(value, int | float) and not pd.isna(value):
        return "major" if int(value) == 1 else "minor"
    return "minor" if str(value).lower().startswith("min") else "major"


def loudness_against_norm(
    features: pd.DataFrame,
    *,
    norm_lufs: float = STREAMING_NORM_LUFS,
    title: str | None = None,
    language: str = "en",
) -> go.Figure:
    """Each track's integrated loudness against the streaming norm (dashed line).

    Louder masters are turned down by the difference on Spotify; the hover says by how much.

    Parameters
    ----------
    features : ``name`` and ``loudness_lufs`` per track.
    title : the chart's title; "Loudness vs streaming" in ``language`` by default.
    language : en, fr or de: the chart's words and numbers.
    """
    words = chart_words(language)

    def decibels(value: float) -> str:
        return str(format_decimal(round(value, 1), format="0.0", locale=language))

    df = features.dropna(subset=["loudness_lufs"]).sort_values("loudness_lufs")
    over = df["loudness_lufs"] - norm_lufs
    fig = go.Figure(
        go.Bar(
            x=over,
            y=[plot_text(n, max_chars=32) for n in df["name"]],
            orientation="h",
            base=norm_lufs,
            marker_color=[ALERT if o > 1 else (PALETTE[0] if o >= -3 else MUTED) for o in over],
            customdata=[
                text("chart.turned_down", language=language, db=decibels(o))
                if o > 0
                else text("chart.below_norm", language=language, db=decibels(-o))
                for o in over
            ],
            text=[decibels(v) for v in df["loudness_lufs"]],
            textposition="outside",
            cliponaxis=False,
            hovertemplate=f"%{{y}}: %{{text}} {unit('lufs', language=language)}, %{{customdata}}<extra></extra>",
        )
    )
    fig.add_vline(x=norm_lufs, line={"color": "#1d2330", "dash": "dash"})
    fig.add_annotation(
        x=norm_lufs,
        y=1,
        yref="paper",
        text=f"{format_decimal(norm_lufs, locale=language)} {unit('lufs', language=language)}",
        showarrow=False,
        yanchor="bottom",
    )
    low = min(float(df["loudness_lufs"].min()), norm_lufs) if not df.empty else norm_lufs
    high = max(float(df["loudness_lufs"].max()), norm_lufs) if not df.empty else norm_lufs
    fig.update_xaxes(range=[low - 2.5, high + 1.5])  # room for the values printed beside the bars
    return finish(
        fig,
        title=title or text("figure.loudness", language=language),
        height=130 + 30 * len(df),
        xaxis_title=words["lufs_integrated"],
    )


def sounds_like_map(points: pd.DataFrame, *, title: str | None = None, language: str = "en") -> go.Figure:
    """Tracks placed by how they sound (close = similar), coloured by cluster.

    Parameters
    ----------
    points : from :func:`analytics.reports.measures.audio_map`: ``name``, ``x``, ``y``,
        ``cluster``, ``group`` (in words), ``nearest`` (the most similar other track) and ``why``.
    title : the chart's title; "Sounds like" in ``language`` by default.
    language : en, fr or de: the chart's own words (the group names and reasons come with the
        points).
    """
    words = chart_words(language)
    fig = go.Figure()
    positions = _label_positions(points)
    for cluster, part in points.groupby("cluster", sort=True):
        group = str(part["group"].iloc[0]) if "group" in part else ""
        fig.add_trace(
            go.Scatter(
                x=part["x"],
                y=part["y"],
                mode="markers+text",
                name=plot_text(
                    group or text("chart.group", language=language, number=int(cluster) + 1), max_chars=36
                ),
                text=[plot_text(n, max_chars=18) for n in part["name"]],
                textposition=[positions[i] for i in part.index],
                marker={
                    "size": 13,
                    "color": PALETTE[int(cluster) % len(PALETTE)],
                    "line": {"color": "#fff", "width": 1},
                },
                customdata=[
                    [plot_text(n, max_chars=40), plot_text(w, max_chars=60)]
                    for n, w in zip(part["nearest"], part.get("why", [""] * len(part)), strict=True)
                ],
                hovertemplate=(
                    f"%{{text}}<br>{words['closest']}: %{{customdata[0]}}<br>%{{customdata[1]}}<extra></extra>"
                ),
            )
        )
    fig.update_xaxes(showticklabels=False, title=None, range=_padded(points["x"], share=0.2))
    fig.update_yaxes(showticklabels=False, title=None, range=_padded(points["y"], share=0.15))
    return finish(
        fig,
        title=title or text("figure.sounds_like", language=language),
        height=380,
        legend={"orientation": "h", "y": -0.05},
    )


def _padded(values: pd.Series, *, share: float) -> list[float] | None:
    """The values' range widened by ``share`` of it on each side: room for the names written
    beside the points at the edges, which plotly would otherwise cut off."""
    if values.empty:
        return None
    low, high = float(values.min()), float(values.max())
    pad = (high - low) * share or 1.0
    return [low - pad, high + pad]


def _label_positions(points: pd.DataFrame) -> dict[object, str]:
    """Where each point's name goes: above it, or below when a point close by has its name
    above, so names of near points do not print over each other; left or right at the edges."""
    if points.empty:
        return {}
    span_x = float(points["x"].max() - points["x"].min()) or 1.0
    span_y = float(points["y"].max() - points["y"].min()) or 1.0
    placed: list[tuple[float, float, str]] = []
    positions: dict[object, str] = {}
    for index, row in points.sort_values("y", ascending=False).iterrows():
        x, y = (
            (float(row["x"]) - float(points["x"].min())) / span_x,
            (float(row["y"]) - float(points["y"].min())) / span_y,
        )
        crowded = any(abs(x - px) < 0.3 and abs(y - py) < 0.15 and side == "top" for px, py, side in placed)
        side = "bottom" if crowded else "top"
        horizontal = "right" if x < 0.12 else "left" if x > 0.88 else "center"
        positions[index] = f"{side} {horizontal}"
        placed.append((x, y, side))
    return positions
