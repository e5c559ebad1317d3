"""Pay librosa's numba compilation once: a persistent JIT cache and a warm-up on a tiny signal.

librosa compiles its beat tracker and peak picker with numba on first use (about 20 s on a cold
2-core machine). Most of those functions are cached on disk in ``NUMBA_CACHE_DIR``; one of them
(``beat.__beat_local_score``) is compiled at import in every process. :func:`warm_up` fills the
disk cache (``make setup`` calls it) and compiles everything in the current process, so process
pool workers forked from it start warm.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from analytics.config import PROJECT_ROOT

DEFAULT_NUMBA_CACHE = PROJECT_ROOT / ".cache" / "numba"


def configure_numba_cache(path: Path | None = None) -> Path:
    """Point numba's on-disk cache at ``path`` (default: ``NUMBA_CACHE_DIR`` or ``.cache/numba``).

    Must run before librosa is imported to take effect for librosa's cached functions; an
    explicitly set ``NUMBA_CACHE_DIR`` wins over the default.
    """
    chosen = Path(path or os.environ.get("NUMBA_CACHE_DIR") or DEFAULT_NUMBA_CACHE)
    chosen.mkdir(parents=True, exist_ok=True)
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


if __name__ == "__main__":  # `python -m analytics.audio.warmup`, e.g. from `make setup`
    print(f"audio analysis JIT warm-up: {warm_up():.1f} s (cache: {configure_numba_cache()})")
