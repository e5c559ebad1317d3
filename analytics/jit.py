"""encore's numba kernels: compiled once, into a disk cache no two processes write at once.

Two parts of encore compile with numba and cache the machine code on disk in
``NUMBA_CACHE_DIR``: the audio analysis (librosa's beat tracker and peak picker, the spectral
shape, the K-weighting; :mod:`analytics.audio.warmup`) and the playlist sequencing
(:mod:`analytics.curation.search_kernel`). A cold compile takes 10-30 s of CPU. numba's cache is
not safe for processes that compile into it at the same time: each one reads the function's
index, adds its entry and writes the index back, so two processes compiling on an empty cache
can leave an index that points at the other's object code, and every later process that loads
it segfaults. A cache left half-written (a process killed while writing) or written by other
versions of numba, llvmlite or librosa is no better.

:func:`ensure_compiled` therefore, once per process and part, under a file lock on the cache folder:

1. checks the cache's stamp (``.<folder>.stamp.json`` beside it: the Python, numba, llvmlite and
   librosa versions, the parts compiled, and the name, size and modification time of every
   cache file, written after a warm-up succeeded); a cache from other versions is cleared;
2. if the stamp does not match the folder (empty, half-written, written to since), compiles
   every part (:data:`WARM_UPS`) in a child process, so a cache that crashes numba's loader kills
   the child, not this process; a failed child clears the cache and the child runs again on an
   empty one;
3. runs the part's warm-up in this process, from the checked cache: the compiled code is then in
   memory, and process-pool workers forked from this process compile nothing and write nothing.

``make setup`` runs steps 1 and 2 for every part (:func:`prepare_cache`, ``python -m analytics.jit``).
"""

from __future__ import annotations

import contextlib
import fcntl
import importlib
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from importlib import metadata
from pathlib import Path

from analytics.config import PROJECT_ROOT

DEFAULT_NUMBA_CACHE = PROJECT_ROOT / ".cache" / "numba"
# Each part's warm-up: "module:function", a function that compiles every kernel of the part on a
# tiny input. Named, not imported, so that this module stays below the parts that use it.
WARM_UPS: tuple[str, ...] = (
    "analytics.audio.warmup:warm_up",
    "analytics.curation.search_kernel:warm_up",
)
WARM_UP_COMMAND = (sys.executable, "-c", "from analytics.jit import warm_all; warm_all()")
_compiled: set[str] = set()  # the parts compiled in this process (a child forked from it inherits them)


def numba_cache_folder(path: Path | None = None) -> Path:
    """The cache folder: ``path``, else ``NUMBA_CACHE_DIR``, else ``.cache/numba``; created."""
    chosen = Path(path or os.environ.get("NUMBA_CACHE_DIR") or DEFAULT_NUMBA_CACHE)
    chosen.mkdir(parents=True, exist_ok=True)
    return chosen


def configure_numba_cache(path: Path | None = None) -> Path:
    """Point numba's on-disk cache at ``path`` (default: ``NUMBA_CACHE_DIR`` or ``.cache/numba``).

    Must run before a module with cached kernels is imported to take effect for it; an
    explicitly set ``NUMBA_CACHE_DIR`` wins over the default.
    """
    chosen = numba_cache_folder(path)
    os.environ["NUMBA_CACHE_DIR"] = str(chosen)
    if "numba" in sys.modules:
        from numba.core import config

        config.reload_config()
    return chosen


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
    matches = stamp.get("versions") == cache_versions() and stamp.get("parts") == list(WARM_UPS)
    return bool(matches and stamp.get("files") == _listing(folder))


def _write_stamp(folder: Path) -> None:
    stamp = _stamp_file(folder)
    tmp = stamp.with_name(f"{stamp.name}.tmp.{os.getpid()}")
    contents = {"versions": cache_versions(), "parts": list(WARM_UPS), "files": _listing(folder)}
    tmp.write_text(json.dumps(contents), encoding="utf-8")
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
                f"the JIT warm-up failed with exit code {child.returncode} on an empty "
                f"JIT cache ({folder}); run `python -c 'from analytics.jit import warm_all; warm_all()'` to see why"
            )
        print(
            f"the JIT warm-up failed with exit code {child.returncode}; "
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
    command : the child process that compiles (default: every part, :data:`WARM_UPS`); it
        inherits ``NUMBA_CACHE_DIR``.

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


def _resolve(part: str) -> Callable[[], object]:
    module, _, function = part.partition(":")
    warm: Callable[[], object] = getattr(importlib.import_module(module), function)
    return warm


def ensure_compiled(
    part: str, *, cache_dir: Path | None = None, command: Sequence[str] = WARM_UP_COMMAND
) -> float:
    """The kernels of ``part`` (an entry of :data:`WARM_UPS`) compiled in this process from a
    checked cache; once per process (see the module docstring).

    Call it before forking workers, and in any process that runs the part's kernels next to
    others sharing the cache.

    Returns
    -------
    Seconds spent (0 when this process, or the process it was forked from, has done it).

    Raises
    ------
    ValueError
        ``part`` is not in :data:`WARM_UPS`: the child would not compile it, nor the stamp name it.
    """
    if part not in WARM_UPS:
        raise ValueError(f"{part!r} is not a JIT part of analytics.jit.WARM_UPS: {', '.join(WARM_UPS)}")
    if part in _compiled:  # compiled code is inherited through fork: nothing to do in a child either
        return 0.0
    started = time.perf_counter()
    folder = configure_numba_cache(cache_dir)
    with cache_lock(folder):
        _prepare_locked(folder, command)
        _resolve(part)()  # loads what the child compiled; writes nothing
        if not _stamp_matches(folder):  # it compiled after all (a signature the child did not): re-stamp
            _write_stamp(folder)
    _compiled.add(part)
    return time.perf_counter() - started


def warm_all() -> None:
    """Compile every part's kernels in this process (the child of :func:`prepare_cache`)."""
    configure_numba_cache()
    for part in WARM_UPS:
        _resolve(part)()
        _compiled.add(part)


def main() -> None:
    """Prepare the cache for every part and say how long it took (``make setup``)."""
    seconds, cleared = prepare_cache()
    rebuilt = " (rebuilt)" if cleared else ""
    print(f"JIT warm-up: {seconds:.1f} s (cache: {numba_cache_folder()}){rebuilt}")


if __name__ == "__main__":  # `python -m analytics.jit`
    main()
