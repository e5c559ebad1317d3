from .analyze import FileResult, analyze_file
from .batch import AnalysisBatch, analyze_files, find_audio_files
from .features import FEATURE_SET_VERSION, FEATURES, NUMERIC_FEATURES, feature_table
from .matching import MatchResult, catalog_tracks, match_files
from .tags import FileTags, read_all_tags, read_tags
from .warmup import configure_numba_cache, warm_up

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
