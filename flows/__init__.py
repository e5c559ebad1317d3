"""encore's Prefect flows, by the names users call them.

Each flow is orchestration only: its tasks call one ``analytics`` function each.
"""

from flows._telemetry import instrument
from flows.data_sync import sync_artist_data
from flows.pipeline import pipeline
from flows.reporting import render_reports

instrument()  # spans for HTTP requests and database transactions, in the run's trace when tracing is on

__all__ = ["pipeline", "render_reports", "sync_artist_data"]
