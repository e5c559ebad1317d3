"""Loudness against the EBU test signals and pyloudnorm; peaks; block-size independence."""

from __future__ import annotations

import numpy as np
import pyloudnorm
import pytest
import scipy.signal
import soundfile as sf

from analytics.audio.analyze import analyze_file
from analytics.audio.loudness import (
    LoudnessMeter,
    _k_weighting_sos,
    k_weighted_energies,
    segment_peaks,
    to_db,
)
from analytics.demo import audio_files

from .conftest import pink_noise


def sine(freq: float, seconds: float, dbfs: float, *, sr: int = 48000, channels: int = 2, phase: float = 0.0):
    t = np.arange(int(seconds * sr)) / sr
    y = 10 ** (dbfs / 20) * np.sin(2 * np.pi * freq * t + phase)
    return np.repeat(y[:, None], channels, axis=1).astype(np.float32)


def measure(y: np.ndarray, sr: int = 48000, block: int = 48000) -> LoudnessMeter:
    meter = LoudnessMeter(sr, y.shape[1])
    for start in range(0, len(y), block):
        meter.add(y[start : start + block])
    return meter


@pytest.mark.parametrize("level", [-23.0, -33.0])
def test_ebu_tech_3341_sine_reads_its_level(level: float) -> None:
    meter = measure(sine(1000, 20, level))
    assert meter.integrated() == pytest.approx(level, abs=0.1)


def test_ebu_tech_3342_loudness_range_of_a_10_db_step() -> None:
    y = np.concatenate([sine(1000, 20, -20), sine(1000, 20, -30)])
    assert measure(y).loudness_range() == pytest.approx(10.0, abs=1.0)


def test_pink_noise_calibrated_to_minus_20_lufs(write_audio) -> None:
    noise = pink_noise(20).astype(np.float64)
    gain = 10 ** ((-20.0 - pyloudnorm.Meter(48000).integrated_loudness(noise)) / 20)
    path = write_audio("pink.wav", (noise * gain).astype(np.float32), 48000, subtype="FLOAT")
    result = analyze_file(path)
    assert result.features["loudness_lufs"] == pytest.approx(-20.0, abs=0.5)
    assert result.features["loudness_range_lu"] < 2.0


def test_matches_pyloudnorm_on_real_music() -> None:
    for path in audio_files()[:3]:
        y, sr = sf.read(path, dtype="float32")
        ours = measure(y, sr, block=10_000).integrated()
        assert ours == pytest.approx(pyloudnorm.Meter(sr).integrated_loudness(y.astype(np.float64)), abs=0.05)


def test_result_does_not_depend_on_block_size() -> None:
    y = pink_noise(8)
    values = {round(measure(y, block=b).integrated(), 6) for b in (1000, 4799, 48000, len(y))}
    assert len(values) == 1


def test_true_peak_sees_the_peak_between_samples() -> None:
    y = sine(12000, 2, 0.0, phase=np.pi / 4)  # samples at +-0.707, the waveform reaches 1.0
    meter = measure(y)
    assert to_db(meter.sample_peak) == pytest.approx(-3.01, abs=0.05)
    assert to_db(meter.true_peak) == pytest.approx(0.0, abs=0.3)


def test_silence_is_minus_infinity() -> None:
    meter = measure(np.zeros((48000 * 3, 2), dtype=np.float32))
    assert meter.integrated() == float("-inf") and np.isnan(meter.loudness_range())


def _kernel_energies(
    y: np.ndarray, rate: int, sizes: list[int], *, layout: str
) -> tuple[np.ndarray, np.ndarray]:
    """100-ms energies and final filter state from the kernel fed blocks of ``sizes`` in turn, each
    contiguous in ``layout`` (the two the warm-up compiles: any other would compile in the test)."""
    sos, width = _k_weighting_sos(rate), round(0.1 * rate)
    state, partial = np.zeros((2, 2, y.shape[1])), np.zeros(y.shape[1])
    parts, filled, start, turn = [], 0, 0, 0
    while start < len(y):
        block = np.asarray(y[start : start + sizes[turn % len(sizes)]], order=layout)
        parts.append(k_weighted_energies(block, sos, state, partial, filled, width))
        filled, start, turn = (filled + len(block)) % width, start + len(block), turn + 1
    return np.concatenate(parts), state


def _scipy_energies(y: np.ndarray, rate: int) -> tuple[np.ndarray, np.ndarray]:
    sos, width = _k_weighting_sos(rate), round(0.1 * rate)
    zi = np.zeros((2, 2, y.shape[1]))
    filtered, state = scipy.signal.sosfilt(sos, y.astype(np.float64), axis=0, zi=zi)
    n = len(y) // width
    return np.square(filtered[: n * width]).reshape(n, width, -1).sum(axis=1), state


@pytest.mark.parametrize("layout", ["C", "F"])
def test_k_weighting_kernel_equals_scipy_sosfilt_across_blocks(layout: str) -> None:
    """Real music and seeded noise, in blocks that end anywhere in a 100-ms sub-block."""
    music, rate = sf.read(audio_files()[1], dtype="float32", always_2d=True)
    noise = np.random.default_rng(11).standard_normal((3 * 48000, 3)).astype(np.float32) * 0.3
    for y, sr in ((music, rate), (noise, 48000)):
        ours, state = _kernel_energies(y, sr, [997, 4410, 1, 48000, 12345], layout=layout)
        reference, reference_state = _scipy_energies(y, sr)
        np.testing.assert_allclose(ours, reference, rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(state, reference_state, rtol=1e-9, atol=1e-12)


def test_meter_takes_either_memory_order_and_any_dtype() -> None:
    y = pink_noise(4)
    planar = np.asfortranarray(y)  # (samples, channels) over per-channel rows, as FFmpeg decodes
    variants = (y, planar, y.astype(np.float64), y[:, ::-1])  # the last two are converted first
    loudness = {round(measure(x, block=len(x)).integrated(), 9) for x in variants}
    assert len(loudness) == 1


@pytest.mark.parametrize("samples", [0, 4799, 4800, 4801, 48_000 + 17])
def test_segment_peaks_in_either_memory_order(samples: int) -> None:
    y = np.random.default_rng(samples).standard_normal((samples, 3)).astype(np.float32)
    expected = [np.abs(y[k : k + 4800]).max() for k in range(0, samples, 4800)]
    for block in (y, np.asfortranarray(y)):
        np.testing.assert_array_equal(segment_peaks(block, 4800), np.array(expected, dtype=np.float32))
