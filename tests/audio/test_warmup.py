"""warm_up fills a persistent numba cache; the package exposes its API lazily."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import analytics.audio as audio


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
