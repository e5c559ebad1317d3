"""Which streaming files a folder of downloads holds, of what kind, and whose.

Spotify for Artists names its downloads ``<artist id>-audience-timeline.csv``,
``<artist id>-songs-<period>.csv`` and ``<song title>-timeline.csv``; Spotify's privacy download
names the listening history ``Streaming_History_Audio_<years>_<n>.json``. A song timeline does
not name its artist, so a folder per artist (``<artist id>/…``, at any depth) says whose it is.
Other files (video history, read-me files, spreadsheets) are not streaming exports and are
left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ExportKind = Literal["audience", "songs", "song_timeline", "history"]
_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_AUDIENCE = re.compile(r"^(?:(?P<artist>[0-9A-Za-z]{22})-)?audience-timeline\.csv$", re.I)
_SONGS = re.compile(r"^(?:(?P<artist>[0-9A-Za-z]{22})-)?songs(?:-[\w]+)?\.csv$", re.I)
_HISTORY = re.compile(r"^Streaming_History_Audio_.*\.json$", re.I)


@dataclass(frozen=True)
class ExportFile:
    """One export: its path, its kind and, where the name or a folder says so, its artist."""

    path: Path
    kind: ExportKind
    artist_id: str | None


def classify(path: Path, *, root: Path | None = None) -> ExportFile | None:
    """The export ``path`` is, or None when it is not a streaming export.

    Parameters
    ----------
    path : a file.
    root : the folder searched; artist folders are looked for between it and the file.
    """
    name = path.name
    if _HISTORY.match(name):
        return ExportFile(path, "history", None)
    if path.suffix.lower() != ".csv":
        return None
    kind: ExportKind
    named: str | None = None
    if match := _AUDIENCE.match(name):
        kind, named = "audience", match.group("artist")
    elif name.lower().endswith("-timeline.csv"):
        kind = "song_timeline"
    elif match := _SONGS.match(name):
        kind, named = "songs", match.group("artist")
    else:
        return None
    return ExportFile(path, kind, named or _artist_folder(path, root))


def _artist_folder(path: Path, root: Path | None) -> str | None:
    for folder in path.parents:
        if _ID.match(folder.name):
            return folder.name
        if root is not None and folder == root:
            return None
    return None


def find_exports(folder: Path | str) -> list[ExportFile]:
    """Every streaming export under ``folder`` (recursively), in path order."""
    root = Path(folder)
    found = (classify(p, root=root) for p in sorted(root.rglob("*")) if p.is_file())
    return [f for f in found if f is not None]
