"""The audio analysis's JIT kernels: librosa's beat tracker and peak picker, the spectral shape
(``frames.spectral_shape``) and the K-weighting (``loudness.k_weighted_energies``, compiled once
for each memory order of the decoded blocks), compiled once under the JIT cache's lock
(:mod:`analytics.jit`, which says why).
"""

from __future__ import annotations

import time
from pathlib import Path

from analytics.jit import configure_numba_cache, ensure_compiled

PART = "analytics.audio.warmup:warm_up"


def warm_up(*, cache_dir: Path | None = None) -> float:
    """Compile every JIT function the analysis uses, on a 3-s synthetic signal, in this process.

    This reads and writes the disk cache without the checks of :func:`ensure_warm`; call that
    instead wherever another process may use the same cache.

    Returns
    -------
    Seconds spent (about 20 s cold, well under a second once the disk cache is filled and this
    process has run it before).
    """
    started = time.perf_counter()
    configure_numba_cache(cache_dir)
    import numpy as np

    from analytics.audio._librosa import import_librosa_audio

    import_librosa_audio()  # it loads a kernel as it is imported

    from analytics.audio.frames import FrameAnalyzer
    from analytics.audio.loudness import LoudnessMeter
    from analytics.audio.rhythm import rhythm_features

    rate = 22050
    t = np.arange(3 * rate) / rate
    clicks = (np.sin(2 * np.pi * 1000 * t) * (np.mod(t, 0.5) < 0.01)).astype(np.float32)
    analyzer = FrameAnalyzer(rate, 1)
    analyzer.add(clicks[:, None])  # (samples, 1) is C-ordered: libsndfile's interleaved blocks
    rhythm_features(analyzer.finish().onset)
    LoudnessMeter(float(rate), 2).add(np.stack([clicks, clicks]).T)  # FFmpeg's planar blocks (F order)
    return time.perf_counter() - started


def ensure_warm(*, cache_dir: Path | None = None) -> float:
    """The analysis's kernels compiled in this process from a checked cache; once per process.

    Call it before forking workers (:func:`analytics.audio.batch.process_pool_map` does), and in
    any process that analyses audio next to others sharing the cache.

    Returns
    -------
    Seconds spent (0 when this process, or the process it was forked from, is already warm).
    """
    return ensure_compiled(PART, cache_dir=cache_dir)
