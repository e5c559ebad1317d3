"""Which streaming files a folder of downloads holds, of what kind, and whose.

Spotify for Artists names its downloads ``<artist id>-audience-timeline.csv``,
``<artist id>-songs-<period>.csv``, ``<artist id>-playlists-<period>.csv`` and
``<song title>-timeline.csv``; Spotify's privacy download
names the listening history ``Streaming_History_Audio_<years>_<n>.json``. A song timeline does
not name its artist, so a folder per artist (``<artist id>/…``, at any depth) says whose it is.
Other files (video history, read-me files, spreadsheets) are not streaming exports and are
left out.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ExportKind = Literal["audience", "songs", "song_timeline", "playlists", "history"]
_ID = re.compile(r"^[0-9A-Za-z]{22}$")
_AUDIENCE = re.compile(r"^(?:(?P<artist>[0-9A-Za-z]{22})-)?audience-timeline\.csv$", re.I)
_SONGS = re.compile(r"^(?:(?P<artist>[0-9A-Za-z]{22})-)?songs(?:-[\w]+)?\.csv$", re.I)
_PLAYLISTS = re.compile(r"^(?:(?P<artist>[0-9A-Za-z]{22})-)?playlists(?:-[\w]+)?\.csv$", re.I)
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
    elif match := _PLAYLISTS.match(name):
        kind, named = "playlists", match.group("artist")
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


@dataclass(frozen=True)
class ExportScan:
    """What a folder of downloads holds: the exports to read and the entries refused, with why."""

    files: list[ExportFile]
    refused: list[tuple[Path, str]]
    ignored: list[Path]  # regular files not named like a streaming export


_ARCHIVES = (".zip", ".gz", ".tgz", ".tar", ".7z", ".rar")


def scan_exports(folder: Path | str) -> ExportScan:
    """Every streaming export under ``folder`` (recursively, in path order), read as regular files only.

    A symbolic link (to a file or a folder) is never followed, and a FIFO, socket, device or
    folder named like an export is never opened: each is refused by name, as is an archive
    (Spotify's downloads come zipped; unzip them into the folder first). Other files are
    listed as ignored (a renamed export is then seen, not silently skipped).
    """
    root = Path(folder)
    files: list[ExportFile] = []
    refused: list[tuple[Path, str]] = []
    ignored: list[Path] = []
    for current, dirs, names in os.walk(root, followlinks=False):
        here = Path(current)
        for name in sorted(dirs):
            path = here / name
            if path.is_symlink():
                refused.append((path, "a symbolic link to a folder: exports are read from the folder itself"))
            elif classify(path, root=root) is not None:
                refused.append((path, "a folder named like an export, not a file"))
        dirs[:] = sorted(d for d in dirs if not (here / d).is_symlink())
        for name in sorted(names):
            path = here / name
            mode = path.lstat().st_mode
            looks_like = classify(path, root=root)
            if stat.S_ISLNK(mode):
                if looks_like is not None or path.suffix.lower() in _ARCHIVES:
                    refused.append((path, "a symbolic link: exports are read as regular files only"))
            elif not stat.S_ISREG(mode):
                if looks_like is not None:
                    refused.append((path, "not a regular file (a FIFO, socket or device)"))
            elif path.suffix.lower() in _ARCHIVES:
                refused.append((path, "an archive: unzip Spotify's download into the folder first"))
            elif looks_like is not None:
                files.append(looks_like)
            else:
                ignored.append(path)
    files.sort(key=lambda f: f.path)
    refused.sort()
    return ExportScan(files, refused, sorted(ignored))


def find_exports(folder: Path | str) -> list[ExportFile]:
    """Every streaming export under ``folder`` (recursively), in path order (see :func:`scan_exports`)."""
    return scan_exports(folder).files
