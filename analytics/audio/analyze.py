"""Analyse one file: decode once, derive every feature, or quarantine it with a reason.

:func:`analyze_file` never raises for a bad file: a file that cannot be analysed comes back as a
:class:`FileResult` with ``status="quarantined"``, a short ``reason`` code and a ``detail``
sentence saying what was wrong and what to do, so a batch carries on and the flow can put the
quarantine list into its audit record.
"""

from __future__ import annotations

import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from threadpoolctl import threadpool_limits

from analytics.audio import decode
from analytics.audio.features import CHROMA_COLUMNS, FEATURE_SET_VERSION, N_MFCC
from analytics.audio.frames import FrameAnalyzer, FrameData
from analytics.audio.loudness import to_db
from analytics.audio.rhythm import rhythm_features
from analytics.audio.tonal import estimate_key

MIN_DURATION_S = 1.0
"""Shorter files are quarantined (``too_short``): no tempo or key can be measured."""
SILENCE_RMS = 10 ** (-60 / 20)
"""Frames quieter than -60 dBFS count as silence."""


@dataclass(frozen=True)
class FileResult:
    """Outcome for one file: features, or a quarantine reason. JSON-serialisable with :meth:`to_dict`."""

    path: str
    content_hash: str
    status: Literal["ok", "quarantined"]
    features: dict[str, Any] = field(default_factory=dict)
    beats_s: tuple[float, ...] = ()
    reason: str | None = None
    detail: str | None = None
    warnings: tuple[str, ...] = ()
    feature_set_version: str = FEATURE_SET_VERSION
    compute_s: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FileResult:
        data = dict(data)
        data["beats_s"] = tuple(data.get("beats_s", ()))
        data["warnings"] = tuple(data.get("warnings", ()))
        return cls(**data)


def quarantined(path: Path, content_hash: str, reason: str, detail: str, **kw: Any) -> FileResult:
    return FileResult(str(path), content_hash, "quarantined", reason=reason, detail=detail, **kw)


def analyze_file(path: Path | str, *, content_hash: str = "") -> FileResult:
    """Every feature of one audio file, computed in a single streaming pass.

    Parameters
    ----------
    path : the audio file (any format libsndfile reads, whatever its extension).
    content_hash : the file's content hash, recorded in the result (see ``cache.content_hash``).
    """
    path = Path(path)
    started = time.perf_counter()
    try:
        with threadpool_limits(limits=1):
            info = decode.probe(path)
            analyzer = FrameAnalyzer(info.sample_rate, info.channels)
            for block in decode.blocks(info):
                analyzer.add(block)
            data = analyzer.finish()
            return _result(path, content_hash, info, data, started)
    except decode.AudioDecodeError as exc:
        return quarantined(path, content_hash, exc.reason, str(exc), compute_s=time.perf_counter() - started)
    except Exception as exc:  # a bad file must not stop the batch; the reason goes to the audit record
        detail = f"{path}: analysis failed ({exc.__class__.__name__}: {exc}); please report this file"
        return quarantined(path, content_hash, "error", detail, compute_s=time.perf_counter() - started)


def _result(
    path: Path, content_hash: str, info: decode.AudioInfo, data: FrameData, started: float
) -> FileResult:
    elapsed = time.perf_counter() - started
    warnings = list(info.warnings)
    if data.duration_s == 0:
        return quarantined(
            path, content_hash, "empty", f"{path}: no audio samples in the file", compute_s=elapsed
        )
    if data.duration_s < MIN_DURATION_S:
        detail = (
            f"{path}: {data.duration_s:.2f} s of audio, tempo and key need at least {MIN_DURATION_S:.0f} s"
        )
        return quarantined(path, content_hash, "too_short", detail, compute_s=elapsed)
    loudness = data.loudness.integrated()
    if not np.isfinite(loudness) or data.loudness.sample_peak < SILENCE_RMS:
        detail = (
            f"{path}: the file is silent (peak {to_db(data.loudness.sample_peak):.0f} dBFS); check the export"
        )
        return quarantined(path, content_hash, "silent", detail, compute_s=elapsed)
    if info.sample_rate < 22050:
        warnings.append(f"sample rate {info.sample_rate} Hz: no content above {info.sample_rate // 2} Hz")
    if data.duration_s < 15:
        warnings.append(f"only {data.duration_s:.1f} s of audio: tempo and key are less certain")
    features, beats = summarize(data)
    return FileResult(
        path=str(path),
        content_hash=content_hash,
        status="ok",
        features=features,
        beats_s=tuple(round(float(b), 4) for b in beats),
        warnings=tuple(warnings),
        compute_s=time.perf_counter() - started,
    )


def summarize(data: FrameData) -> tuple[dict[str, Any], np.ndarray]:
    """Track features (see ``features.FEATURES``) and beat times from one file's frame data."""
    voiced = data.rms > SILENCE_RMS
    if not voiced.any():
        voiced = np.ones_like(data.rms, dtype=bool)
    rhythm = rhythm_features(data.onset, reference_onset=data.onset_median)
    meter = data.loudness
    loudness = meter.integrated()
    true_peak = to_db(meter.true_peak)
    spectral = data.spectral[voiced].mean(axis=0)
    chroma = data.chroma[voiced]
    chroma = chroma / np.maximum(chroma.max(axis=1, keepdims=True), 1e-12)
    chroma_mean = chroma.mean(axis=0)
    key = estimate_key(chroma_mean)
    mfcc = data.mfcc[voiced]
    energy = (
        0.5 * np.clip((loudness + 40.0) / 35.0, 0, 1)
        + 0.25 * np.clip(rhythm.onset_rate_per_s / 6.0, 0, 1)
        + 0.25 * np.clip(spectral[0] / 4000.0, 0, 1)
    )
    features: dict[str, Any] = {
        "duration_s": data.duration_s,
        "source_sample_rate_hz": data.source_rate,
        "channels": data.channels,
        "tempo_bpm": rhythm.tempo_bpm,
        "tempo_confidence": rhythm.tempo_confidence,
        "tempo_octave_ratio": rhythm.tempo_octave_ratio,
        "beat_count": len(rhythm.beats),
        "beat_strength": rhythm.beat_strength,
        "beat_regularity": rhythm.beat_regularity,
        "onset_rate_per_s": rhythm.onset_rate_per_s,
        "key": key.tonic if key else None,
        "mode": key.mode if key else None,
        "key_confidence": key.confidence if key else 0.0,
        "key_margin": key.margin if key else 0.0,
        "loudness_lufs": loudness,
        "loudness_range_lu": meter.loudness_range(),
        "sample_peak_dbfs": to_db(meter.sample_peak),
        "true_peak_dbtp": true_peak,
        "dynamic_range_db": true_peak - loudness,
        "rms_dbfs": to_db(float(np.sqrt(np.mean(np.square(data.rms, dtype=np.float64))))),
        "energy": float(energy),
        "silence_ratio": float(1.0 - voiced.mean()),
        "spectral_centroid_hz": spectral[0],
        "spectral_bandwidth_hz": spectral[1],
        "spectral_rolloff_hz": spectral[2],
        "spectral_flatness": spectral[3],
        "zero_crossing_rate": float(data.zcr[voiced].mean()),
    }
    features.update({f"mfcc_{i:02d}_mean": v for i, v in enumerate(mfcc.mean(axis=0)[:N_MFCC])})
    features.update({f"mfcc_{i:02d}_std": v for i, v in enumerate(mfcc.std(axis=0)[:N_MFCC])})
    features.update(dict(zip(CHROMA_COLUMNS, chroma_mean, strict=True)))
    clean = {k: (float(v) if isinstance(v, np.floating | float) else v) for k, v in features.items()}
    clean = {k: (int(v) if isinstance(v, np.integer) else v) for k, v in clean.items()}
    return clean, rhythm.beats
