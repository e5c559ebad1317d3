"""Pay librosa's numba compilation once: a persistent JIT cache and a warm-up on a tiny signal.

librosa compiles its beat tracker and peak picker with numba on first use (about 20 s on a cold
2-core machine). Most of those functions are cached on disk in ``NUMBA_CACHE_DIR``; one of them
(``beat.__beat_local_score``) is compiled at import in every process. :func:`warm_up` fills the
disk cache and compiles everything in the current process, so process pool workers forked from
it start warm.

``make setup`` runs :func:`prepare_cache` (``python -m analytics.audio.warmup``): the warm-up in a
child process, under a file lock so two setups never write the cache at once, and a cache whose
loading crashes the child (a half-written or foreign cache makes numba's loader segfault) is
cleared and built again.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from analytics.config import PROJECT_ROOT

DEFAULT_NUMBA_CACHE = PROJECT_ROOT / ".cache" / "numba"


def numba_cache_folder(path: Path | None = None) -> Path:
    """The cache folder: ``path``, else ``NUMBA_CACHE_DIR``, else ``.cache/numba``; created."""
    chosen = Path(path or os.environ.get("NUMBA_CACHE_DIR") or DEFAULT_NUMBA_CACHE)
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def configure_numba_cache(path: Path | None = None) -> Path:
    """Point numba's on-disk cache at ``path`` (default: ``NUMBA_CACHE_DIR`` or ``.cache/numba``).

    Must run before librosa is imported to take effect for librosa's cached functions; an
    explicitly set ``NUMBA_CACHE_DIR`` wins over the default.
    """
    chosen = numba_cache_folder(path)
    os.environ["NUMBA_CACHE_DIR"] = str(chosen)
    if "numba" in sys.modules:
        from numba.core import config

        config.reload_config()
    return chosen


def warm_up(*, cache_dir: Path | None = None) -> float:
    """Compile every JIT function the analysis uses, on a 3-s synthetic signal.

    Returns
    -------
    Seconds spent (about 20 s cold, well under a second once the disk cache is filled and this
    process has run it before).
    """
    started = time.perf_counter()
    configure_numba_cache(cache_dir)
    import numpy as np

    from analytics.audio.frames import FrameAnalyzer
    from analytics.audio.rhythm import rhythm_features

    rate = 22050
    t = np.arange(3 * rate) / rate
    clicks = (np.sin(2 * np.pi * 1000 * t) * (np.mod(t, 0.5) < 0.01)).astype(np.float32)
    analyzer = FrameAnalyzer(rate, 1)
    analyzer.add(clicks[:, None])
    rhythm_features(analyzer.finish().onset)
    return time.perf_counter() - started


WARM_UP_COMMAND = (sys.executable, "-c", "from analytics.audio.warmup import warm_up; warm_up()")


class CacheError(RuntimeError):
    """The JIT cache could not be built: the warm-up failed even on an empty cache."""


def prepare_cache(
    *, cache_dir: Path | None = None, command: Sequence[str] = WARM_UP_COMMAND
) -> tuple[float, int]:
    """Fill the JIT cache from a child process, rebuilding a cache that crashes its loader.

    Parameters
    ----------
    cache_dir : the numba cache folder (default as in :func:`configure_numba_cache`).
    command : the child process that warms up; it inherits ``NUMBA_CACHE_DIR``.

    Returns
    -------
    Seconds spent, and how many times the cache was cleared (0 for a healthy cache).

    Raises
    ------
    CacheError
        The child failed on an empty cache too, so the cache is not the cause.
    """
    started = time.perf_counter()
    folder = numba_cache_folder(cache_dir)  # this process's own numba settings stay as they are
    env = {**os.environ, "NUMBA_CACHE_DIR": str(folder)}
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # a second setup waits, then finds the cache warm
        cleared = 0
        while True:
            child = subprocess.run(list(command), env=env, check=False)
            if child.returncode == 0:
                return time.perf_counter() - started, cleared
            if cleared:
                raise CacheError(
                    f"the audio warm-up failed with exit code {child.returncode} on an empty "
                    f"JIT cache ({folder}); run `python -m analytics.audio.warmup` to see why"
                )
            print(
                f"the audio warm-up failed with exit code {child.returncode}; "
                f"clearing the JIT cache {folder} and building it again",
                file=sys.stderr,
            )
            shutil.rmtree(folder)
            folder.mkdir(parents=True)
            cleared += 1


def main() -> None:
    """Prepare the cache and say how long it took (``make setup``)."""
    seconds, cleared = prepare_cache()
    rebuilt = " (rebuilt)" if cleared else ""
    print(f"audio analysis JIT warm-up: {seconds:.1f} s (cache: {numba_cache_folder()}){rebuilt}")


if __name__ == "__main__":  # `python -m analytics.audio.warmup`
    main()
