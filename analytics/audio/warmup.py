"""Pay librosa's numba compilation once, and never let two processes write the JIT cache at once.

librosa compiles its beat tracker and peak picker with numba on first use (about 20 s on a cold
2-core machine) and caches most of them on disk in ``NUMBA_CACHE_DIR``; so are encore's own
kernels: the spectral shape (``frames.spectral_shape``) and the K-weighting
(``loudness.k_weighted_energies``, compiled once for each memory order of the decoded blocks).
numba's cache is not safe
for processes that compile into it at the same time: each one reads the function's index, adds
its entry and writes the index back, so two pool workers compiling on an empty cache can leave an
index that points at the other's object code, and every later process that loads it segfaults.
A cache left half-written (a process killed while writing) or written by other versions of
numba, llvmlite or librosa is no better.

:func:`ensure_warm` therefore, once per process and under a file lock on the cache folder:

1. checks the cache's stamp (``.<folder>.stamp.json`` beside it: the Python, numba, llvmlite and
   librosa versions, and the name, size and modification time of every cache file, written
   after a warm-up succeeded); a cache from other versions is cleared;
2. if the stamp does not match the folder (empty, half-written, written to since), warms up in a
   child process, so a cache that crashes numba's loader kills the child, not this process; a
   failed child clears the cache and the warm-up runs again on an empty one;
3. warms up in this process, from the checked cache: the compiled code is then in memory and
   process-pool workers forked from this process compile nothing and write nothing.

``make setup`` runs :func:`prepare_cache` (steps 1 and 2) through :func:`main`.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from importlib import metadata
from pathlib import Path

from analytics.config import PROJECT_ROOT

DEFAULT_NUMBA_CACHE = PROJECT_ROOT / ".cache" / "numba"
_warm = False  # this process's JIT code is compiled (a child forked from it inherits that)


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
    """Compile every JIT function the analysis uses, on a 3-s synthetic signal, in this process.

    This reads and writes the disk cache without the checks of :func:`ensure_warm`; call that
    instead wherever another process may use the same cache.

    Returns
    -------
    Seconds spent (about 20 s cold, well under a second once the disk cache is filled and this
    process has run it before).
    """
    global _warm
    started = time.perf_counter()
    configure_numba_cache(cache_dir)
    import numpy as np

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
    _warm = True
    return time.perf_counter() - started


WARM_UP_COMMAND = (sys.executable, "-c", "from analytics.audio.warmup import warm_up; warm_up()")


class CacheError(RuntimeError):
    """The JIT cache could not be built: the warm-up failed even on an empty cache."""


def cache_versions() -> dict[str, str]:
    """What a numba cache's contents depend on: Python, numba, llvmlite and librosa versions, CPU."""
    versions = {"python": platform.python_version(), "machine": platform.machine()}
    for package in ("numba", "llvmlite", "librosa"):
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = "absent"
    return versions


def _stamp_file(folder: Path) -> Path:
    return folder.parent / f".{folder.name}.stamp.json"


def _listing(folder: Path) -> list[list[object]]:
    """(relative name, size, mtime in ns) of every cache file, sorted; temporary files left out."""
    rows: list[list[object]] = []
    for path in folder.rglob("*"):
        if path.is_file() and ".tmp." not in path.name:
            info = path.stat()
            rows.append([path.relative_to(folder).as_posix(), info.st_size, info.st_mtime_ns])
    return sorted(rows)


def _stamp_matches(folder: Path) -> bool:
    try:
        stamp = json.loads(_stamp_file(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(stamp.get("versions") == cache_versions() and stamp.get("files") == _listing(folder))


def _write_stamp(folder: Path) -> None:
    stamp = _stamp_file(folder)
    tmp = stamp.with_name(f"{stamp.name}.tmp.{os.getpid()}")
    tmp.write_text(json.dumps({"versions": cache_versions(), "files": _listing(folder)}), encoding="utf-8")
    os.replace(tmp, stamp)


def _clear(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)


@contextlib.contextmanager
def cache_lock(folder: Path) -> Iterator[None]:
    """Exclusive lock on the cache folder (a lock file beside it), released when the holder exits."""
    with open(folder.parent / f".{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _prepare_locked(folder: Path, command: Sequence[str]) -> int:
    """Steps 1 and 2 of the module docstring, with the lock held; returns how often the cache was cleared."""
    if _stamp_matches(folder):
        return 0
    cleared = 0
    stamp = _stamp_file(folder)
    if stamp.exists():
        try:
            stale = json.loads(stamp.read_text(encoding="utf-8")).get("versions") != cache_versions()
        except (OSError, ValueError):
            stale = True
        if stale:  # written by other versions: nothing in it is worth keeping
            _clear(folder)
            cleared += 1
    env = {**os.environ, "NUMBA_CACHE_DIR": str(folder)}
    rebuilt = False
    while True:
        child = subprocess.run(list(command), env=env, check=False)
        if child.returncode == 0:
            _write_stamp(folder)
            return cleared
        if rebuilt or not any(folder.iterdir()):
            raise CacheError(
                f"the audio warm-up failed with exit code {child.returncode} on an empty "
                f"JIT cache ({folder}); run `python -m analytics.audio.warmup` to see why"
            )
        print(
            f"the audio warm-up failed with exit code {child.returncode}; "
            f"clearing the JIT cache {folder} and building it again",
            file=sys.stderr,
        )
        _clear(folder)
        cleared += 1
        rebuilt = True


def prepare_cache(
    *, cache_dir: Path | None = None, command: Sequence[str] = WARM_UP_COMMAND
) -> tuple[float, int]:
    """Check the JIT cache, filling it from a child process and rebuilding one that fails.

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
    with cache_lock(folder):  # a second process waits, then finds the cache checked
        cleared = _prepare_locked(folder, command)
    return time.perf_counter() - started, cleared


def ensure_warm(*, cache_dir: Path | None = None, command: Sequence[str] = WARM_UP_COMMAND) -> float:
    """Compiled JIT code in this process from a checked cache; once per process (see module docstring).

    Call it before forking workers (:func:`analytics.audio.batch.process_pool_map` does), and in
    any process that analyses audio next to others sharing the cache.

    Returns
    -------
    Seconds spent (0 when this process, or the process it was forked from, is already warm).
    """
    if _warm:  # compiled code is inherited through fork: nothing to do in a child either
        return 0.0
    started = time.perf_counter()
    folder = configure_numba_cache(cache_dir)
    with cache_lock(folder):
        _prepare_locked(folder, command)
        warm_up(cache_dir=folder)  # loads what the child compiled; writes nothing
        if not _stamp_matches(folder):  # it compiled after all (a signature the child did not): re-stamp
            _write_stamp(folder)
    return time.perf_counter() - started


def main() -> None:
    """Prepare the cache and say how long it took (``make setup``)."""
    seconds, cleared = prepare_cache()
    rebuilt = " (rebuilt)" if cleared else ""
    print(f"audio analysis JIT warm-up: {seconds:.1f} s (cache: {numba_cache_folder()}){rebuilt}")


if __name__ == "__main__":  # `python -m analytics.audio.warmup`
    main()
