"""encore's Prefect flows, by the names users call them.

Each flow is orchestration only: its tasks call one ``analytics`` function each.
"""

from flows.data_sync import sync_artist_data
from flows.pipeline import pipeline
from flows.reporting import render_reports

__all__ = ["pipeline", "render_reports", "sync_artist_data"]
