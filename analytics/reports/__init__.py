"""Report building blocks: run datasets, plotly figure builders, notebook display helpers,
and the assembly of executed notebooks into self-contained, safe HTML pages.
"""

from analytics.reports.display import heading, metric_cards, note, show, table
from analytics.reports.html import ReportPage, notebook_to_html, write_index
from analytics.reports.load import RunData, load_run

__all__ = [
    "ReportPage",
    "RunData",
    "heading",
    "load_run",
    "metric_cards",
    "note",
    "notebook_to_html",
    "show",
    "table",
    "write_index",
]
