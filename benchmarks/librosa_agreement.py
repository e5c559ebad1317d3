"""How far encore's frame features are from librosa's own functions, on the demo excerpts and the
held-out set (``make tempo-eval-set``; ``--held-out N`` excerpts of it, default 60).

For each file both are computed on the same 22 050-Hz mono signal (librosa: ``librosa.load`` with
``res_type="soxr_hq"``, then each feature function with defaults). Printed per feature: median
and largest relative difference over files (for MFCCs, the difference in dB relative to the
spread of that coefficient), plus how often ``tempo_octave_ratio`` × librosa's tempo equals
encore's tempo (that is, the ratio is tempo ÷ ``beat_track``'s tempo). JSON in
``benchmarks/results/librosa_agreement.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.audio.warmup import ensure_warm  # noqa: E402

ensure_warm()

import librosa  # noqa: E402

from analytics.audio import decode  # noqa: E402
from analytics.audio.analyze import SILENCE_RMS, summarize  # noqa: E402
from analytics.audio.features import ANALYSIS_SR, N_MFCC  # noqa: E402
from analytics.audio.frames import FrameAnalyzer  # noqa: E402

DEMO = sorted((ROOT / "analytics" / "demo" / "audio").glob("*.ogg"))
HELD_OUT = ROOT / "benchmarks" / "data" / "tempo_eval.csv"
HELD_OUT_AUDIO = ROOT / "data" / "cache" / "tempo-eval" / "audio"
RESULTS = ROOT / "benchmarks" / "results" / "librosa_agreement.json"


def compare(path: Path) -> dict[str, float]:
    """Relative differences between encore's and librosa's computations for one file."""
    info = decode.probe(path)
    analyzer = FrameAnalyzer(info.sample_rate, info.channels)
    for block in decode.blocks(info):
        analyzer.add(block)
    data = analyzer.finish()
    features, _ = summarize(data)
    y, _ = librosa.load(path, sr=ANALYSIS_SR, mono=True, res_type="soxr_hq")
    onset = librosa.onset.onset_strength(y=y, sr=ANALYSIS_SR)
    n = min(len(onset), len(data.onset))
    voiced = data.rms > SILENCE_RMS
    if not voiced.any():
        voiced[:] = True
    mfcc = librosa.feature.mfcc(y=y, sr=ANALYSIS_SR, n_mfcc=N_MFCC)[:, : len(voiced)][:, voiced].mean(axis=1)
    ours_mfcc = np.array([features[f"mfcc_{i:02d}_mean"] for i in range(N_MFCC)])
    spread = np.maximum(np.abs(mfcc), 1.0)
    rate = len(librosa.onset.onset_detect(y=y, sr=ANALYSIS_SR)) / (len(y) / ANALYSIS_SR)
    tempo, _ = librosa.beat.beat_track(y=y, sr=ANALYSIS_SR)
    librosa_tempo = float(np.atleast_1d(tempo)[0])
    centroid = librosa.feature.spectral_centroid(y=y, sr=ANALYSIS_SR)[0][: len(voiced)][voiced].mean()
    return {
        "onset_envelope": float(np.abs(data.onset[:n] - onset[:n]).mean() / max(onset[:n].mean(), 1e-9)),
        "mfcc_means": float(np.max(np.abs(ours_mfcc - mfcc) / spread)),
        "onset_rate_per_s": abs(features["onset_rate_per_s"] - rate) / max(rate, 1e-9),
        "spectral_centroid_hz": abs(features["spectral_centroid_hz"] - centroid) / centroid,
        "tempo_octave_ratio": abs(features["tempo_bpm"] / features["tempo_octave_ratio"] / librosa_tempo - 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="encore's frame features against librosa's")
    parser.add_argument("--held-out", type=int, default=60, help="held-out excerpts to include")
    args = parser.parse_args()
    sets: dict[str, list[Path]] = {"demo excerpts": DEMO, "held-out": []}
    if HELD_OUT.exists():
        with HELD_OUT.open(encoding="utf-8") as handle:
            ids = [r["id"] for r in csv.DictReader(handle)]
        paths = [HELD_OUT_AUDIO / f"{i}.flac" for i in ids]
        sets["held-out"] = [p for p in paths if p.exists()][:: max(1, len(paths) // max(args.held_out, 1))][
            : args.held_out
        ]
    results: dict[str, Any] = {}
    for name, paths in sets.items():
        if not paths:
            continue
        rows = [compare(p) for p in paths]
        results[name] = {"n": len(rows), "features": {}}
        print(f"\n{name} (n={len(rows)}): relative difference to librosa, median / largest")
        for feature in rows[0]:
            values = np.array([r[feature] for r in rows])
            same = float(np.mean(values < 0.005))
            results[name]["features"][feature] = {
                "median": float(np.median(values)),
                "max": float(values.max()),
                "within_0.5%": same,
            }
            print(
                f"  {feature:22s} {np.median(values):8.2%} / {values.max():8.2%}   within 0.5 %: {same:6.1%}"
            )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
