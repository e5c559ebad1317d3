"""librosa, imported only once numba's cache folder is configured.

librosa compiles with numba, which reads ``NUMBA_CACHE_DIR`` when it is first imported: the
analysis modules take librosa from here, so the folder is set whichever of them loads first and
however it is reached (the package's lazy exports or a direct import of a module).
"""

from analytics.audio.warmup import configure_numba_cache

configure_numba_cache()

import librosa  # noqa: E402  (after the cache folder is set)

__all__ = ["librosa"]
