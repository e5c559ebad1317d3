"""Audio features from the artist's own files, and matching those files to catalog tracks.

Public surface (what flows and the CLI call):

- :func:`analyze_files` — features of many files (cached by content, parallel, quarantining
  bad files) → :class:`AnalysisBatch`; :func:`analyze_file` for one file.
- :func:`match_files` with :func:`read_all_tags` and :func:`catalog_tracks` — which file is which
  track → :class:`MatchResult`.
- :func:`warm_up` — compile the JIT code once (``make setup``).
- :data:`FEATURES` / :func:`feature_table` — each feature's definition, unit and range;
  :data:`FEATURE_SET_VERSION` is stored with every result.

The exports are listed in ``__init__.pyi`` and loaded on first use (lazy_loader): importing this
package does not import librosa, and the analysis modules configure numba's cache folder before
they load it (``_librosa.py``).
"""

import lazy_loader as lazy

__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
