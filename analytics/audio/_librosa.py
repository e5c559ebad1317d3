"""librosa, imported only once numba's cache folder is configured.

librosa compiles with numba, which reads ``NUMBA_CACHE_DIR`` when it is first imported: the
analysis modules take librosa from here, so the folder is set whichever of them loads first and
however it is reached (the package's lazy exports or a direct import of a module).

:func:`librosa_beat` imports ``librosa.beat`` with every kernel cached: librosa 0.11 declares
one of them (``__beat_local_score``) with ``cache=False``, so every process that imports the
beat tracker compiled it again (about 1.5 s of CPU) while the others load from the disk cache.
It is imported where the beat tracker is first used, as before, so that the kernels are first
compiled by the warm-up, under its lock (:mod:`analytics.jit`), like the rest.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

from analytics.jit import configure_numba_cache

configure_numba_cache()

import librosa  # noqa: E402  (after the cache folder is set)


def librosa_beat() -> ModuleType:
    """``librosa.beat``, its kernels compiled into (and loaded from) the disk cache.

    Where something else imported ``librosa.beat`` first, that module is returned as it is.
    """
    if "librosa.beat" not in sys.modules:
        import numba

        guvectorize: Callable[..., Any] = numba.guvectorize

        def cached_guvectorize(*args: Any, **kwargs: Any) -> Any:
            return guvectorize(*args, **{**kwargs, "cache": True})

        numba.guvectorize = cached_guvectorize
        try:
            import librosa.beat  # noqa: F401
        finally:
            numba.guvectorize = guvectorize
    return sys.modules["librosa.beat"]


def import_librosa_audio() -> None:
    """Import ``librosa.core.audio`` without reading the source of every frame on the stack.

    It asks lazy_loader for two optional resamplers (samplerate, resampy); for each one that is
    not installed, lazy_loader calls ``inspect.stack()`` to name its caller in a later error,
    which reads the source lines of every frame and scans every loaded module: 0.2-1 s of CPU
    where the import happens deep inside a flow run. Only the caller's file and line are kept,
    so the frames are taken without their source context meanwhile. The module loads a JIT
    kernel from the disk cache as it is imported: the warm-up calls this, once the cache is
    checked (:func:`analytics.audio.warmup.warm_up`).
    """
    if "librosa.core.audio" in sys.modules:
        return
    import inspect

    stack = inspect.stack
    inspect.stack = lambda context=1: stack(0)  # type: ignore[assignment,misc]
    try:
        import librosa.core.audio  # noqa: F401
    finally:
        inspect.stack = stack


__all__ = ["import_librosa_audio", "librosa", "librosa_beat"]
