"""What notebooks call to show things. Everything that comes from data is escaped here.

Figures travel as plotly JSON (``application/vnd.plotly.v1+json``), not as HTML with scripts:
the page assembler turns them into plots with scripts it writes and trusts (see ``html.py``),
so no script can come from data.
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from analytics.reports.style import display_text
from analytics.reports.texts import text as fixed_text

PLOTLY_MIME = "application/vnd.plotly.v1+json"


def _esc(value: object) -> str:
    """Data text for HTML: without bidi overrides or control characters, then escaped."""
    return html.escape(display_text(value))


def _display(bundle: Mapping[str, Any]) -> None:
    from IPython.display import display

    display(dict(bundle), raw=True)


def show(fig: go.Figure) -> None:
    """Display a figure in a notebook in a form the report assembler renders offline."""
    _display({PLOTLY_MIME: json.loads(fig.to_json()), "text/plain": f"<figure: {len(fig.data)} traces>"})


def table(
    df: pd.DataFrame,
    *,
    max_rows: int = 50,
    caption: str | None = None,
    rows: Sequence[Mapping[str, str]] | None = None,
) -> None:
    """An escaped HTML table (at most ``max_rows`` rows, says how many were left out).

    ``rows`` gives each row ``data-*`` attributes (e.g. ``{"row": "anomaly", "key": …}``), so a
    checker can find every listed item on the page.
    """
    shown = df.head(max_rows).copy()
    for column in shown.columns:
        if pd.api.types.is_object_dtype(shown[column]) or pd.api.types.is_string_dtype(shown[column]):
            shown[column] = shown[column].map(lambda v: display_text(v) if isinstance(v, str) else v)
    body = shown.to_html(index=False, escape=True, border=0, classes="encore-table", na_rep="—")
    if rows is not None:
        body = _row_attributes(body, rows)
    more = f"<p class='muted'>{len(df) - max_rows} more rows not shown.</p>" if len(df) > max_rows else ""
    cap = f"<p class='caption'>{_esc(caption)}</p>" if caption else ""
    _display({"text/html": f"{cap}{body}{more}", "text/plain": shown.to_string()})


def _row_attributes(body: str, rows: Sequence[Mapping[str, str]]) -> str:
    head, sep, rest = body.partition("<tbody>")
    chunks = rest.split("<tr>")  # the first chunk is what comes before the first row
    out = [chunks[0]]
    for i, chunk in enumerate(chunks[1:]):
        attrs = rows[i] if i < len(rows) else {}
        marks = "".join(f' data-{_slug(k)}="{html.escape(str(v))}"' for k, v in attrs.items())
        out.append(f"<tr{marks}>{chunk}")
    return head + sep + "".join(out)


def fact_html(key: str, value: object, shown: str) -> str:
    """A stated number marked for checking: ``data-fact`` names it, ``data-value`` is its value."""
    return (
        f'<span class="fact" data-fact="{html.escape(_slug(key))}" data-value="{html.escape(str(value))}">'
        f"{_esc(shown)}</span>"
    )


def fact_note(template: str, *, kind: str = "info", **values: object) -> None:
    """:func:`note` of a fixed text whose ``{placeholders}`` take facts or plain values.

    A value with ``key``, ``value`` and ``shown`` attributes (a report fact) is written as a
    marked number (:func:`fact_html`); anything else is escaped text.
    """
    import string

    css = kind if kind in {"info", "missing", "warning"} else "info"
    parts, plain = [], []
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        parts.append(_esc(literal))
        plain.append(literal)
        if field is None:
            continue
        value = values[field]
        if all(hasattr(value, a) for a in ("key", "value", "shown")):
            parts.append(fact_html(value.key, value.value, value.shown))  # type: ignore[attr-defined]
            plain.append(str(value.shown))  # type: ignore[attr-defined]
        else:
            parts.append(_esc(value))
            plain.append(str(value))
    _display({"text/html": f"<p class='note {css}'>{''.join(parts)}</p>", "text/plain": "".join(plain)})


def heading(text: str, *, level: int = 2, anchor: str | None = None) -> None:
    """A section heading; ``anchor`` (letters, digits, dashes) makes it a link target."""
    level = min(max(level, 1), 4)
    ident = f' id="{_slug(anchor)}"' if anchor else ""
    _display({"text/html": f"<h{level}{ident}>{_esc(text)}</h{level}>", "text/plain": text})


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9-]+", "-", text.lower()).strip("-") or "section"


def contents(entries: Iterable[tuple[str, str]]) -> None:
    """A row of links to the page's sections: (label, anchor) pairs."""
    links = "".join(f'<a href="#{_slug(a)}">{_esc(label)}</a>' for label, a in entries)
    _display({"text/html": f"<nav class='toc'>{links}</nav>", "text/plain": ""})


def note(text: str, *, kind: str = "info") -> None:
    """A short paragraph: ``info``, ``missing`` (data not available and why) or ``warning``."""
    css = kind if kind in {"info", "missing", "warning"} else "info"
    _display({"text/html": f"<p class='note {css}'>{_esc(text)}</p>", "text/plain": text})


def set_aside(items: Sequence[Mapping[str, str]], *, language: str = "en") -> None:
    """What the run set aside (rejected drafts, export files and rows) as a warning and a table;
    nothing when the run set nothing aside."""
    if not items:
        return
    note(fixed_text("set_aside.note", language=language, count=len(items)), kind="warning")
    columns = {key: fixed_text(f"set_aside.{key}", language=language) for key in ("what", "item", "reason")}
    table(  # file names and reasons as the files and checks give them (a file may be named by an id)
        pd.DataFrame([{key: item.get(key, "") for key in columns} for item in items]).rename(columns=columns),
        rows=[{"verbatim": "1"}] * len(items),
    )


def sparkline_svg(values: Sequence[float], *, label: str = "", width: int = 120, height: int = 30) -> str:
    """An inline SVG polyline of ``values`` (no script, no external resource); '' if < 2 values."""
    points = [float(v) for v in values if v is not None and math.isfinite(float(v))]
    if len(points) < 2:
        return ""
    low, high = min(points), max(points)
    span = (high - low) or 1.0
    step = width / (len(points) - 1)
    coords = " ".join(
        f"{i * step:.1f},{height - 2 - (v - low) / span * (height - 4):.1f}" for i, v in enumerate(points)
    )
    return (
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{_esc(label)}"><polyline fill="none" stroke="currentColor" '
        f'stroke-width="1.6" points="{coords}"/></svg>'
    )


def metric_cards(cards: Iterable[Mapping[str, Any]]) -> None:
    """Headline numbers: each card has ``label``, ``value`` and optional ``delta``/``hint``,
    ``trend`` (``up``, ``down`` or ``flat``: colours the delta) and ``spark`` (numbers drawn
    as a small inline line)."""
    cards = list(cards)
    parts = []
    for card in cards:
        delta = card.get("delta")
        trend = card.get("trend") if card.get("trend") in {"up", "down", "flat"} else "flat"
        delta_html = f"<div class='delta {trend}'>{_esc(str(delta))}</div>" if delta not in (None, "") else ""
        hint = card.get("hint")
        hint_html = f"<div class='hint'>{_esc(str(hint))}</div>" if hint else ""
        spark = sparkline_svg(card.get("spark") or [], label=str(card["label"]))
        fact = card.get("fact")
        value = (
            fact_html(fact.key, fact.value, fact.shown) if fact is not None and fact.value != "" else
            _esc(str(card["value"]))
        )  # fmt: skip
        parts.append(
            "<div class='card'>"
            f"<div class='label'>{_esc(str(card['label']))}</div>"
            f"<div class='value'>{value}</div>{delta_html}{spark}{hint_html}</div>"
        )
    _display({"text/html": f"<div class='cards'>{''.join(parts)}</div>", "text/plain": str(cards)})


def drafts(rows: Iterable[Mapping[str, Any]]) -> None:
    """Posts ready to copy: one block per draft (kind, platform, language, then the text).

    One click on the text selects all of it (CSS ``user-select: all``), so it copies at once.
    """
    blocks = []
    for row in rows:
        tags = " ".join(str(t) for t in (row.get("hashtags") or []))
        text = str(row.get("text", "")) + (
            f"\n\n{tags}" if tags and tags not in str(row.get("text", "")) else ""
        )
        meta = " · ".join(
            _esc(str(row.get(k, "")).replace("_", " "))
            for k in ("kind", "platform", "language")
            if row.get(k)
        )
        blocks.append(
            f"<article class='draft'><div class='meta'>{meta}</div><pre class='copy'>{_esc(text)}</pre></article>"
        )
    _display(
        {"text/html": f"<div class='drafts'>{''.join(blocks)}</div>", "text/plain": f"{len(blocks)} drafts"}
    )


SAFE_HREF = re.compile(r"^(?!.*\.\./\.\.)[A-Za-z0-9._-][A-Za-z0-9._/-]*(#[A-Za-z0-9_-]+)?$")


def link(text: str, href: str, *, before: str = "", after: str = "") -> None:
    """A paragraph with one link to a file beside the report (relative paths only).

    Raises
    ------
    ValueError : ``href`` is not a plain relative path (a scheme, ``//`` or odd characters).
    """
    if not SAFE_HREF.match(href) or "//" in href:
        raise ValueError(f"link target {href!r} must be a relative path such as 'data-docs.html'")
    body = f'{_esc(before)}<a href="{html.escape(href)}">{_esc(text)}</a>{_esc(after)}'
    _display({"text/html": f"<p>{body}</p>", "text/plain": f"{before}{text} ({href}){after}"})


def facts(pairs: Iterable[tuple[str, object]]) -> None:
    """A two-column list of facts (methods, versions, freshness), every value escaped."""
    items = "".join(f"<dt>{_esc(str(k))}</dt><dd>{_esc(str(v))}</dd>" for k, v in pairs)
    _display({"text/html": f"<dl class='facts'>{items}</dl>", "text/plain": items})


def format_count(value: float | None, *, language: str = "en", unit: str = "") -> str:
    """A count for people: grouped digits in the report's language, '—' when unknown."""
    if value is None or not math.isfinite(value):
        return "—"
    from babel.numbers import format_decimal

    text = format_decimal(round(value) if abs(value) >= 100 else round(value, 1), locale=language)
    return f"{text} {unit}".strip()


def format_change(ratio: float | None, *, language: str = "en") -> tuple[str, str]:
    """(text, trend) for a relative change: ``("+12% vs previous period", "up")``, "+12 %" in French."""
    from analytics.reports.texts import text

    if ratio is None or not math.isfinite(ratio):
        return text("change.none", language=language), "flat"
    if abs(ratio) < 0.005:
        return text("change.same", language=language), "flat"
    from analytics.reports.words import signed_percent

    change = signed_percent(ratio, language=language)  # the language's own spacing: "+12 %" in French
    trend = "up" if ratio > 0.005 else "down" if ratio < -0.005 else "flat"
    return text("change.vs_previous", language=language, change=change), trend
