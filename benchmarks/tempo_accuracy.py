"""Tempo accuracy on labelled real songs: encore's estimator against plain ``librosa.beat.beat_track``.

Labelled set (needs ``bash scripts/fetch-audio.sh``):

- the four Sectoid songs of ``fretsonfire-songs-sectoid``: the tempo is read from the
  set-tempo events of each song's Frets-on-Fire chart ``notes.mid`` (the charts are beat-synced
  to the audio, so the chart tempo is the song's tempo); 135, 95, 150 and 140 BPM;
- each song as three mixes (backing ``song.ogg``, lead ``guitar.ogg``, and the two summed), cut
  into 30-s excerpts every 30 s after the first 15 s;
- the same excerpts time-stretched (librosa phase vocoder) by 0.8 and 1.25: the label is the
  chart tempo times the rate, exact by construction. This adds fast (169-188 BPM) and slow
  (76-120 BPM) material, where octave errors happen.

The singularity-music tracks are not used: there is no independent tempo label for them.

Printed: accuracy within 4 % of the label ("acc1") and within 4 % of the label, half, double,
third or triple ("acc2", octave-equivalent), for both estimators; results JSON in
``benchmarks/results/tempo_accuracy.json``.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import librosa
import numpy as np
import soundfile as sf

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.audio.features import ANALYSIS_SR  # noqa: E402
from analytics.audio.frames import FrameAnalyzer  # noqa: E402
from analytics.audio.rhythm import rhythm_features  # noqa: E402
from analytics.audio.warmup import warm_up  # noqa: E402

SONGS = ROOT / "data/cache/audio/fretsonfire-songs-sectoid/usr/share/games/fretsonfire/data/songs/sectoid"
RESULTS = ROOT / "benchmarks" / "results" / "tempo_accuracy.json"
EXCERPT_S, STEP_S, SKIP_S = 30.0, 30.0, 15.0
RATES = (1.0, 0.8, 1.25)


def chart_tempo(midi: Path) -> float:
    """First set-tempo meta event (FF 51 03, microseconds per quarter note) of a MIDI file, in BPM."""
    data = midi.read_bytes()
    at = data.find(b"\xff\x51\x03")
    if at < 0:
        raise ValueError(f"{midi}: no tempo event")
    return 60e6 / int.from_bytes(data[at + 3 : at + 6], "big")


def load(path: Path) -> np.ndarray:
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    return librosa.resample(y.mean(axis=1), orig_sr=sr, target_sr=ANALYSIS_SR)


def ours(y: np.ndarray) -> float:
    analyzer = FrameAnalyzer(ANALYSIS_SR, 1)
    analyzer.add(y[:, None])
    return rhythm_features(analyzer.finish().onset).tempo_bpm


def baseline(y: np.ndarray) -> float:
    tempo, _ = librosa.beat.beat_track(y=y, sr=ANALYSIS_SR)
    return float(np.atleast_1d(tempo)[0])


def correct(estimate: float, label: float, *, octave: bool) -> bool:
    factors = (1.0, 0.5, 2.0, 1 / 3, 3.0) if octave else (1.0,)
    return any(abs(estimate / (label * f) - 1.0) <= 0.04 for f in factors)


def main() -> None:
    if not SONGS.is_dir():
        sys.exit(f"{SONGS} not found: run `bash scripts/fetch-audio.sh` first")
    warm_up()
    rows = []
    started = time.perf_counter()
    for folder in sorted(p for p in SONGS.iterdir() if p.is_dir()):
        label = chart_tempo(folder / "notes.mid")
        song, guitar = load(folder / "song.ogg"), load(folder / "guitar.ogg")
        n = min(len(song), len(guitar))
        mixes = {"backing": song, "guitar": guitar, "full": song[:n] + guitar[:n]}
        for mix, y in mixes.items():
            for start in np.arange(SKIP_S, len(y) / ANALYSIS_SR - EXCERPT_S, STEP_S):
                clip = y[int(start * ANALYSIS_SR) : int((start + EXCERPT_S) * ANALYSIS_SR)]
                for rate in RATES:
                    x = clip if rate == 1.0 else librosa.effects.time_stretch(clip, rate=rate)
                    truth = label * rate
                    rows.append(
                        {
                            "song": folder.name,
                            "mix": mix,
                            "start_s": float(start),
                            "rate": rate,
                            "label": truth,
                        }
                        | {"ours": ours(x), "baseline": baseline(x)}
                    )
    summary = {}
    for name in ("ours", "baseline"):
        acc1 = np.mean([correct(r[name], r["label"], octave=False) for r in rows])
        acc2 = np.mean([correct(r[name], r["label"], octave=True) for r in rows])
        fast = [r for r in rows if r["label"] >= 160]
        acc_fast = (
            np.mean([correct(r[name], r["label"], octave=False) for r in fast]) if fast else float("nan")
        )
        summary[name] = {"acc1": float(acc1), "acc2": float(acc2), "acc1_fast_160plus": float(acc_fast)}
        print(
            f"{name:9s} acc1 {acc1:6.1%}  acc2 (octave-equivalent) {acc2:6.1%}  "
            f"acc1 on >=160 BPM {acc_fast:6.1%}  (n={len(rows)}, fast n={len(fast)})"
        )
    print(
        f"octave errors: ours {summary['ours']['acc2'] - summary['ours']['acc1']:.1%} of excerpts, "
        f"baseline {summary['baseline']['acc2'] - summary['baseline']['acc1']:.1%}; "
        f"acc1 ratio ours/baseline {summary['ours']['acc1'] / max(summary['baseline']['acc1'], 1e-9):.2f}x"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"summary": summary, "rows": rows, "wall_s": time.perf_counter() - started}, indent=1)
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
