"""encore's Prefect flows, by the names users call them.

Each flow is orchestration only: its tasks call one ``analytics`` function each.
"""

import analytics  # noqa: F401 - first: telemetry off before Prefect reads its settings
import flows._policies  # noqa: F401 - next: no task caches unless it says so, before any task is defined
from flows._telemetry import instrument
from flows.ai_content_generation import generate_content
from flows.artist_monitoring import monitor_artist
from flows.data_sync import sync_artist_data
from flows.pipeline import pipeline
from flows.playlist_update import update_playlist
from flows.reporting import render_reports
from flows.social_media_sync import sync_social_media
from flows.streaming_metrics import collect_streaming_metrics
from flows.track_analysis import analyze_tracks

instrument()  # spans for HTTP requests and database transactions, in the run's trace when tracing is on

__all__ = [
    "analyze_tracks",
    "collect_streaming_metrics",
    "generate_content",
    "monitor_artist",
    "pipeline",
    "render_reports",
    "sync_artist_data",
    "sync_social_media",
    "update_playlist",
]
