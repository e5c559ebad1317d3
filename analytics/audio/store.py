"""Audio features joined to catalog tracks, and their storage (one row per track)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

from analytics.audio.features import FEATURES
from analytics.audio.tables import HEADLINE
from analytics.warehouse import UpsertResult, Warehouse, upsert_rows

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

TRACK_FEATURE_COLUMNS = (
    "track_id",
    "audio_hash",
    "path",
    "feature_set_version",
    "match_method",
    "match_confidence",
    *HEADLINE,
    "features",
)


def _plain(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if hasattr(value, "item"):
        return _plain(value.item())
    return value


def track_features(features: pd.DataFrame, matches: pd.DataFrame, tracks: pd.DataFrame) -> pd.DataFrame:
    """One row per catalog track whose recording was analysed.

    Parameters
    ----------
    features : ``AnalysisBatch.features`` (one row per analysed file, keyed by ``path``).
    matches : ``MatchResult.matches`` (``path``, ``track_id``, ``method``, ``confidence``).
    tracks : catalog tracks (``track_id``, ``isrc``); a recording's features also go to the
        other tracks with its ISRC (the single and the album version are one recording), with
        ``match_method`` ``same_isrc``.

    Returns
    -------
    DataFrame with :data:`TRACK_FEATURE_COLUMNS`; ``features`` holds every feature as a dict.
    """
    joined = matches.merge(features, on="path", how="inner")
    isrc_of = dict(zip(tracks["track_id"], tracks["isrc"], strict=True))
    by_isrc: dict[str, list[str]] = {}
    for track_id, isrc in isrc_of.items():
        if isrc:
            by_isrc.setdefault(isrc, []).append(track_id)
    rows: dict[str, dict[str, Any]] = {}
    for record in joined.to_dict("records"):
        values = {name: _plain(record.get(name)) for name in FEATURES}
        base = {
            "audio_hash": record["content_hash"],
            "path": record["path"],
            "feature_set_version": record["feature_set_version"],
            **{name: values.get(name) for name in HEADLINE},
            "features": values,
        }
        rows[record["track_id"]] = {
            "track_id": record["track_id"],
            "match_method": record["method"],
            "match_confidence": float(record["confidence"]),
            **base,
        }
        for sibling in by_isrc.get(isrc_of.get(record["track_id"]) or "", []):
            rows.setdefault(
                sibling, {"track_id": sibling, "match_method": "same_isrc", "match_confidence": 1.0, **base}
            )
    return pd.DataFrame(list(rows.values()), columns=list(TRACK_FEATURE_COLUMNS))


def one_per_recording(features: pd.DataFrame) -> pd.DataFrame:
    """One row per analysed file: a single and its album version (one ISRC, one file) are one
    recording, counted once in the tempo and key charts and never each other's closest track.
    The row matched to the file directly is kept over those that share it through their ISRC."""
    if "audio_hash" not in features:
        return features.reset_index(drop=True)
    direct = features.get("match_method", pd.Series("", index=features.index)) != "same_isrc"
    ordered = features.assign(_direct=direct).sort_values("_direct", ascending=False, kind="stable")
    kept = ordered[ordered["audio_hash"].isna() | ~ordered.duplicated("audio_hash")]
    return kept.sort_index().drop(columns="_direct").reset_index(drop=True)


@dataclass(frozen=True)
class StoredFeatures:
    """Track features stored: how many tracks were given, and the rows written."""

    tracks: int
    changes: UpsertResult

    def audit_record(self) -> AuditRecord:
        return {"inputs": {"tracks": self.tracks}, "changes": self.changes}


def store_track_features(warehouse: Warehouse, frame: pd.DataFrame, *, run_id: str) -> StoredFeatures:
    """Upsert in one unit of work; unchanged features write nothing."""
    records = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict("records")]
    with warehouse.session() as session:
        changes = upsert_rows(session, "track_audio_features", records, key=["track_id"], run_id=run_id)
    return StoredFeatures(len(frame), changes)


def stored_tracks(warehouse: Warehouse) -> pd.DataFrame:
    """The stored catalog's current tracks with their artist's name: the table :func:`match_files`
    takes (``track_id``, ``name``, ``artist_name``, ``duration_ms``, ``isrc``)."""
    artists = {a["artist_id"]: a["name"] for a in warehouse.rows("artists")}
    rows = [
        {
            "track_id": t["track_id"],
            "name": t["name"],
            "artist_name": artists.get(t["artist_id"], ""),
            "duration_ms": t["duration_ms"],
            "isrc": t["isrc"],
        }
        for t in warehouse.rows("tracks")
        if t["removed_run"] is None
    ]
    return pd.DataFrame(rows, columns=["track_id", "name", "artist_name", "duration_ms", "isrc"])


def artists_with_audio(warehouse: Warehouse, features: pd.DataFrame) -> dict[str, str]:
    """Artist id -> name of every stored artist with at least one track in ``features``."""
    analysed = set(features["track_id"])
    owners = {t["artist_id"] for t in warehouse.rows("tracks") if t["track_id"] in analysed}
    return {a["artist_id"]: a["name"] for a in warehouse.rows("artists") if a["artist_id"] in owners}
