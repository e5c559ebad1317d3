"""Check a rendered report page against itself: one story, in words for an artist.

The facts layer (:mod:`analytics.reports.report_facts`) marks every number it states with
``data-fact`` (what it describes) and ``data-value`` (its value); tables mark every listed
alert and unusual day with ``data-row`` and ``data-key``; the streams chart carries each unusual
day's key as its marker's id. :func:`check_page` reads the page as a browser's parser would and
reports every problem it finds:

- a number whose shown digits differ from its value, or two numbers describing the same thing
  with different values;
- a listed alert or unusual day that the summary does not count, or an unusual day (or an alert
  about one) not marked on a chart;
- a raw identifier (a Spotify id, a snake_case token such as ``isolation_forest``, ``s4a``) or
  an unrounded number (not a date the language writes in digits, 15.12.2012) in text meant for
  the artist: everything but the "Methods and limits"
  section, the page footer, scripts, styles and table rows marked ``data-verbatim`` (what the
  run set aside, named as the artist's own files name it).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

SPOTIFY_ID = re.compile(
    r"(?<![A-Za-z0-9])(?=[A-Za-z0-9]*\d)(?=[A-Za-z0-9]*[a-z])(?=[A-Za-z0-9]*[A-Z])[A-Za-z0-9]{22}(?![A-Za-z0-9])"
)
SNAKE_CASE = re.compile(r"(?<![\w-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w-])")
ENGINEER_WORDS = re.compile(
    r"(?<![\w-])(?:s4a|appears_on|isolation[ _]forest|robust z|baseline)(?![\w-])", re.I
)
# four or more decimals (digit groups have three), or a share written as 0.28 instead of 28%
UNROUNDED = re.compile(r"\d[.,]\d{4,}|(?<![\d.,])0[.,]\d{2,}(?![\d.,])")
# a date as a locale writes it in digits (Babel's medium German "15.12.2012", short French
# "15/12/2012", short English "12/15/12"): its year is not the decimals of an unrounded number
LOCALE_DATE = re.compile(r"(?<![\d.,/])\d{1,2}([./])\d{1,2}\1(?:\d{4}|\d{2})(?![\d/]|[.,]\d)")
TECHNICAL_SECTIONS = frozenset({"methods"})
"""Sections (by heading anchor) where technical names belong."""
PLOT_TEXT_KEYS = frozenset({"text", "name", "ticktext", "customdata"})


@dataclass
class PageFacts:
    """What :func:`read_page` found on a page."""

    facts: list[tuple[str, str, str]] = field(default_factory=list)  # (key, value, shown text)
    rows: list[dict[str, str]] = field(default_factory=list)  # data-* of marked table rows
    text: list[tuple[str, str]] = field(default_factory=list)  # (section, text) meant for the artist
    plots: list[Any] = field(default_factory=list)  # each plot's data and layout, as JSON


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = PageFacts()
        self.section = ""
        self.skip = 0  # inside script, style, footer or a verbatim row
        self.verbatim_row = False
        self.fact: list[Any] | None = None  # [key, value, shown parts, depth]
        self.depth = 0
        self.script: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        self.depth += 1
        if tag in {"h1", "h2"}:
            self.section = a.get("id", "")
        if tag == "script":
            self.script = []
        if tag in {"script", "style", "footer"}:
            self.skip += 1
        if tag == "tr" and "data-verbatim" in a:
            self.verbatim_row = True
            self.skip += 1
        elif tag == "tr" and "data-row" in a:
            self.page.rows.append({k[5:]: v for k, v in a.items() if k.startswith("data-")})
        if "data-fact" in a and self.fact is None:
            self.fact = [a["data-fact"], a.get("data-value", ""), [], self.depth]

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.page.plots.extend(_plots("".join(self.script)))
            self.script = None
        if tag in {"script", "style", "footer"} or (tag == "tr" and self.verbatim_row):
            self.skip = max(self.skip - 1, 0)
        if tag == "tr":
            self.verbatim_row = False
        if self.fact is not None and self.depth == self.fact[3]:
            self.page.facts.append((self.fact[0], self.fact[1], "".join(self.fact[2]).strip()))
            self.fact = None
        self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script.append(data)
            return
        if self.skip:
            return
        if self.fact is not None:
            self.fact[2].append(data)
        if data.strip():
            self.page.text.append((self.section, data))


def _plots(script: str) -> list[Any]:
    """The data and layout of every ``Plotly.newPlot(id, data, layout, …)`` call in a script."""
    found = []
    decoder = json.JSONDecoder()
    for match in re.finditer(r"Plotly\.newPlot\(\s*\"[^\"]*\"\s*,", script):
        try:
            data, end = decoder.raw_decode(script, match.end())
            layout, _ = decoder.raw_decode(script, end + 1) if script[end] == "," else ({}, end)
        except (ValueError, IndexError):
            continue
        found.append({"data": data, "layout": layout})
    return found


def read_page(html: str) -> PageFacts:
    """The marked facts, marked rows, artist-facing text and plots of a rendered page."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.page


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def _plot_strings(value: Any, key: str = "") -> list[str]:
    if isinstance(value, str):
        return [value] if key in PLOT_TEXT_KEYS else []
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _plot_strings(v, k)]
    if isinstance(value, list):
        return [s for v in value for s in _plot_strings(v, key)]
    return []


def _plot_ids(plots: list[Any]) -> set[str]:
    return {str(i) for plot in plots for trace in plot["data"] for i in (trace.get("ids") or [])}


def check_facts(page: PageFacts) -> list[str]:
    """Every marked number shows its value, and numbers about the same thing agree."""
    problems = []
    values: dict[str, set[str]] = defaultdict(set)
    for key, value, shown in page.facts:
        values[key].add(value)
        if value and _digits(shown) != _digits(value):
            problems.append(f"{key}: shows {shown!r} but states {value}")
    for key, seen in sorted(values.items()):
        if len(seen) > 1:
            problems.append(f"{key}: the page states {len(seen)} different values {sorted(seen)}")
    return problems


def check_listed(page: PageFacts) -> list[str]:
    """Every listed alert and unusual day is counted in its summary; unusual days (and the
    alerts about them) are marked on a chart."""
    problems = []
    stated = {key: {v for k, v, _ in page.facts if k == key} for key in ("alerts", "anomalies")}
    marked = _plot_ids(page.plots)
    for kind, key in (("alert", "alerts"), ("anomaly", "anomalies")):
        listed = {r.get("key", "") for r in page.rows if r.get("row") == kind}
        if listed and not stated[key]:
            problems.append(f"{len(listed)} {key} listed but no summary counts them")
        for value in stated[key]:
            if listed and value != str(len(listed)):
                problems.append(f"{key}: the summary counts {value}, the table lists {len(listed)}")
    for row in page.rows:
        target = row.get("anomaly") if row.get("row") == "alert" else row.get("key")
        if row.get("row") in {"alert", "anomaly"} and target and target not in marked:
            problems.append(f"{row.get('row')} {row.get('key')} is not marked on any chart")
    return problems


def check_words(page: PageFacts) -> list[str]:
    """No raw identifier, snake_case token, engineer's word or unrounded number for the artist."""
    problems = []
    texts = [(s, t) for s, t in page.text if s not in TECHNICAL_SECTIONS]
    texts += [("chart", t) for plot in page.plots for t in _plot_strings(plot)]
    for section, text in texts:
        for rule, pattern, searched in (
            ("raw id", SPOTIFY_ID, text),
            ("snake_case", SNAKE_CASE, text),
            ("technical word", ENGINEER_WORDS, text),
            ("unrounded number", UNROUNDED, LOCALE_DATE.sub("", text)),
        ):
            for match in pattern.finditer(searched):
                problems.append(f"{rule} {match.group(0)!r} in {section or 'page'}: {text.strip()[:80]!r}")
    return problems


def check_page(html: str) -> list[str]:
    """Every problem :mod:`this module <analytics.reports.consistency>` finds on a page; [] when
    the page tells one story in words for an artist."""
    page = read_page(html)
    return check_facts(page) + check_listed(page) + check_words(page)
