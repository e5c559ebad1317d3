"""Matching audio files to catalog tracks: by ISRC first, then fuzzy title + artist + duration.

Pure: works on :class:`~analytics.audio.tags.FileTags` (read them with ``tags.read_all_tags``)
and a table of catalog tracks. Every match says how it was made and how sure it is, and both
the files and the tracks left over are listed, so a person can fix tags rather than guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from rapidfuzz import fuzz

from analytics.audio.tags import FileTags

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

MATCH_COLUMNS = ["path", "track_id", "method", "confidence", "title_score", "artist_score", "duration_diff_s"]


@dataclass(frozen=True)
class MatchResult:
    """``matches`` (columns :data:`MATCH_COLUMNS`), plus the files and track ids left unmatched,
    and how many files and catalog tracks were given."""

    matches: pd.DataFrame
    unmatched_files: list[str]
    unmatched_tracks: list[str]
    files: int = 0
    tracks: int = 0

    def audit_record(self) -> AuditRecord:
        """The ``match_files`` record: files and catalog tracks given, files matched, the files
        left unmatched, how many tracks no file matched."""
        matched = len(self.matches)
        return {
            "inputs": {"files": self.files, "tracks": self.tracks},
            "outputs": {"matched": matched, "unmatched_files": self.unmatched_files},
            "details": {"unmatched_tracks": len(self.unmatched_tracks)},
        }


def normalize_isrc(value: str | None) -> str | None:
    """``US-S1Z-99-00001`` → ``USS1Z9900001``; None unless it has the 12-character ISRC shape."""
    if not value:
        return None
    text = re.sub(r"[\s\-_.]", "", value).upper()
    return text if re.fullmatch(r"[A-Z]{2}[A-Z0-9]{3}\d{7}", text) else None


_NOISE = re.compile(r"[\(\[][^\)\]]*(remaster|version|edit|mix|mono|stereo|live|demo)[^\)\]]*[\)\]]", re.I)


def normalize_title(value: str | None) -> str:
    """Lower case, accents and bracketed version notes removed, punctuation as spaces."""
    if not value:
        return ""
    text = unicodedata.normalize("NFKD", _NOISE.sub(" ", value))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"\b(feat|ft)\.?\s.*$", " ", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


def _title_from_name(path: str) -> tuple[str, str]:
    """(artist, title) guessed from a file name such as ``Artist - Title.mp3`` or ``artist--title.ogg``."""
    stem = Path(path).stem.replace("_", " ")
    stem = re.sub(r"^\d{1,3}[\s.\-]+", "", stem)  # leading track number
    parts = re.split(r"\s+-\s+|--", stem, maxsplit=1)
    return (parts[0], parts[1]) if len(parts) == 2 else ("", stem)


def _tracks(tracks: pd.DataFrame | Iterable[Mapping[str, Any]]) -> pd.DataFrame:
    frame = tracks.copy() if isinstance(tracks, pd.DataFrame) else pd.DataFrame(list(tracks))
    missing = {"track_id", "name"} - set(frame.columns)
    if missing:
        raise ValueError(
            f"catalog tracks need columns track_id and name (missing {sorted(missing)}); "
            "optional: artist_name, duration_ms, isrc"
        )
    for column in ("artist_name", "duration_ms", "isrc"):
        if column not in frame.columns:
            frame[column] = None
    return frame.reset_index(drop=True)


def match_files(
    files: Sequence[FileTags],
    tracks: pd.DataFrame | Iterable[Mapping[str, Any]],
    *,
    min_confidence: float = 0.75,
    duration_tolerance_s: float = 10.0,
) -> MatchResult:
    """Match each file to at most one catalog track.

    Parameters
    ----------
    files : tags of the files (title/artist fall back to the file name).
    tracks : catalog tracks with ``track_id``, ``name`` and optionally ``artist_name``,
        ``duration_ms``, ``isrc``.
    min_confidence : fuzzy matches below this are left unmatched.
    duration_tolerance_s : durations further apart than this score 0 on duration.

    Returns
    -------
    MatchResult. ``method`` is ``isrc`` (confidence 1.0) or ``fuzzy``; fuzzy confidence is
    0.6 x title similarity + 0.2 x artist similarity + 0.2 x duration closeness (each 0-1;
    without a duration on either side its weight goes to the title). Several files may share
    one ISRC (e.g. a WAV master and an MP3); a fuzzy match takes a track only once.
    """
    catalog = _tracks(tracks)
    by_isrc: dict[str, str] = {}
    for row in catalog.itertuples(index=False):
        code = normalize_isrc(row.isrc if isinstance(row.isrc, str) else None)
        if code:
            by_isrc.setdefault(code, str(row.track_id))

    rows: list[dict[str, Any]] = []
    pending: list[FileTags] = []
    for tags in files:
        code = normalize_isrc(tags.isrc)
        if code and code in by_isrc:
            rows.append(
                dict(
                    zip(MATCH_COLUMNS, [tags.path, by_isrc[code], "isrc", 1.0, None, None, None], strict=True)
                )
            )
        else:
            pending.append(tags)

    taken = {r["track_id"] for r in rows}
    candidates = [
        _score(tags, row, duration_tolerance_s) for tags in pending for row in catalog.itertuples(index=False)
    ]
    candidates.sort(key=lambda c: -c["confidence"])
    placed: set[str] = set()
    for cand in candidates:
        if cand["confidence"] < min_confidence or cand["path"] in placed or cand["track_id"] in taken:
            continue
        rows.append(cand)
        placed.add(cand["path"])
        taken.add(cand["track_id"])

    matched_paths = {r["path"] for r in rows}
    return MatchResult(
        matches=pd.DataFrame(rows, columns=MATCH_COLUMNS),
        unmatched_files=[t.path for t in files if t.path not in matched_paths],
        unmatched_tracks=[str(t) for t in catalog["track_id"] if str(t) not in taken],
        files=len(files),
        tracks=len(catalog),
    )


def _score(tags: FileTags, row: Any, tolerance: float) -> dict[str, Any]:
    name_artist, name_title = _title_from_name(tags.path)
    title = normalize_title(tags.title or name_title)
    artist = normalize_title(tags.artist or name_artist)
    title_score = fuzz.token_sort_ratio(title, normalize_title(row.name)) / 100.0
    track_artist = normalize_title(row.artist_name if isinstance(row.artist_name, str) else None)
    artist_score = fuzz.token_set_ratio(artist, track_artist) / 100.0 if artist and track_artist else 0.5
    diff = None
    weights = (0.6, 0.2, 0.2)
    duration_score = 0.0
    if tags.duration_s and row.duration_ms is not None and pd.notna(row.duration_ms):
        diff = abs(tags.duration_s - float(row.duration_ms) / 1000.0)
        duration_score = max(0.0, 1.0 - diff / tolerance)
    else:
        weights = (0.8, 0.2, 0.0)
    confidence = weights[0] * title_score + weights[1] * artist_score + weights[2] * duration_score
    return dict(
        zip(
            MATCH_COLUMNS,
            [tags.path, str(row.track_id), "fuzzy", round(confidence, 4), title_score, artist_score, diff],
            strict=True,
        )
    )


def catalog_tracks(catalog: Mapping[str, Any]) -> pd.DataFrame:
    """The tracks of an ``encore-catalog/1`` dict as the table :func:`match_files` takes."""
    artists = {a["id"]: a["name"] for a in catalog.get("artists", [])}
    rows = [
        {
            "track_id": t["id"],
            "name": t["name"],
            "artist_name": ", ".join(artists.get(a, "") for a in t.get("artist_ids", [])),
            "duration_ms": t.get("duration_ms"),
            "isrc": t.get("isrc"),
        }
        for t in catalog.get("tracks", [])
    ]
    return pd.DataFrame(rows, columns=["track_id", "name", "artist_name", "duration_ms", "isrc"])
