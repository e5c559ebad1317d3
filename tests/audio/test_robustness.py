"""Bad and unusual files are analysed correctly or quarantined with a reason; the batch goes on."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from analytics.audio.analyze import analyze_file
from analytics.audio.batch import analyze_files
from analytics.demo import audio_files

from .conftest import SR, click_track


def test_random_bytes_named_wav_are_unreadable(tmp_path: Path) -> None:
    path = tmp_path / "garbage.wav"
    path.write_bytes(np.random.default_rng(3).bytes(50_000))
    result = analyze_file(path)
    assert (result.status, result.reason) == ("quarantined", "unreadable")
    assert "garbage.wav" in (result.detail or "") and "re-export" in (result.detail or "")


def test_empty_and_missing_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.flac"
    empty.touch()
    assert analyze_file(empty).reason == "empty"
    assert analyze_file(tmp_path / "nope.ogg").reason == "missing"


def test_truncated_ogg_is_analysed_or_quarantined_as_corrupt(tmp_path: Path) -> None:
    data = audio_files()[0].read_bytes()
    path = tmp_path / "truncated.ogg"
    path.write_bytes(data[: len(data) // 2])
    result = analyze_file(path)
    if result.status == "ok":
        assert 3.0 < result.features["duration_s"] < 7.0
    else:
        assert result.reason in {"corrupt", "unreadable"}


def test_truncated_wav_keeps_the_audio_that_is_there(write_audio) -> None:
    path = write_audio("full.wav", click_track(120, seconds=12))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    result = analyze_file(path)
    assert result.status == "ok"
    assert result.features["duration_s"] == pytest.approx(6.0, abs=0.1)


def test_silence_and_very_short_files_are_quarantined(write_audio) -> None:
    silent = write_audio("silent.wav", np.zeros(5 * SR, dtype=np.float32))
    short = write_audio("short.wav", click_track(120, seconds=0.4))
    assert analyze_file(silent).reason == "silent"
    assert analyze_file(short).reason == "too_short"


def test_mp3_named_wav_is_read_by_content(write_audio) -> None:
    path = write_audio("actually_mp3.wav", click_track(100, seconds=12, sr=44100), 44100, format="MP3")
    assert sf.info(str(path)).format == "MP3"
    result = analyze_file(path)
    assert result.status == "ok"
    assert any("MP3" in w for w in result.warnings)
    assert result.features["tempo_bpm"] == pytest.approx(100, rel=0.02)


@pytest.mark.parametrize(("sr", "channels"), [(8000, 1), (96000, 2), (48000, 6)])
def test_rates_and_channel_layouts(write_audio, sr: int, channels: int) -> None:
    mono = click_track(110, seconds=12, sr=sr)
    y = np.repeat(mono[:, None], channels, axis=1) * (0.7 if channels > 2 else 1.0)
    result = analyze_file(write_audio(f"x_{sr}_{channels}.flac", y, sr))
    assert result.status == "ok", result.detail
    assert result.features["channels"] == channels
    assert result.features["tempo_bpm"] == pytest.approx(110, rel=0.02)


def test_surround_channels_weigh_more_in_loudness(write_audio) -> None:
    rng = np.random.default_rng(5)
    noise = (rng.standard_normal(10 * 48000) * 0.05).astype(np.float32)
    front = np.zeros((len(noise), 6), dtype=np.float32)
    front[:, 0] = noise
    surround = np.zeros_like(front)
    surround[:, 4] = noise
    a = analyze_file(write_audio("front.wav", front, 48000)).features["loudness_lufs"]
    b = analyze_file(write_audio("surround.wav", surround, 48000)).features["loudness_lufs"]
    assert b - a == pytest.approx(10 * np.log10(1.41), abs=0.05)


def test_a_batch_with_bad_files_finishes_and_lists_them(tmp_path: Path, write_audio) -> None:
    good = write_audio("good.wav", click_track(120, seconds=10))
    bad = tmp_path / "bad.mp3"
    bad.write_bytes(b"ID3" + b"\x00" * 2000)
    silent = write_audio("silent.wav", np.zeros(3 * SR, dtype=np.float32))
    batch = analyze_files([bad, good, silent], cache_dir=tmp_path / "cache", workers=2)
    assert [r.status for r in batch.results] == ["quarantined", "ok", "quarantined"]
    assert list(batch.features["path"]) == [str(good)]
    record = batch.audit_record()["outputs"]
    assert {q["reason"] for q in record["quarantined"]} == {"unreadable", "silent"}
    assert record["analysed"] == 1 and record["files"] == 3
