from .ai_content_generation import generate_content
from .artist_monitoring import monitor_artist
from .data_sync import sync_artist_data
from .pipeline import pipeline
from .playlist_update import update_playlist
from .reporting import render_reports
from .social_media_sync import sync_social_media
from .streaming_metrics import collect_streaming_metrics
from .track_analysis import analyze_tracks

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
