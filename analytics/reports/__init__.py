"""Report building blocks: run datasets, plotly figure builders, notebook display helpers,
and the assembly of executed notebooks into self-contained, safe HTML pages.

The page assembly (``html.py``: nbformat, nbconvert, Jinja) is imported on first use only: the
report notebooks import this package inside their kernel, which never assembles a page.
"""

from typing import TYPE_CHECKING, Any

from analytics.reports.artist_data import ArtistData, load_artist_data
from analytics.reports.display import (
    contents,
    drafts,
    facts,
    format_change,
    format_count,
    heading,
    link,
    metric_cards,
    note,
    set_aside,
    show,
    table,
)
from analytics.reports.load import RunData, load_run
from analytics.reports.period import Period, parse_period

if TYPE_CHECKING:
    from analytics.reports.html import ReportPage, notebook_to_html, write_index, write_report_meta

_PAGE_ASSEMBLY = frozenset({"ReportPage", "notebook_to_html", "write_index", "write_report_meta"})


def __getattr__(name: str) -> Any:
    if name in _PAGE_ASSEMBLY:
        from analytics.reports import html

        return getattr(html, name)
    raise AttributeError(f"module 'analytics.reports' has no attribute {name!r}")


__all__ = [
    "ArtistData",
    "Period",
    "ReportPage",
    "RunData",
    "contents",
    "drafts",
    "facts",
    "format_change",
    "format_count",
    "heading",
    "link",
    "load_artist_data",
    "load_run",
    "metric_cards",
    "note",
    "notebook_to_html",
    "parse_period",
    "set_aside",
    "show",
    "table",
    "write_index",
    "write_report_meta",
]
