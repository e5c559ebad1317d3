"""One look for every figure: the plotly template, the palette and how data text is shown."""

from __future__ import annotations

import html
import re

import plotly.graph_objects as go
import plotly.io as pio

from analytics.reports.texts import TEXTS, check_language

PALETTE = ["#1db954", "#2e77d0", "#f59b23", "#af2896", "#e8115b", "#148a08", "#509bf5", "#8d67ab"]
MUTED = "#98a2b3"
ALERT = "#e8115b"

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
        xaxis={"gridcolor": "#eef0f3", "zeroline": False, "automargin": True},
        yaxis={"gridcolor": "#eef0f3", "zeroline": False, "automargin": True},
        legend={"orientation": "h", "y": -0.18},
    )
)
TEMPLATE = "encore"


# Bidirectional controls (a U+202E in a name would show the rest of the line reversed) and the
# other control characters that have no business in displayed text.
_UNSHOWABLE = re.compile(
    "[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


def display_text(value: object) -> str:
    """Data text as a reader should see it: without bidi overrides or control characters."""
    return _UNSHOWABLE.sub("", str(value))


def plot_text(value: object, *, max_chars: int = 60) -> str:
    """Data text as plotly should show it: escaped once, one line, shortened with an ellipsis.

    Plotly reads a small subset of HTML in text (``<b>``, ``<a>``…), so a title from data must be
    escaped to show as the characters it is. Only ``&``, ``<`` and ``>`` are escaped: plotly
    decodes those entities but shows ``&quot;`` as written.
    """
    text = " ".join(display_text(value).split())
    if len(text) > max_chars:
        text = text[: max_chars - 1] + "…"
    return html.escape(text, quote=False)


def finish(fig: go.Figure, *, title: str, height: int = 340, **layout: object) -> go.Figure:
    """Apply the template, a title and a height; small screens get a compact legend."""
    fig.update_layout(template=TEMPLATE, title={"text": title, "x": 0.01}, height=height, **layout)
    return fig


def chart_words(language: str) -> dict[str, str]:
    """The words charts draw (the ``chart.*`` texts) in ``language``, by their short name:
    ``chart_words("fr")["streams"]`` is "écoutes", ``["day_format"]`` the d3 format of a day."""
    prefix = "chart."
    table = TEXTS[check_language(language)]
    return {key[len(prefix) :]: value for key, value in table.items() if key.startswith(prefix)}


def named_bars(
    values: list[float],
    *,
    names: list[str],
    labels: list[str],
    title: str | dict[str, object],
    colour: str,
    hover: str,
    room: float,
    pad: float = 0.0,
) -> go.Figure:
    """Horizontal bars, each with its name written above it and its label at its end, no axes:
    long names never squeeze the bars or run off a phone's screen (Tracks per release, How
    plays started). The first value is drawn at the bottom.

    Parameters
    ----------
    values : each bar's length.
    names : written above each bar (and on hover, as ``%{customdata}``).
    labels : written at each bar's end (``%{text}``).
    title : the chart's title (plotly's title text or dict).
    colour : the bars' colour.
    hover : the hover template.
    room : the x range reaches ``room`` times the longest bar (plus ``pad``), for the labels.
    """
    fig = go.Figure(
        go.Bar(
            x=values,
            y=list(range(len(values))),
            orientation="h",
            width=0.45,
            customdata=names,
            text=labels,
            textposition="outside",
            cliponaxis=False,
            hovertemplate=hover,
            marker_color=colour,
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
    most = max(values, default=0.0) or 1.0
    fig.update_layout(
        template=TEMPLATE,
        title=title,
        height=90 + 58 * len(values),
        margin={"l": 12, "r": 12, "t": 48, "b": 16},
        showlegend=False,
    )
    fig.update_xaxes(visible=False, range=[0, most * room + pad])
    fig.update_yaxes(visible=False, range=[-0.6, len(values) - 0.1])
    return fig
