"""What encore measures on a track: each feature's definition, unit and range, in one registry.

The registry is the single source of the feature table (``docs/audio-features.md`` describes the
same fields at length) and of :data:`FEATURE_SET_VERSION`, which keys the feature cache: change a
computation, bump the version, and every cached result is recomputed on the next run.

The names are encore's own. Spotify's retired ``audio-features`` fields (danceability, energy,
valence, …) came from undisclosed models; ours are signal measurements with stated formulas, so
they are comparable between runs and machines but are not a drop-in replacement for Spotify's
numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

FEATURE_SET_VERSION = "audio-features/1.6"
"""Version of the computations below; part of every cache key and stored with every result."""

ANALYSIS_SR = 22050
"""Every file is resampled once to this rate (Hz) for the spectral and rhythm features."""
N_FFT = 2048
"""STFT window length in samples at :data:`ANALYSIS_SR` (92.9 ms)."""
HOP = 512
"""STFT hop in samples at :data:`ANALYSIS_SR` (23.2 ms, 43.07 frames per second)."""
N_MELS = 128
N_MFCC = 13
PITCH_CLASSES = ("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B")


@dataclass(frozen=True)
class FeatureSpec:
    """One per-track feature: column name, unit, expected range and how it is computed."""

    name: str
    unit: str
    low: float | None
    high: float | None
    definition: str


_SPECS: tuple[FeatureSpec, ...] = (
    FeatureSpec("duration_s", "s", 0, None, "length of the decoded audio"),
    FeatureSpec("source_sample_rate_hz", "Hz", 1, None, "sample rate of the file as stored"),
    FeatureSpec("channels", "count", 1, None, "channels in the file"),
    FeatureSpec(
        "tempo_bpm",
        "beats/min",
        30,
        300,
        "beat rate: peak of the detrended onset autocorrelation (8.9-s windows) scored with metrical "
        "support at twice the period and a log-normal prior at 140 BPM (see rhythm module)",
    ),
    FeatureSpec(
        "tempo_confidence",
        "0-1",
        0,
        1,
        "normalised onset autocorrelation at the beat period (1 = perfectly periodic pulse, ~0 = none)",
    ),
    FeatureSpec(
        "tempo_octave_ratio",
        "ratio",
        0.1,
        10,
        "tempo_bpm / the tempo librosa.beat.beat_track reports with defaults (2 = librosa says half)",
    ),
    FeatureSpec("beat_count", "count", 0, None, "beats found by dynamic programming at tempo_bpm"),
    FeatureSpec(
        "beat_strength",
        "ratio",
        0,
        None,
        "mean onset strength at the beats / mean onset strength over all frames (1 = beats no stronger)",
    ),
    FeatureSpec(
        "beat_regularity",
        "0-1",
        0,
        1,
        "danceability-like pulse measure: (1 - coefficient of variation of inter-beat intervals) x "
        "normalised onset autocorrelation at the beat period",
    ),
    FeatureSpec("onset_rate_per_s", "onsets/s", 0, None, "onsets (peak-picked onset envelope) per second"),
    FeatureSpec("key", "pitch class", None, None, "tonic C..B, best Albrecht-Shanahan profile correlation"),
    FeatureSpec("mode", "major|minor", None, None, "mode of the best-correlated key profile"),
    FeatureSpec(
        "key_confidence",
        "0-1",
        0,
        1,
        "Pearson correlation of the track's chroma with the chosen key profile (negatives clipped to 0)",
    ),
    FeatureSpec(
        "key_margin",
        "correlation",
        0,
        2,
        "best key correlation minus the runner-up that is neither its relative nor parallel key",
    ),
    FeatureSpec(
        "loudness_lufs",
        "LUFS",
        -70,
        0,
        "integrated loudness, ITU-R BS.1770-4 (K-weighting, 400 ms blocks, -70 LUFS and -10 LU gates)",
    ),
    FeatureSpec(
        "loudness_range_lu",
        "LU",
        0,
        None,
        "EBU Tech 3342 loudness range: 95th - 10th percentile of gated 3-s short-term loudness",
    ),
    FeatureSpec("sample_peak_dbfs", "dBFS", None, 0.1, "largest absolute sample value over all channels"),
    FeatureSpec(
        "true_peak_dbtp",
        "dBTP",
        None,
        6,
        "BS.1770-4 annex 2 true peak: 4x oversampled peak, measured around the loudest sample peaks",
    ),
    FeatureSpec(
        "dynamic_range_db",
        "dB",
        0,
        None,
        "peak-to-loudness ratio (PLR): true_peak_dbtp - loudness_lufs; small = heavily limited master",
    ),
    FeatureSpec("rms_dbfs", "dBFS", None, 0, "RMS level of the mono mix over the whole track"),
    FeatureSpec(
        "energy",
        "0-1",
        0,
        1,
        "intensity score: 0.5 x loudness (-40..-5 LUFS to 0..1) + 0.25 x onset rate (0..6/s) + "
        "0.25 x spectral centroid (0..4 kHz), each clipped",
    ),
    FeatureSpec("silence_ratio", "0-1", 0, 1, "share of frames whose RMS is below -60 dBFS"),
    FeatureSpec("spectral_centroid_hz", "Hz", 0, ANALYSIS_SR / 2, "mean magnitude-weighted mean frequency"),
    FeatureSpec(
        "spectral_bandwidth_hz", "Hz", 0, ANALYSIS_SR / 2, "mean magnitude-weighted std of frequency"
    ),
    FeatureSpec(
        "spectral_rolloff_hz", "Hz", 0, ANALYSIS_SR / 2, "mean frequency below which 85% of magnitude lies"
    ),
    FeatureSpec(
        "spectral_flatness",
        "0-1",
        0,
        1,
        "mean Wiener entropy: geometric / arithmetic mean of the power spectrum (1 = white noise)",
    ),
    FeatureSpec("zero_crossing_rate", "crossings/sample", 0, 1, "mean share of sign changes per frame"),
)

MFCC_COLUMNS = tuple(f"mfcc_{i:02d}_mean" for i in range(N_MFCC)) + tuple(
    f"mfcc_{i:02d}_std" for i in range(N_MFCC)
)
CHROMA_COLUMNS = tuple(f"chroma_{pc.replace('#', 's')}" for pc in PITCH_CLASSES)

FEATURES: dict[str, FeatureSpec] = {s.name: s for s in _SPECS}
FEATURES.update(
    {
        c: FeatureSpec(
            c, "dB (cepstral)", None, None, "mean / std over frames of MFCC i (13 of 128 mel bands)"
        )
        for c in MFCC_COLUMNS
    }
)
FEATURES.update(
    {
        c: FeatureSpec(c, "0-1", 0, 1, "mean over non-silent frames of the max-normalised STFT chroma")
        for c in CHROMA_COLUMNS
    }
)

NUMERIC_FEATURES: tuple[str, ...] = tuple(n for n in FEATURES if n not in {"key", "mode"})
"""Columns a model may use directly (``key`` and ``mode`` are labels)."""


def feature_table() -> list[dict[str, object]]:
    """The registry as rows (name, unit, low, high, definition), e.g. for a data dictionary."""
    return [
        {"name": s.name, "unit": s.unit, "low": s.low, "high": s.high, "definition": s.definition}
        for s in FEATURES.values()
    ]
