"""Candidate tracks: catalog facts plus optional streaming metrics and audio features."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from analytics.audio.features import CHROMA_COLUMNS, MFCC_COLUMNS
from analytics.curation.definition import CandidatePool

KEYS = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")
# The audio fingerprint of near-identical versions: the MFCC means and spreads without MFCC 0
# (the overall level, which a gain change moves), and the chroma (each frame max-normalised).
TIMBRE_FEATURES = tuple(c for c in MFCC_COLUMNS if not c.startswith("mfcc_00_"))
CHROMA_FEATURES = CHROMA_COLUMNS


@dataclass(frozen=True, slots=True)
class Candidate:
    """One track that may go into a playlist. Missing measurements are None, never 0."""

    track_id: str
    name: str
    album_id: str
    album_name: str
    artist_ids: tuple[str, ...]
    release_date: str
    duration_ms: int
    explicit: bool = False
    isrc: str | None = None
    streams_28d: float | None = None
    streams_delta_28d: float | None = None
    saves_28d: float | None = None
    tempo_bpm: float | None = None
    key: str | None = None
    mode: str | None = None
    energy: float | None = None
    loudness_lufs: float | None = None
    audio_hash: str | None = None  # of the analysed file: equal hashes are the same audio
    timbre: tuple[float, ...] | None = None  # TIMBRE_FEATURES
    chroma: tuple[float, ...] | None = None  # CHROMA_FEATURES

    @property
    def has_audio(self) -> bool:
        return self.tempo_bpm is not None and self.energy is not None


def candidates_from_catalog(document: Mapping[str, Any]) -> list[Candidate]:
    """Candidates from an ``encore-catalog/1`` document (the demo catalog or a user's file)."""
    albums = {a["id"]: a for a in document.get("albums", [])}
    out = []
    for t in document.get("tracks", []):
        album = albums.get(t["album_id"], {})
        out.append(
            Candidate(
                track_id=t["id"],
                name=t["name"],
                album_id=t["album_id"],
                album_name=album.get("name", ""),
                artist_ids=tuple(t.get("artist_ids", ())),
                release_date=album.get("release_date", "1900"),
                duration_ms=int(t.get("duration_ms", 0)),
                explicit=bool(t.get("explicit", False)),
                isrc=t.get("isrc"),
            )
        )
    return out


def candidates_from_rows(
    tracks: Iterable[Mapping[str, Any]], albums: Iterable[Mapping[str, Any]]
) -> list[Candidate]:
    """Candidates from the warehouse's ``tracks`` and ``albums`` rows (removed ones left out)."""
    by_album = {a["album_id"]: a for a in albums}
    out = []
    for t in tracks:
        if t.get("removed_run"):
            continue
        album = by_album.get(t["album_id"], {})
        out.append(
            Candidate(
                track_id=t["track_id"],
                name=t["name"],
                album_id=t["album_id"],
                album_name=album.get("name", ""),
                artist_ids=(t["artist_id"],),
                release_date=album.get("release_date", "1900"),
                duration_ms=int(t["duration_ms"]),
                explicit=bool(t["explicit"]),
                isrc=t.get("isrc"),
            )
        )
    return out


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if f != f else f


def with_metrics(candidates: Sequence[Candidate], metrics: pd.DataFrame | None) -> list[Candidate]:
    """Add 28-day streams, their change and saves from ``stream_metrics_daily``-shaped rows.

    ``metrics`` has ``entity_id`` (track id), ``day``, ``streams_28d``, optionally
    ``streams_delta_28d`` and ``saves``; the latest day per track is used.
    """
    if metrics is None or metrics.empty or "entity_id" not in metrics:
        return list(candidates)
    frame = metrics
    if "level" in frame:
        frame = frame[frame["level"] == "track"]
    if "day" in frame:
        frame = frame.sort_values("day")
    latest = frame.groupby("entity_id").tail(1).set_index("entity_id")
    saves = (
        frame.groupby("entity_id")["saves"].apply(lambda s: s.tail(28).sum()) if "saves" in frame else None
    )
    out = []
    for c in candidates:
        if c.track_id not in latest.index:
            out.append(c)
            continue
        row = latest.loc[c.track_id]
        out.append(
            replace(
                c,
                streams_28d=_num(row.get("streams_28d")),
                streams_delta_28d=_num(row.get("streams_delta_28d")),
                saves_28d=_num(saves.get(c.track_id)) if saves is not None else None,
            )
        )
    return out


def _vector(values: Mapping[str, Any], names: Sequence[str]) -> tuple[float, ...] | None:
    """The named features as a vector; None unless every one is a finite number."""
    out = []
    for name in names:
        value = _num(values.get(name))
        if value is None or math.isinf(value):
            return None
        out.append(value)
    return tuple(out)


def with_features(candidates: Sequence[Candidate], features: pd.DataFrame | None) -> list[Candidate]:
    """Add audio features by ``track_id``: ``tempo_bpm``, ``key``, ``mode``, ``energy``,
    ``loudness_lufs``, and for near-identical versions ``audio_hash``, ``timbre`` and ``chroma``.

    ``features``: ``track_audio_features``-shaped rows; the fingerprint features are read from
    the ``features`` dict of a row, or from columns of the same names. Tracks without a row keep
    None: the sequencer treats their transitions as neutral.
    """
    if features is None or features.empty or "track_id" not in features:
        return list(candidates)
    rows = features.drop_duplicates("track_id", keep="last").set_index("track_id")
    out = []
    for c in candidates:
        if c.track_id not in rows.index:
            out.append(c)
            continue
        r = rows.loc[c.track_id]
        key = r.get("key")
        mode = r.get("mode")
        nested = r.get("features")
        detail: Any = nested if isinstance(nested, Mapping) else r
        audio_hash = r.get("audio_hash")
        out.append(
            replace(
                c,
                tempo_bpm=_num(r.get("tempo_bpm")),
                key=str(key) if isinstance(key, str) and key in KEYS else None,
                mode=str(mode) if mode in ("major", "minor") else None,
                energy=_num(r.get("energy")),
                loudness_lufs=_num(r.get("loudness_lufs")),
                audio_hash=audio_hash if isinstance(audio_hash, str) and audio_hash else None,
                timbre=_vector(detail, TIMBRE_FEATURES),
                chroma=_vector(detail, CHROMA_FEATURES),
            )
        )
    return out


def in_pool(candidate: Candidate, pool: CandidatePool) -> bool:
    """Whether a candidate is inside the definition's pool (artists, albums, release window)."""
    if pool.artist_ids and not set(candidate.artist_ids) & set(pool.artist_ids):
        return False
    if pool.album_ids and candidate.album_id not in pool.album_ids:
        return False
    if pool.released_after and candidate.release_date < pool.released_after:
        return False
    return not (pool.released_before and candidate.release_date > pool.released_before)
