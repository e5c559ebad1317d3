"""What notebooks call to show things. Everything that comes from data is escaped here.

Figures travel as plotly JSON (``application/vnd.plotly.v1+json``), not as HTML with scripts:
the page assembler turns them into plots with scripts it writes and trusts (see ``html.py``),
so no script can come from data.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def _display(bundle: Mapping[str, Any]) -> None:
    from IPython.display import display

    display(dict(bundle), raw=True)


def show(fig: go.Figure) -> None:
    """Display a figure in a notebook in a form the report assembler renders offline."""
    _display({PLOTLY_MIME: json.loads(fig.to_json()), "text/plain": f"<figure: {len(fig.data)} traces>"})


def table(df: pd.DataFrame, *, max_rows: int = 50, caption: str | None = None) -> None:
    """An escaped HTML table (at most ``max_rows`` rows, says how many were left out)."""
    shown = df.head(max_rows)
    body = shown.to_html(index=False, escape=True, border=0, classes="encore-table", na_rep="—")
    more = f"<p class='muted'>{len(df) - max_rows} more rows not shown.</p>" if len(df) > max_rows else ""
    cap = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
    _display({"text/html": f"{cap}{body}{more}", "text/plain": shown.to_string()})


def heading(text: str, *, level: int = 2) -> None:
    level = min(max(level, 1), 4)
    _display({"text/html": f"<h{level}>{html.escape(text)}</h{level}>", "text/plain": text})


def note(text: str, *, kind: str = "info") -> None:
    """A short paragraph: ``info``, ``missing`` (data not available and why) or ``warning``."""
    css = kind if kind in {"info", "missing", "warning"} else "info"
    _display({"text/html": f"<p class='note {css}'>{html.escape(text)}</p>", "text/plain": text})


def metric_cards(cards: Iterable[Mapping[str, Any]]) -> None:
    """Headline numbers: each card has ``label``, ``value`` and optional ``delta``/``hint``."""
    parts = []
    for card in cards:
        delta = card.get("delta")
        delta_html = f"<div class='delta'>{html.escape(str(delta))}</div>" if delta not in (None, "") else ""
        hint = card.get("hint")
        hint_html = f"<div class='hint'>{html.escape(str(hint))}</div>" if hint else ""
        parts.append(
            "<div class='card'>"
            f"<div class='label'>{html.escape(str(card['label']))}</div>"
            f"<div class='value'>{html.escape(str(card['value']))}</div>{delta_html}{hint_html}</div>"
        )
    _display({"text/html": f"<div class='cards'>{''.join(parts)}</div>", "text/plain": str(list(cards))})
