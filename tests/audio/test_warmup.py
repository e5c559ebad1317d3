"""warm_up fills a persistent numba cache; the package exposes its API lazily."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

import analytics.audio as audio
from analytics.jit import CacheError, prepare_cache


def test_numba_cache_folder_is_configured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """warm_up itself (a JIT compile, 20 s to minutes) runs in `make setup`, not in the tests."""
    monkeypatch.delenv("NUMBA_CACHE_DIR", raising=False)
    chosen = audio.configure_numba_cache(tmp_path / "numba")
    assert chosen.is_dir() and os.environ["NUMBA_CACHE_DIR"] == str(chosen)
    from numba.core import config

    assert str(chosen) == config.CACHE_DIR
    monkeypatch.setenv("NUMBA_CACHE_DIR", str(tmp_path / "explicit"))
    assert audio.configure_numba_cache() == tmp_path / "explicit"
    monkeypatch.undo()
    config.reload_config()  # back to the session's cache folder


def test_public_api_is_importable_lazily(tmp_path: Path) -> None:
    assert callable(audio.analyze_files) and callable(audio.analyze_file) and callable(audio.match_files)
    assert audio.FEATURE_SET_VERSION.startswith("audio-features/")
    (tmp_path / "a").mkdir()
    for name in ("a/x.WAV", "b.flac", "c.txt", ".hidden/d.ogg"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_bytes(b"")
    found = [p.relative_to(tmp_path).as_posix() for p in audio.find_audio_files(tmp_path)]
    assert found == ["a/x.WAV", "b.flac"]
    with pytest.raises(AttributeError):
        _ = audio.nothing_here  # type: ignore[attr-defined]


def _child(script: str) -> tuple[str, ...]:
    return (sys.executable, "-c", script)


def test_a_cache_that_crashes_its_loader_is_cleared_and_built_again(tmp_path: Path) -> None:
    """The child dies by SIGSEGV while the stale file is there, as numba's loader does on a bad cache."""
    cache = tmp_path / "numba"
    cache.mkdir()
    (cache / "stale.nbi").write_text("half-written index")
    crash_on_stale = _child(
        "import os, pathlib, signal\n"
        "folder = pathlib.Path(os.environ['NUMBA_CACHE_DIR'])\n"
        "if (folder / 'stale.nbi').exists():\n"
        "    os.kill(os.getpid(), signal.SIGSEGV)\n"
        "(folder / 'warm.nbi').write_text('ok')\n"
    )
    _, cleared = prepare_cache(cache_dir=cache, command=crash_on_stale)
    assert cleared == 1
    assert sorted(p.name for p in cache.iterdir()) == ["warm.nbi"]
    _, cleared = prepare_cache(cache_dir=cache, command=crash_on_stale)
    assert cleared == 0  # a healthy cache is kept


def test_a_warm_up_that_fails_on_an_empty_cache_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CacheError, match="on an empty JIT cache"):
        prepare_cache(cache_dir=tmp_path / "numba", command=_child("raise SystemExit(3)"))


def test_preparing_a_cache_leaves_this_process_settings_alone(tmp_path: Path) -> None:
    before = os.environ.get("NUMBA_CACHE_DIR")
    prepare_cache(cache_dir=tmp_path / "numba", command=_child("pass"))
    assert os.environ.get("NUMBA_CACHE_DIR") == before


COUNT_COMPILES = """
from numba.core import event
with event.install_recorder("numba:compile") as recorder:
    from analytics.audio.warmup import ensure_warm
    ensure_warm()
    from analytics.jit import ensure_compiled
    ensure_compiled("analytics.curation.search_kernel:warm_up")
print(sorted({e.data["dispatcher"].py_func.__qualname__ for _, e in recorder.buffer if e.is_start}))
"""


def test_a_process_on_a_warm_cache_compiles_nothing() -> None:
    """Every kernel the analysis and the playlist sequencing use loads from the disk cache (the
    session's, which `make setup` filled), librosa's beat tracker's too: librosa declares one of
    its kernels uncached (``_librosa.librosa_beat``)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", COUNT_COMPILES], capture_output=True, text=True, timeout=900, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout


READS_OF_SOURCE = """
import inspect
calls = []
findsource = inspect.findsource
inspect.findsource = lambda *a, **k: calls.append(a) or findsource(*a, **k)
def deep(n):
    if n:
        return deep(n - 1)
    import numpy as np
    from analytics.audio.warmup import ensure_warm
    ensure_warm()  # as an analysing process starts
    from analytics.audio._librosa import librosa
    librosa.resample(np.zeros(64), orig_sr=22050, target_sr=11025)  # librosa.core.audio's
deep(50)
print(len(calls))
"""


def test_importing_librosa_reads_no_source_of_the_stack() -> None:
    """librosa's audio module makes lazy_loader take ``inspect.stack()`` for each optional
    resampler that is missing, reading the source of every frame: 0.2-1 s deep in a flow run.
    The warm-up imports it without (``_librosa.import_librosa_audio``)."""
    import subprocess

    done = subprocess.run(
        [sys.executable, "-c", READS_OF_SOURCE], capture_output=True, text=True, timeout=300, check=True
    )
    assert done.stdout.strip() == "0", done.stdout


def test_a_part_missing_from_the_warm_ups_is_refused(tmp_path: Path) -> None:
    """The child compiles only the parts of WARM_UPS and the stamp names them: another part
    would compile outside them, unseen by the stamp."""
    from analytics.jit import ensure_compiled

    with pytest.raises(ValueError, match="not a JIT part"):
        ensure_compiled(
            "analytics.curation.search_kernel:iterated_local_search", cache_dir=tmp_path / "numba"
        )
    assert not (tmp_path / "numba").exists()  # refused before anything was touched
