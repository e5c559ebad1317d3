"""The warehouse table of audio features per catalog track (one row per matched track)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from analytics.warehouse.models import Base, _CatalogEntity

# The headline features get their own columns (queried by curation, content and reports);
# every feature of the feature set is also kept in ``features``.
HEADLINE = (
    "duration_s",
    "tempo_bpm",
    "tempo_confidence",
    "key",
    "mode",
    "key_confidence",
    "loudness_lufs",
    "true_peak_dbtp",
    "energy",
    "beat_regularity",
    "onset_rate_per_s",
    "spectral_centroid_hz",
)


class TrackAudioFeatures(_CatalogEntity, Base):
    __tablename__ = "track_audio_features"

    track_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    audio_hash: Mapped[str] = mapped_column(String(80))  # "sha256:" + 64 hex
    path: Mapped[str] = mapped_column(Text)
    feature_set_version: Mapped[str] = mapped_column(String(32))
    match_method: Mapped[str] = mapped_column(String(16))
    match_confidence: Mapped[float] = mapped_column(Float)
    duration_s: Mapped[float | None] = mapped_column(Float, default=None)
    tempo_bpm: Mapped[float | None] = mapped_column(Float, default=None)
    tempo_confidence: Mapped[float | None] = mapped_column(Float, default=None)
    key: Mapped[str | None] = mapped_column(String(4), default=None)
    mode: Mapped[str | None] = mapped_column(String(8), default=None)
    key_confidence: Mapped[float | None] = mapped_column(Float, default=None)
    loudness_lufs: Mapped[float | None] = mapped_column(Float, default=None)
    true_peak_dbtp: Mapped[float | None] = mapped_column(Float, default=None)
    energy: Mapped[float | None] = mapped_column(Float, default=None)
    beat_regularity: Mapped[float | None] = mapped_column(Float, default=None)
    onset_rate_per_s: Mapped[float | None] = mapped_column(Float, default=None)
    spectral_centroid_hz: Mapped[float | None] = mapped_column(Float, default=None)
    features: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
