"""Batch analysis: content-hash cache, parallel map hook, frame grid independent of block size."""

from __future__ import annotations

import faulthandler
import os
import shutil
import signal
from collections.abc import Callable, Sequence
from pathlib import Path

import librosa
import numpy as np
import pandas as pd
import pytest

from analytics.audio import decode
from analytics.audio.analyze import FileResult
from analytics.audio.batch import analyze_files, process_pool_map
from analytics.audio.cache import FeatureCache
from analytics.audio.features import ANALYSIS_SR, FEATURE_SET_VERSION, FEATURES, HOP, N_FFT
from analytics.audio.frames import AMIN, FrameAnalyzer, spectral_shape
from analytics.demo import audio_files


def test_second_run_reads_the_cache_and_computes_nothing(tmp_path: Path) -> None:
    files = audio_files()[:3]
    first = analyze_files(files, cache_dir=tmp_path, workers=1)
    assert (first.computed, first.cache_hits) == (3, 0)
    second = analyze_files(files, cache_dir=tmp_path, workers=1)
    assert (second.computed, second.cache_hits) == (0, 3)
    pd.testing.assert_frame_equal(first.features, second.features)
    assert set(second.features["feature_set_version"]) == {FEATURE_SET_VERSION}


def test_cache_follows_content_not_name(tmp_path: Path) -> None:
    source = audio_files()[0]
    analyze_files([source], cache_dir=tmp_path / "cache", workers=1)
    copy = tmp_path / "renamed.ogg"
    shutil.copy(source, copy)
    again = analyze_files([copy], cache_dir=tmp_path / "cache", workers=1)
    assert again.cache_hits == 1 and again.features["path"].iloc[0] == str(copy)
    copy.write_bytes(copy.read_bytes()[:-1000])  # changed content: computed again
    assert analyze_files([copy], cache_dir=tmp_path / "cache", workers=1).computed == 1


def test_map_fn_hook_replaces_the_pool(tmp_path: Path) -> None:
    calls: list[int] = []

    def my_map(
        fn: Callable[[tuple[str, str]], FileResult], jobs: Sequence[tuple[str, str]]
    ) -> list[FileResult]:
        calls.append(len(jobs))
        return [fn(job) for job in jobs]

    batch = analyze_files(audio_files()[:2], cache_dir=tmp_path, map_fn=my_map)
    assert calls == [2] and len(batch.features) == 2


def test_process_pool_gives_the_same_features_as_one_process(tmp_path: Path) -> None:
    files = audio_files()[:4]
    pooled = analyze_files(files, cache_dir=tmp_path / "a", workers=2).features
    single = analyze_files(files, cache_dir=tmp_path / "b", workers=1).features
    pd.testing.assert_frame_equal(pooled, single)
    assert list(pooled.columns[3:]) == list(FEATURES)


def _frames(path: Path, block_seconds: float) -> dict[str, np.ndarray]:
    info = decode.probe(path)
    analyzer = FrameAnalyzer(info.sample_rate, info.channels)
    for block in decode.blocks(info, block_seconds=block_seconds):
        analyzer.add(block)
    data = analyzer.finish()
    return {"onset": data.onset, "spectral": data.spectral, "mfcc": data.mfcc, "chroma": data.chroma}


def test_streaming_result_does_not_depend_on_block_size() -> None:
    path = audio_files()[1]
    small, large = _frames(path, 0.37), _frames(path, 60.0)
    for name in small:
        np.testing.assert_allclose(small[name], large[name], rtol=1e-3, atol=1e-3, err_msg=name)


def test_frame_features_follow_librosa_definitions() -> None:
    path = audio_files()[2]
    info = decode.probe(path)
    analyzer = FrameAnalyzer(info.sample_rate, info.channels)
    for block in decode.blocks(info):
        analyzer.add(block)
    data = analyzer.finish()
    y, _ = librosa.load(path, sr=ANALYSIS_SR, mono=True, res_type="soxr_hq")
    mag = np.abs(librosa.stft(y, n_fft=N_FFT, hop_length=HOP))
    assert data.spectral.shape[0] == mag.shape[1]
    centroid = librosa.feature.spectral_centroid(S=mag, sr=ANALYSIS_SR)[0]
    rolloff = librosa.feature.spectral_rolloff(S=mag, sr=ANALYSIS_SR)[0]
    bandwidth = librosa.feature.spectral_bandwidth(S=mag, sr=ANALYSIS_SR)[0]
    zcr = librosa.feature.zero_crossing_rate(y, frame_length=N_FFT, hop_length=HOP)[0]
    voiced = data.rms > 1e-3
    assert np.median(np.abs(data.spectral[voiced, 0] / centroid[voiced] - 1)) < 0.01
    assert np.median(np.abs(data.spectral[voiced, 2] / rolloff[voiced] - 1)) < 0.02
    assert np.median(np.abs(data.spectral[voiced, 1] / bandwidth[voiced] - 1)) < 0.01
    assert np.median(np.abs(data.zcr[voiced] - zcr[voiced])) < 0.002
    onset = librosa.onset.onset_strength(y=y, sr=ANALYSIS_SR)
    assert np.corrcoef(onset, data.onset)[0, 1] > 0.95


def test_spectral_shape_kernel_matches_the_formulas() -> None:
    rng = np.random.default_rng(4)
    bins = N_FFT // 2 + 1
    spectrum = (rng.standard_normal((64, bins)) + 1j * rng.standard_normal((64, bins))).astype(np.complex64)
    spectrum *= np.exp(-np.arange(bins) / 80.0).astype(np.float32)  # most energy low, as in music
    spectrum[5] = 0  # a silent frame
    freqs = librosa.fft_frequencies(sr=ANALYSIS_SR, n_fft=N_FFT).astype(np.float32)
    power = np.empty(spectrum.shape, np.float32)
    shape = spectral_shape(spectrum, freqs, power)
    np.testing.assert_allclose(power, np.abs(spectrum.astype(np.complex128)) ** 2, rtol=1e-6)
    mag = np.sqrt(power).astype(np.float64)  # the magnitude in float32, as the kernel takes it
    total = mag.sum(axis=1) + AMIN
    centroid = mag @ freqs / total
    bandwidth = np.sqrt(np.maximum(mag @ freqs.astype(np.float64) ** 2 / total - centroid**2, 0))
    rolloff = freqs[np.argmax(np.cumsum(mag, axis=1) >= 0.85 * mag.sum(axis=1, keepdims=True), axis=1)]
    np.testing.assert_allclose(shape[:, 0], centroid, rtol=1e-9)
    np.testing.assert_allclose(shape[:, 1], bandwidth, rtol=1e-9)
    np.testing.assert_array_equal(shape[:, 2], rolloff)
    np.testing.assert_allclose(shape[:, 3], np.maximum(power, AMIN).mean(axis=1, dtype=np.float64), rtol=1e-9)
    assert shape[5].tolist() == [0.0, 0.0, 0.0, np.float32(AMIN)]


@pytest.mark.parametrize("ext", ["wav", "flac"])
def test_same_excerpt_as_ogg_and_lossless_gives_the_same_features(tmp_path: Path, ext: str) -> None:
    import soundfile as sf

    source = audio_files()[-1]  # sectoid--metal-madness
    y, sr = sf.read(source, dtype="float32")
    copy = tmp_path / f"copy.{ext}"
    sf.write(copy, y, sr, subtype="FLOAT" if ext == "wav" else "PCM_24")
    a, b = (
        analyze_files([p], cache_dir=tmp_path / p.suffix, workers=1).features.iloc[0] for p in (source, copy)
    )
    assert b["tempo_bpm"] == pytest.approx(a["tempo_bpm"], rel=0.02)
    assert (b["key"], b["mode"]) == (a["key"], a["mode"])
    assert b["loudness_lufs"] == pytest.approx(a["loudness_lufs"], abs=0.1)
    for name in ("spectral_centroid_hz", "spectral_rolloff_hz", "onset_rate_per_s", "mfcc_01_mean"):
        assert b[name] == pytest.approx(a[name], rel=0.03), name


def test_demo_excerpts_are_stable_across_runs(tmp_path: Path) -> None:
    files = audio_files()
    a = analyze_files(files, cache_dir=tmp_path / "a", workers=1).features.drop(columns="path")
    b = analyze_files(files, cache_dir=tmp_path / "b", workers=1).features.drop(columns="path")
    pd.testing.assert_frame_equal(a, b)
    assert a["tempo_bpm"].between(30, 300).all() and a["loudness_lufs"].between(-40, 0).all()
    metal = a.iloc[next(i for i, f in enumerate(files) if "metal-madness" in f.name)]
    assert metal["tempo_bpm"] == pytest.approx(150, rel=0.03)  # the song's chart tempo


def _dies_on_b(job: tuple[str, str]) -> FileResult:
    """A worker that dies on one file, as a decoder crash or a broken JIT cache does."""
    if job[0].endswith("b.wav"):
        faulthandler.disable()  # the crash is the point: no traceback dump in the test output
        os.kill(os.getpid(), signal.SIGSEGV)
    return FileResult(job[0], job[1], "ok", features={"duration_s": 1.0})


def test_a_dead_worker_quarantines_its_file_for_this_run_only(tmp_path: Path) -> None:
    """The crash is no verdict on the file: the others finish, and nothing is cached for it."""
    results = list(
        process_pool_map(2)(_dies_on_b, [("a.wav", "h" * 64), ("b.wav", "b" * 64), ("c.wav", "c" * 64)])
    )
    assert [r.status for r in results] == ["ok", "quarantined", "ok"]
    assert results[1].reason == "crashed" and "tried again next run" in (results[1].detail or "")
    cache = FeatureCache(tmp_path / "features")
    for result in results:
        cache.put(result)
    assert cache.get("b" * 64, path=Path("b.wav")) is None
    assert cache.get("c" * 64, path=Path("c.wav")) is not None
