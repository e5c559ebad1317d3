"""Pay librosa's numba compilation once, at setup, into ``NUMBA_CACHE_DIR``.

``make setup`` runs ``python -m analytics.warmup``; later runs and workers load the compiled
functions from the cache instead of spending ~20 s compiling them.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from analytics.config import PROJECT_ROOT


def warm_up() -> float:
    """Compile the numba functions the audio analysis uses; returns the seconds it took."""
    os.environ.setdefault("NUMBA_CACHE_DIR", str(PROJECT_ROOT / ".cache" / "numba"))
    Path(os.environ["NUMBA_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    try:
        from analytics.audio import warm_up as audio_warm_up
    except ImportError:
        audio_warm_up = None
    if audio_warm_up is not None:
        audio_warm_up()
    else:
        import librosa
        import numpy as np

        sr = 22_050
        t = np.arange(sr * 4) / sr
        signal = (np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 2 * t) > 0)).astype(np.float32)
        librosa.beat.beat_track(y=signal, sr=sr)
        librosa.feature.chroma_stft(y=signal, sr=sr)
        librosa.onset.onset_detect(y=signal, sr=sr)
    return time.perf_counter() - started


if __name__ == "__main__":
    print(f"numba cache warm ({warm_up():.1f} s) in {os.environ['NUMBA_CACHE_DIR']}")
