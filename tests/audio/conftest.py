"""Synthetic signals with known answers, written as real audio files into the test's folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from analytics.audio.features import PITCH_CLASSES

SR = 22050


def click_track(bpm: float, *, seconds: float = 20.0, sr: int = SR, accents: bool = False) -> np.ndarray:
    """Decaying 1.5 kHz clicks on every beat (optionally a louder click on every 4th beat)."""
    y = np.zeros(int(seconds * sr), dtype=np.float32)
    length = int(0.03 * sr)
    t = np.arange(length) / sr
    click = (np.sin(2 * np.pi * 1500 * t) * np.exp(-t * 150)).astype(np.float32)
    for i, start in enumerate(np.arange(0.5, seconds - 0.1, 60.0 / bpm)):
        s = int(start * sr)
        gain = 1.0 if not accents or i % 4 == 0 else 0.6
        y[s : s + length] += 0.5 * gain * click[: len(y) - s]
    return y


def rock_pattern(bpm: float, *, seconds: float = 24.0, sr: int = SR, seed: int = 0) -> np.ndarray:
    """Drum-kit pattern: kick on beats 1 and 3, snare on 2 and 4, closed hi-hat on every eighth."""
    rng = np.random.default_rng(seed)
    y = np.zeros(int(seconds * sr), dtype=np.float64)
    beat = 60.0 / bpm
    kick_t = np.arange(int(0.15 * sr)) / sr
    kick = np.sin(2 * np.pi * (50 + 80 * np.exp(-kick_t * 30)) * kick_t) * np.exp(-kick_t * 20)
    snare_len = int(0.12 * sr)
    snare = rng.standard_normal(snare_len) * np.exp(-np.arange(snare_len) / sr * 30)
    hat_len = int(0.03 * sr)
    hat = np.diff(rng.standard_normal(hat_len + 1)) * np.exp(-np.arange(hat_len) / sr * 120)

    def put(sample: np.ndarray, at: float, gain: float) -> None:
        s = int(at * sr)
        n = min(len(sample), len(y) - s)
        if n > 0:
            y[s : s + n] += gain * sample[:n]

    for i, at in enumerate(np.arange(0.2, seconds - 0.3, beat)):
        put(kick if i % 2 == 0 else snare, at, 0.8 if i % 2 == 0 else 0.5)
        put(hat, at, 0.15)
        put(hat, at + beat / 2, 0.12)
    return (y / np.abs(y).max() * 0.8).astype(np.float32)


def syncopated_pattern(bpm: float, *, seconds: float = 24.0, sr: int = SR, seed: int = 0) -> np.ndarray:
    """A 3+3+2 figure: bass and hi-hat on sixteenths 0, 3 and 6 of every two beats, a soft snare
    on the second beat. Its onsets repeat every three sixteenths more often than every beat."""
    rng = np.random.default_rng(seed)
    y = np.zeros(int(seconds * sr), dtype=np.float64)
    beat = 60.0 / bpm
    t = np.arange(int(0.15 * sr)) / sr
    bass = np.sin(2 * np.pi * 80 * t) * np.exp(-t * 25)
    snare = rng.standard_normal(t.shape[0]) * np.exp(-t * 30)
    hat = np.diff(rng.standard_normal(t.shape[0] + 1)) * np.exp(-t * 120)

    def put(sample: np.ndarray, at: float, gain: float) -> None:
        s = int(at * sr)
        n = min(len(sample), len(y) - s)
        if n > 0:
            y[s : s + n] += gain * sample[:n]

    for cycle in np.arange(0.2, seconds - 2 * beat, 2 * beat):
        for sixteenth in (0, 3, 6):
            put(bass, cycle + sixteenth * beat / 4, 1.0)
            put(hat, cycle + sixteenth * beat / 4, 0.3)
        put(snare, cycle + beat, 0.3)
    return (y / np.abs(y).max() * 0.8).astype(np.float32)


def plucked_figure(
    bpm: float,
    notes: tuple[tuple[float, float, float], ...],
    *,
    beats: int,
    seconds: float = 24.0,
    sr: int = SR,
) -> np.ndarray:
    """A figure of plucked harmonic tones (4 partials, 1/k amplitudes, decaying over 0.3 s), no
    drums, repeated every ``beats`` beats; ``notes``: (beat within the figure, frequency in Hz, gain)."""
    y = np.zeros(int(seconds * sr), dtype=np.float64)
    beat = 60.0 / bpm
    t = np.arange(int(0.3 * sr)) / sr
    for cycle in np.arange(0.2, seconds - beats * beat, beats * beat):
        for at, freq, gain in notes:
            pluck = sum(np.sin(2 * np.pi * freq * k * t) / k for k in range(1, 5)) * np.exp(-t * 8)
            s = int((cycle + at * beat) * sr)
            n = min(len(pluck), len(y) - s)
            if n > 0:
                y[s : s + n] += gain * pluck[:n]
    return (y / np.abs(y).max() * 0.8).astype(np.float32)


def tone(freq: float, seconds: float, sr: int = SR) -> np.ndarray:
    """A harmonic tone (4 partials, 1/k amplitudes) with a short fade in and out."""
    t = np.arange(int(seconds * sr)) / sr
    y = sum(np.sin(2 * np.pi * freq * k * t) / k for k in range(1, 5))
    fade = np.minimum(1.0, np.minimum(t, t[::-1]) / 0.02)
    return np.asarray(y * fade, dtype=np.float64)


MAJOR_STEPS = (0, 2, 4, 5, 7, 9, 11)
HARMONIC_MINOR_STEPS = (0, 2, 3, 5, 7, 8, 11)


def chord_progression(tonic: str, mode: str, *, sr: int = SR, seconds_per_chord: float = 1.5) -> np.ndarray:
    """I-IV-V-I (major) or i-iv-V-i (harmonic minor) as triads over a bass note, then the scale."""
    root = PITCH_CLASSES.index(tonic)
    steps = MAJOR_STEPS if mode == "major" else HARMONIC_MINOR_STEPS
    base = 220.0 * 2 ** ((root - 9) / 12)  # tonic in the octave above A3

    def freq(degree: int, octave: int = 0) -> float:
        semis = steps[degree % 7] + 12 * (degree // 7 + octave)
        return float(base * 2 ** (semis / 12))

    parts = []
    for degree in (0, 3, 4, 0):
        notes = [freq(degree, -1), freq(degree), freq(degree + 2), freq(degree + 4)]
        parts.append(sum(tone(f, seconds_per_chord, sr) for f in notes))
    parts.extend(tone(freq(d), 0.4, sr) * 2 for d in range(8))
    y = np.concatenate(parts)
    return (y / np.abs(y).max() * 0.5).astype(np.float32)


def pink_noise(seconds: float, *, sr: int = 48000, channels: int = 2, seed: int = 1) -> np.ndarray:
    """Pink (1/f power) noise by spectral shaping of white noise."""
    rng = np.random.default_rng(seed)
    n = int(seconds * sr)
    spectrum = np.fft.rfft(rng.standard_normal((channels, n)), axis=1)
    f = np.fft.rfftfreq(n, 1 / sr)
    f[0] = f[1]
    y = np.fft.irfft(spectrum / np.sqrt(f), n=n, axis=1).T
    return (y / np.abs(y).max() * 0.5).astype(np.float32)


@pytest.fixture
def write_audio(tmp_path: Path) -> Callable[..., Path]:
    """Write a signal (samples,) or (samples, channels) to ``tmp_path/name``; returns the path."""

    def write(
        name: str, y: np.ndarray, sr: int = SR, *, subtype: str | None = None, format: str | None = None
    ) -> Path:
        path = tmp_path / name
        sf.write(path, y, sr, subtype=subtype, format=format)
        return path

    return write
