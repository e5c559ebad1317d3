"""The demo catalog: two real artists' freely licensed music, as excerpts, with demo metadata.

``catalog.json`` (format ``encore-catalog/1``) is the one data file the Spotify sandbox serves
and the pipeline falls back to; ``audio/`` holds 10-second Ogg excerpts tagged with their ISRC.
Sources and licences: ``NOTICE`` beside this file. Rebuild with ``scripts/make_demo_catalog.py``.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

DEMO_DIR = Path(__file__).resolve().parent
CATALOG_PATH = DEMO_DIR / "catalog.json"
AUDIO_DIR = DEMO_DIR / "audio"


@cache
def _load(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def load_catalog(path: Path | None = None) -> dict[str, Any]:
    """The catalog as a fresh dict (callers may mutate it)."""
    catalog: dict[str, Any] = json.loads(_load(path or CATALOG_PATH))
    if catalog.get("format") != "encore-catalog/1":
        raise ValueError(f"{path or CATALOG_PATH}: not an encore catalog (format {catalog.get('format')!r})")
    return catalog


def demo_artist_ids(path: Path | None = None) -> list[str]:
    """The catalog's own artists (not a compilation's 'Various Artists')."""
    return [a["id"] for a in load_catalog(path)["artists"] if a["name"] != "Various Artists"]


def audio_files() -> list[Path]:
    return sorted(AUDIO_DIR.glob("*.ogg"))
