"""Audio features from the artist's own files, and matching those files to catalog tracks.

Public surface (what flows and the CLI call):

- :func:`analyze_files` — features of many files (cached by content, parallel, quarantining
  bad files) → :class:`AnalysisBatch`; :func:`analyze_file` for one file.
- :func:`match_files` with :func:`read_all_tags` and :func:`catalog_tracks` — which file is which
  track → :class:`MatchResult`.
- :func:`warm_up` — compile the JIT code once (``make setup``).
- :data:`FEATURES` / :func:`feature_table` — each feature's definition, unit and range;
  :data:`FEATURE_SET_VERSION` is stored with every result.

Importing this package does not import librosa; the analysis modules load it on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from analytics.audio.features import FEATURE_SET_VERSION, FEATURES, NUMERIC_FEATURES, feature_table
from analytics.audio.warmup import configure_numba_cache, warm_up

if TYPE_CHECKING:
    from analytics.audio.analyze import FileResult, analyze_file
    from analytics.audio.batch import AnalysisBatch, analyze_files, find_audio_files
    from analytics.audio.matching import MatchResult, catalog_tracks, match_files
    from analytics.audio.tags import FileTags, read_all_tags, read_tags

__all__ = [
    "FEATURES",
    "FEATURE_SET_VERSION",
    "NUMERIC_FEATURES",
    "AnalysisBatch",
    "FileResult",
    "FileTags",
    "MatchResult",
    "analyze_file",
    "analyze_files",
    "catalog_tracks",
    "configure_numba_cache",
    "feature_table",
    "find_audio_files",
    "match_files",
    "read_all_tags",
    "read_tags",
    "warm_up",
]

# Loaded on first use: librosa for the analysis, mutagen and the matching for files, none of
# which a report (that only reads stored features) needs.
_LAZY = {
    "MatchResult": "analytics.audio.matching",
    "catalog_tracks": "analytics.audio.matching",
    "match_files": "analytics.audio.matching",
    "FileTags": "analytics.audio.tags",
    "read_all_tags": "analytics.audio.tags",
    "read_tags": "analytics.audio.tags",
    "AnalysisBatch": "analytics.audio.batch",
    "analyze_files": "analytics.audio.batch",
    "find_audio_files": "analytics.audio.batch",
    "FileResult": "analytics.audio.analyze",
    "analyze_file": "analytics.audio.analyze",
}


def __getattr__(name: str) -> Any:
    """Load the librosa-backed modules on first use, after the numba cache folder is configured."""
    if name in _LAZY:
        import importlib

        configure_numba_cache()
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'analytics.audio' has no attribute {name!r}")
