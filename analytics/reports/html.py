"""Executed notebook -> one self-contained, offline, safe HTML page.

* Code cells are hidden; prompts removed; stderr dropped.
* plotly.js is embedded once (no CDN, no require.js, no MathJax): plotly.js's prebuilt basic
  bundle (bar, pie, scatter; 1.2 MB) when every figure of the page uses only those trace types,
  else the full bundle of the installed plotly package (4.8 MB); see :func:`plotly_bundle`.
  Each figure, which travels as plotly JSON, becomes a div plus a small script that this
  module writes.
* Charts speak the page's language: a French or German page registers a plotly.js locale
  built from CLDR (month and day names, separators; :func:`plotly_locale`) and every plot's
  config names it, so plotly's own date ticks and numbers read as the text around them.
* A Content-Security-Policy meta allows exactly those scripts (by SHA-256) and nothing else,
  so even a script that slipped into an output could not run; and every value from data was
  already escaped by ``display.py``.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nbformat
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from analytics.config import PROJECT_ROOT
from analytics.reports.display import PLOTLY_MIME
from analytics.reports.texts import long_date

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

log = logging.getLogger(__name__)

TEMPLATES = Path(__file__).resolve().parent / "templates"
PLOT_CONFIG = {"displayModeBar": False, "responsive": True}
BASIC_BUNDLE = PROJECT_ROOT / "web" / "node_modules" / "plotly.js-basic-dist-min" / "plotly-basic.min.js"
"""plotly.js's prebuilt basic bundle, installed by ``make setup`` from web/package-lock.json."""
BASIC_TRACES = frozenset({"bar", "pie", "scatter"})
"""The trace types the basic bundle draws."""
_VERSION = re.compile(r"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)")


@dataclass(frozen=True)
class PlotlyBundle:
    """The plotly.js a page embeds: ``basic`` or ``full``, its version and its code."""

    name: str
    version: str
    code: str


def bundle_version(code: str) -> str:
    """The plotly.js version a bundle announces in its banner ('' when it has none)."""
    found = _VERSION.search(code[:400])
    return found.group(1) if found else ""


@cache
def _full_bundle() -> PlotlyBundle:
    from plotly.offline import get_plotlyjs, get_plotlyjs_version

    return PlotlyBundle("full", str(get_plotlyjs_version()), str(get_plotlyjs()))


@cache
def _basic_bundle(path: Path = BASIC_BUNDLE) -> PlotlyBundle | None:
    """The basic bundle, when it is installed and is the plotly.js the plotly package speaks."""
    if not path.is_file():
        log.warning(
            "plotly.js basic bundle missing at %s (run `make setup`): embedding the full bundle", path
        )
        return None
    code = path.read_text(encoding="utf-8")
    version, expected = bundle_version(code), _full_bundle().version
    if version != expected:
        log.warning(
            "plotly.js basic bundle is %s, the plotly package speaks %s: embedding the full bundle",
            version or "of no known version",
            expected,
        )
        return None
    return PlotlyBundle("basic", version, code)


def trace_types(figures: list[dict[str, Any]]) -> set[str]:
    """Every trace type the figures draw (plotly's default type is ``scatter``)."""
    return {str(trace.get("type") or "scatter") for fig in figures for trace in fig.get("data", [])}


def plotly_bundle(types: set[str]) -> PlotlyBundle:
    """The smallest bundle that draws every trace type in ``types``.

    The basic bundle (bar, pie, scatter) when it covers them and is installed, else the full
    bundle of the plotly package, so a page never lacks a trace type it needs.
    """
    if types <= BASIC_TRACES and (basic := _basic_bundle()) is not None:
        return basic
    if not types <= BASIC_TRACES:
        log.warning(
            "figures use %s, beyond the basic bundle: embedding the full bundle",
            ", ".join(sorted(types - BASIC_TRACES)),
        )
    return _full_bundle()


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode() + "'"


def _script_safe_json(value: Any) -> str:
    """JSON that cannot close its <script> element or open a comment inside it."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _plot_html(figure: dict[str, Any], *, language: str = "en") -> tuple[str, str]:
    div_id = f"plot-{uuid.uuid4().hex[:12]}"
    config = {**PLOT_CONFIG, "locale": language}
    script = (
        f"Plotly.newPlot({json.dumps(div_id)},{_script_safe_json(figure.get('data', []))},"
        f"{_script_safe_json(figure.get('layout', {}))},{_script_safe_json(config)});"
    )
    return f'<div class="plot" id="{div_id}"></div><script>{script}</script>', script


def _d3_date(pattern: str) -> str:
    """A CLDR numeric date pattern ("dd/MM/y", "dd.MM.yy") as a d3 time format."""
    return re.sub(r"y+", "%Y", pattern.replace("dd", "%d").replace("MM", "%m"))


def plotly_locale(language: str) -> dict[str, Any] | None:
    """The plotly.js locale of ``language`` from CLDR (Babel), or None where plotly.js has its own.

    Day names start on Sunday as plotly.js wants them; a day reads as the report's charts
    write it (``chart.day_format``: "11 nov.", "11. Nov."), and numbers take the language's
    decimal and thousands separators (plotly.js derives a layout's ``separators`` from them).
    """
    from babel import Locale
    from babel.dates import get_date_format
    from babel.numbers import get_decimal_symbol, get_group_symbol

    from analytics.reports.texts import check_language, text

    if check_language(language) == "en":
        return None
    cldr = Locale.parse(language)
    days, months = cldr.days["format"], cldr.months["format"]
    sunday_first = [6, 0, 1, 2, 3, 4, 5]  # CLDR counts from Monday (0)
    periods = cldr.day_periods["format"]["abbreviated"]
    day_month = text("chart.day_format", language=language)
    return {
        "moduleType": "locale",
        "name": language,
        "dictionary": {},
        "format": {
            "days": [days["wide"][d] for d in sunday_first],
            "shortDays": [days["abbreviated"][d] for d in sunday_first],
            "months": [months["wide"][m] for m in range(1, 13)],
            "shortMonths": [months["abbreviated"][m] for m in range(1, 13)],
            "periods": [periods["am"], periods["pm"]],
            "dateTime": f"%a {day_month} %Y %X",
            "date": _d3_date(str(get_date_format("short", locale=language).pattern)),
            "time": "%H:%M:%S",
            "decimal": get_decimal_symbol(language),
            "thousands": get_group_symbol(language),
            "grouping": [3],
            "currency": ["", "\u00a0€"],
            "year": "%Y",
            "month": "%b %Y",
            "dayMonth": day_month,
            "dayMonthYear": f"{day_month} %Y",
        },
    }


@dataclass
class ReportPage:
    path: Path
    title: str
    figures: int
    bytes: int
    plotly: str = ""  # the plotly.js bundle embedded: basic, full, or '' without figures


@dataclass(frozen=True)
class RenderedReports:
    """The report pages a step wrote (HTML files), as the audit records them."""

    paths: list[Path]

    def audit_record(self) -> AuditRecord:
        return {"outputs": {"reports": [str(p) for p in self.paths]}}


def notebook_to_html(
    notebook: Path | nbformat.NotebookNode,
    *,
    output_path: Path,
    title: str,
    subtitle: str = "",
    footer: str = "",
    language: str = "en",
) -> ReportPage:
    """Render an executed notebook to ``output_path``; returns what was written.

    ``language`` (en, fr, de) is the page's ``lang``, the language of its footer and the
    locale of its plots (:func:`plotly_locale`).
    """
    from nbconvert import HTMLExporter

    from analytics.reports.texts import long_datetime, text

    nb = nbformat.read(notebook, as_version=4) if isinstance(notebook, Path) else notebook
    scripts: list[str] = []
    plots: list[dict[str, Any]] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream" and output.get("name") == "stderr":
                continue
            data = output.get("data", {})
            if PLOTLY_MIME in data:
                snippet, script = _plot_html(data[PLOTLY_MIME], language=language)
                scripts.append(script)
                plots.append(data[PLOTLY_MIME])
                output["data"] = {"text/html": snippet}
            else:
                for mime in ("application/javascript", "application/vnd.jupyter.widget-view+json"):
                    data.pop(mime, None)
            kept.append(output)
        cell["outputs"] = kept
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    body, _resources = exporter.from_notebook_node(nb)
    bundle = plotly_bundle(trace_types(plots)) if scripts else None
    plotly_js = bundle.code if bundle else ""
    locale = plotly_locale(language) if plotly_js else None
    locale_js = f"Plotly.register({_script_safe_json(locale)});" if locale else ""
    hashes = [_csp_hash(s) for s in [plotly_js, locale_js] if s] + [_csp_hash(s) for s in scripts]
    csp = (
        "default-src 'none'; "
        f"script-src {' '.join(hashes) if hashes else chr(39) + 'none' + chr(39)}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; connect-src 'none'; "
        "base-uri 'none'; form-action 'none'"
    )
    page = (
        _environment()
        .get_template("page.html.j2")
        .render(
            title=title,
            subtitle=subtitle,
            footer=footer,
            csp=csp,
            plotly_js=Markup(plotly_js),  # noqa: S704 - the installed plotly bundle, hashed in the CSP
            locale_js=Markup(locale_js),  # noqa: S704 - CLDR names as script-safe JSON, hashed in the CSP
            body=Markup(body),  # noqa: S704 - nbconvert output of escaped cells, scripts hashed above
            language=language,
            generated_note=text(
                "page.generated",
                language=language,
                generated=long_datetime(datetime.now(UTC), language=language),
            ),
        )
    )
    output_path.parent.mkdir(parents=True, exist_ok=True)
    output_path.write_text(page, encoding="utf-8")
    return ReportPage(
        path=output_path,
        title=title,
        figures=len(scripts),
        bytes=len(page.encode()),
        plotly=bundle.name if bundle else "",
    )


@cache
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html", "j2"]),
        keep_trailing_newline=True,
    )


def write_report_meta(page: Path, **meta: str) -> Path:
    """Describe a report for the index (``<page>.json`` beside it): artist, kind, period…"""
    path = page.with_suffix(".json")
    path.write_text(json.dumps(meta, indent=2, ensure_ascii=False), encoding="utf-8")
    return path


def _entry(report: Path, reports_dir: Path, *, language: str) -> dict[str, Any]:
    from analytics.reports.texts import text

    group, period = report.parent.parent.name, report.parent.name
    meta: dict[str, Any] = {}
    sidecar = report.with_suffix(".json")
    if sidecar.exists():
        try:
            meta = json.loads(sidecar.read_text(encoding="utf-8"))
        except ValueError:
            meta = {}
    pdf = report.with_suffix(".pdf")
    return {
        "group": str(
            meta.get("artist")
            or _known(f"index.group.{group}", language)
            or group.replace("_", " ").capitalize()
        ),
        "period": str(meta.get("period") or period),
        "period_label": period_label(str(meta.get("period") or period), language=language),
        "name": _known(f"index.kind.{report.stem}", language)
        or _known(f"page.title.{report.stem}", language)
        or str(meta.get("kind") or report.stem.replace("_", " ")),
        "href": report.relative_to(reports_dir).as_posix(),
        "pdf": pdf.relative_to(reports_dir).as_posix() if pdf.exists() else None,
        "pdf_label": text("index.column.pdf", language=language),
    }


def _known(key: str, language: str) -> str | None:
    """The catalog's text ``key`` in ``language``, or None when the catalog has no such text."""
    from analytics.reports.texts import text

    try:
        return text(key, language=language)
    except KeyError:
        return None


_PERIOD = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:_(\d{4}-\d{2}-\d{2}))?(?:-([a-z]{2}))?$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def period_label(period: str, *, language: str = "en") -> str:
    """A report folder's period as people read it in ``language``: ``2026-11-08_2026-12-05`` is
    "8 Nov 2026 – 5 Dec 2026", ``2026-12-06`` "6 Dec 2026", ``2026-10`` "Oct 2026"; a language
    suffix (``-fr``) is kept in brackets; anything else is shown as it is."""
    from babel.dates import format_date

    try:
        if match := _PERIOD.match(period):
            first, last, suffix = match.groups()
            days = [date.fromisoformat(d) for d in (first, last) if d]
            text = " – ".join(long_date(d, language=language) for d in days)
            return f"{text} ({suffix})" if suffix else text
        if match := _MONTH.match(period):
            return format_date(date(int(match[1]), int(match[2]), 1), "MMM y", locale=language)
    except ValueError:
        pass
    return period


def write_index(reports_dir: Path, *, language: str = "en") -> Path:
    """``reports_dir/index.html``: every report, by artist (or group) and period, newest first,
    its words in ``language`` (the ``report_language`` setting).

    Reports are ``reports_dir/<group>/<period>/<name>.html``; a ``<name>.json`` beside one (see
    :func:`write_report_meta`) gives the artist's name.
    """
    from analytics.reports.texts import long_datetime, text

    found = [
        r
        for r in reports_dir.glob("*/*/*.html")
        if r.parent.parent.parent == reports_dir and r.name != "data-docs.html"
    ]
    entries = [_entry(r, reports_dir, language=language) for r in found]
    entries.sort(key=lambda e: e["period"], reverse=True)
    entries.sort(key=lambda e: e["group"].lower())
    words = {
        key: text(f"index.{key}", language=language)
        for key in ("column.artist", "column.report", "column.period", "column.pdf", "none")
    }
    body = _environment().get_template("index.html.j2").render(entries=entries, words=words)
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    title = text("index.title", language=language)
    page = (
        _environment()
        .get_template("page.html.j2")
        .render(
            title=title,
            subtitle=text("index.reports", language=language, count=len(entries)),
            footer="",
            csp=csp,
            plotly_js="",
            body=Markup(body),  # noqa: S704 - rendered by an autoescaping template
            language=language,
            generated_note=text(
                "page.generated",
                language=language,
                generated=long_datetime(datetime.now(UTC), language=language),
            ),
        )
    )
    path = reports_dir / "index.html"
    reports_dir.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def escape(text: object) -> str:
    return html.escape(str(text))
