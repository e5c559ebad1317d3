from .artist_data import ArtistData, load_artist_data
from .display import (
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
from .html import RenderedReports, ReportPage, notebook_to_html, write_index, write_report_meta
from .load import RunData, load_run
from .period import Period, parse_period

__all__ = [
    "ArtistData",
    "Period",
    "RenderedReports",
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
