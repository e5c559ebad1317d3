"""Reading the tags of audio files (the I/O edge of matching): ISRC, title, artist, duration.

mutagen recognises the container by content. ISRC lives in the ID3 ``TSRC`` frame (MP3, and WAV
or AIFF with an ID3 chunk), the ``ISRC`` Vorbis comment (Ogg, Opus, FLAC) or the iTunes
freeform atom ``----:com.apple.iTunes:ISRC`` (MP4/M4A).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import mutagen
from mutagen.id3 import ID3
from mutagen.mp4 import MP4


@dataclass(frozen=True)
class FileTags:
    """What a file says about the recording; any field may be missing."""

    path: str
    isrc: str | None = None
    title: str | None = None
    artist: str | None = None
    album: str | None = None
    duration_s: float | None = None
    error: str | None = None


def _first(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    if value is None:
        return None
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    text = str(value).strip()
    return text or None


def _id3(tags: ID3) -> dict[str, str | None]:
    def frame(name: str) -> str | None:
        found = tags.getall(name)
        return _first(found[0].text) if found else None

    return {"isrc": frame("TSRC"), "title": frame("TIT2"), "artist": frame("TPE1"), "album": frame("TALB")}


def _mp4(tags: Any) -> dict[str, str | None]:
    return {
        "isrc": _first(tags.get("----:com.apple.iTunes:ISRC")),
        "title": _first(tags.get("\xa9nam")),
        "artist": _first(tags.get("\xa9ART")),
        "album": _first(tags.get("\xa9alb")),
    }


def _vorbis(tags: Any) -> dict[str, str | None]:
    lowered = {str(k).lower(): v for k, v in tags.items()}
    return {key: _first(lowered.get(key)) for key in ("isrc", "title", "artist", "album")}


def read_tags(path: Path | str) -> FileTags:
    """Tags of one file; never raises (an unreadable file gives ``error`` and no fields)."""
    path = Path(path)
    try:
        audio = mutagen.File(str(path))
    except Exception as exc:  # mutagen raises many types for damaged files
        return FileTags(str(path), error=f"{exc.__class__.__name__}: {exc}")
    if audio is None:
        return FileTags(str(path), error="not a tagged audio format mutagen knows")
    fields: dict[str, str | None] = {}
    tags = audio.tags
    if isinstance(tags, ID3):
        fields = _id3(tags)
    elif isinstance(audio, MP4) and tags is not None:
        fields = _mp4(tags)
    elif tags is not None:
        fields = _vorbis(tags)
    length = getattr(getattr(audio, "info", None), "length", None)
    return FileTags(str(path), duration_s=float(length) if length else None, **fields)


def read_all_tags(paths: list[Path] | list[str]) -> list[FileTags]:
    """:func:`read_tags` for each path, in order."""
    return [read_tags(p) for p in paths]
