"""Tempo and key accuracy on tuning material and on held-out material, against librosa and Essentia.

Three sets, reported apart; the held-out figures are the ones that count:

- **tuning, Sectoid** (needs ``make fetch-audio``): the four Sectoid songs of
  ``fretsonfire-songs-sectoid``, labelled by the set-tempo events of each song's Frets-on-Fire
  chart (135, 95, 150 and 140 BPM), as backing track, lead guitar stem and full mix, in 30-s
  excerpts every 30 s after the first 15 s; with ``--stretch`` also time-stretched by 0.8 and
  1.25 (label x rate).
- **tuning, rendered** and **held-out**: the two splits of the rendered set (``make
  tempo-eval-set``; 30-s renderings of free MIDI music and MMA styles, labels and ``split`` in
  ``benchmarks/data/tempo_eval.csv``, see ``scripts/build_tempo_eval.py`` and
  ``benchmarks/data/tempo_eval_sources.md``). The split is by source: every excerpt of a MIDI
  file, and every MMA style of a groove family (all waltzes, all ballads …), is on one side; 2
  groups in 5 are tuning material, chosen by a hash of the group's name. Estimators are designed
  and fitted on the tuning material only (``--split tuning`` scores nothing else); the held-out
  split is only scored.

Methods, each on the same decoded 22 050-Hz mono signal: encore (``analyze_file``'s
``tempo_bpm``), ``librosa.beat.beat_track`` with defaults and ``librosa.feature.tempo`` with
defaults; with ``--essentia`` also Essentia's ``RhythmExtractor2013`` (multifeature) and
``KeyExtractor`` on the same audio at 44.1 kHz. Essentia is AGPL-3.0: it is never a dependency
of encore; the benchmark installs it into a throwaway virtual environment
(``data/cache/tempo-eval/essentia-venv``, with ``python3 -m uv``) and runs it there. Printed per
set: Acc1 (within 4 % of the label), Acc2 (within 4 % of the label x 1, 2, 3, 1/2 or 1/3) and
encore's Acc1 against ``beat_track``'s measured in the same run.

Key (rendered excerpts with a key label): MIREX weighted score (``tonal.mirex_key_score``: 1 same
key, 0.5 the fifth above with the same mode, 0.3 relative, 0.2 parallel, as ``mir_eval.key``) of encore's key against librosa's
``chroma_cqt`` + Krumhansl-Kessler profiles (and Essentia's ``KeyExtractor``). Results JSON in
``benchmarks/results/tempo_accuracy.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.audio.warmup import ensure_warm  # noqa: E402

ensure_warm()  # before the pool forks, so workers start compiled

import librosa  # noqa: E402
import soundfile as sf  # noqa: E402

from analytics.audio.analyze import summarize  # noqa: E402
from analytics.audio.features import ANALYSIS_SR  # noqa: E402
from analytics.audio.frames import FrameAnalyzer  # noqa: E402
from analytics.audio.tonal import estimate_key, mirex_key_score  # noqa: E402

SONGS = ROOT / "data/cache/audio/fretsonfire-songs-sectoid/usr/share/games/fretsonfire/data/songs/sectoid"
HELD_OUT = ROOT / "benchmarks" / "data" / "tempo_eval.csv"
HELD_OUT_AUDIO = ROOT / "data" / "cache" / "tempo-eval" / "audio"
RESULTS = ROOT / "benchmarks" / "results" / "tempo_accuracy.json"
EXCERPT_S, STEP_S, SKIP_S = 30.0, 30.0, 15.0
METHODS = ["encore", "beat_track", "feature_tempo"]
ESSENTIA_VENV = ROOT / "data" / "cache" / "tempo-eval" / "essentia-venv"
ESSENTIA_SCRIPT = """
import json, sys
import numpy as np
import essentia
essentia.log.infoActive = False
import essentia.standard as es
rhythm = es.RhythmExtractor2013(method="multifeature")
keys = es.KeyExtractor()
out = {}
for job in json.load(sys.stdin):
    y = None
    for path in job["paths"]:
        x = es.MonoLoader(filename=path, sampleRate=44100)()
        y = x if y is None else y[: min(len(y), len(x))] + x[: min(len(y), len(x))]
    start = int(job["start_s"] * 44100)
    y = np.ascontiguousarray(y[start : start + int(job["seconds"] * 44100)], dtype=np.float32)
    if job["rate"] != 1.0:
        y = np.ascontiguousarray(es.Resample(inputSampleRate=44100 * job["rate"], outputSampleRate=44100)(y))
    bpm = float(rhythm(y)[0])
    key, scale, _ = keys(y)
    out[job["id"]] = {"bpm": bpm, "key": key + ("m" if scale == "minor" else "")}
json.dump(out, sys.stdout)
"""


def chart_tempo(midi: Path) -> float:
    """First set-tempo meta event (FF 51 03, microseconds per quarter note) of a MIDI file, in BPM."""
    data = midi.read_bytes()
    at = data.find(b"\xff\x51\x03")
    if at < 0:
        raise ValueError(f"{midi}: no tempo event")
    return 60e6 / int.from_bytes(data[at + 3 : at + 6], "big")


def load(path: Path) -> np.ndarray:
    y, sr = sf.read(path, dtype="float32", always_2d=True)
    mono = y.mean(axis=1)
    return mono if sr == ANALYSIS_SR else librosa.resample(mono, orig_sr=sr, target_sr=ANALYSIS_SR)


def estimates(y: np.ndarray, *, with_key: bool = False) -> dict[str, Any]:
    """Every method's tempo (and keys) for one signal."""
    analyzer = FrameAnalyzer(ANALYSIS_SR, 1)
    analyzer.add(y[:, None])
    features, _ = summarize(analyzer.finish())
    out: dict[str, Any] = {"encore": features["tempo_bpm"]}
    tempo, _ = librosa.beat.beat_track(y=y, sr=ANALYSIS_SR)
    out["beat_track"] = float(np.atleast_1d(tempo)[0])
    out["feature_tempo"] = float(np.atleast_1d(librosa.feature.tempo(y=y, sr=ANALYSIS_SR))[0])
    if with_key:
        out["key_encore"] = f"{features['key']}{'m' if features['mode'] == 'minor' else ''}"
        key = estimate_key(librosa.feature.chroma_cqt(y=y, sr=ANALYSIS_SR).mean(axis=1), profile="krumhansl")
        out["key_librosa"] = f"{key.tonic}{'m' if key.mode == 'minor' else ''}" if key else ""
    return out


def correct(estimate: float, label: float, *, octave: bool) -> bool:
    factors = (1.0, 0.5, 2.0, 1 / 3, 3.0) if octave else (1.0,)
    return bool(np.isfinite(estimate)) and any(abs(estimate / (label * f) - 1.0) <= 0.04 for f in factors)


def essentia_python() -> Path | None:
    """The throwaway environment's Python with Essentia in it, made on first use (None if it fails)."""
    python = ESSENTIA_VENV / "bin" / "python"
    if not python.exists():
        uv = [sys.executable, "-m", "uv"]
        made = subprocess.run([*uv, "venv", "-q", str(ESSENTIA_VENV), "--python", "3.11"], check=False)
        if made.returncode != 0:
            return None
        args = ["pip", "install", "-q", "--python", str(python), "essentia", "numpy<2"]
        if subprocess.run([*uv, *args], check=False).returncode != 0:
            return None
    return python


def run_essentia(jobs: list[dict[str, Any]], *, workers: int) -> dict[str, dict[str, Any]]:
    """Essentia's tempo and key for each job, in ``workers`` processes of the throwaway environment."""
    python = essentia_python()
    if python is None or not jobs:
        return {}
    shares = [jobs[i::workers] for i in range(workers)]
    procs = [
        subprocess.Popen(
            [str(python), "-c", ESSENTIA_SCRIPT], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        for _ in shares
    ]
    for proc, share in zip(procs, shares, strict=True):
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(share))
        proc.stdin.close()
    out: dict[str, dict[str, Any]] = {}
    for proc in procs:
        assert proc.stdout is not None
        out.update(json.loads(proc.stdout.read() or "{}"))
        proc.wait()
    return out


def _tuning_job(item: tuple[str, str, tuple[float, ...], tuple[float, ...], float]) -> list[dict[str, Any]]:
    """Every excerpt of one song's mix: the audio is decoded once."""
    song, mix, starts, rates, label = item
    folder = SONGS / song
    if mix == "full":
        a, b = load(folder / "song.ogg"), load(folder / "guitar.ogg")
        n = min(len(a), len(b))
        y = a[:n] + b[:n]
    else:
        y = load(folder / ("song.ogg" if mix == "backing" else "guitar.ogg"))
    rows = []
    for start in starts:
        clip = y[int(start * ANALYSIS_SR) : int((start + EXCERPT_S) * ANALYSIS_SR)]
        for rate in rates:
            x = clip if rate == 1.0 else librosa.effects.time_stretch(clip, rate=rate)
            row = {"id": f"{song}/{mix}/{start:g}/{rate:g}", "song": song, "mix": mix, "start_s": start}
            rows.append(row | {"rate": rate, "label": label * rate} | estimates(x))
    return rows


def tuning_items(*, stretch: bool) -> list[tuple[str, str, tuple[float, ...], tuple[float, ...], float]]:
    items = []
    for folder in sorted(p for p in SONGS.iterdir() if p.is_dir()):
        label = chart_tempo(folder / "notes.mid")
        starts = tuple(
            float(s) for s in np.arange(SKIP_S, sf.info(folder / "song.ogg").duration - EXCERPT_S, STEP_S)
        )
        for mix in ("backing", "guitar", "full"):
            items.append((folder.name, mix, starts, (1.0, 0.8, 1.25) if stretch else (1.0,), label))
    return items


def _rendered_job(row: dict[str, str]) -> dict[str, Any]:
    y = load(HELD_OUT_AUDIO / f"{row['id']}.flac")
    label = float(row["tempo_bpm"])
    result = {"id": row["id"], "package": row["package"], "drums": row["drums"] == "True", "label": label}
    return result | {"key": row["key"], "split": row["split"]} | estimates(y, with_key=bool(row["key"]))


def summary(rows: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out = {}
    for name in METHODS:
        out[name] = {
            "acc1": float(np.mean([correct(r[name], r["label"], octave=False) for r in rows])),
            "acc2": float(np.mean([correct(r[name], r["label"], octave=True) for r in rows])),
        }
    return out


def report(title: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        print(f"{title}: no material (see the module docstring)")
        return {}
    result = {"n": len(rows), "all": summary(rows)}
    groups = {
        "fast (>=150 BPM)": [r for r in rows if r["label"] >= 150],
        "slow (<90 BPM)": [r for r in rows if r["label"] < 90],
        "no drums": [r for r in rows if r.get("drums") is False],
    }
    print(f"\n{title} (n={len(rows)})")
    print(f"{'method':14s} {'Acc1':>7s} {'Acc2':>7s}   " + "   ".join(f"{g} Acc1" for g in groups))
    for name in METHODS:
        cells = []
        for group in groups.values():
            cells.append(f"{summary(group)[name]['acc1']:6.1%} (n={len(group)})" if group else "   -   ")
        s = result["all"][name]
        print(f"{name:14s} {s['acc1']:7.1%} {s['acc2']:7.1%}   " + "   ".join(cells))
    base = result["all"]["beat_track"]["acc1"]
    ours = result["all"]["encore"]["acc1"]
    print(
        f"encore / beat_track Acc1: {ours / max(base, 1e-9):.2f}x ({(ours - base) * 100:+.1f} points); "
        f"Acc2 {result['all']['encore']['acc2']:.1%} vs {result['all']['beat_track']['acc2']:.1%}"
    )
    result["groups"] = {g: summary(v) | {"n": len(v)} for g, v in groups.items() if v}  # type: ignore[operator]
    return result


def key_report(title: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    keyed = [r for r in rows if r.get("key")]
    if not keyed:
        return {}
    out = {}
    names = ["encore", "librosa"] + (["essentia"] if "essentia" in METHODS else [])
    for name in names:
        scores = [mirex_key_score(r[f"key_{name}"], r["key"]) for r in keyed]
        out[name] = {"mirex": float(np.mean(scores)), "exact": float(np.mean([s == 1.0 for s in scores]))}
    print(
        f"\nkey, {title} (n={len(keyed)}): MIREX score encore {out['encore']['mirex']:.3f} "
        f"(exact {out['encore']['exact']:.1%}), librosa chroma_cqt + Krumhansl {out['librosa']['mirex']:.3f} "
        f"(exact {out['librosa']['exact']:.1%}); ratio {out['encore']['mirex'] / max(out['librosa']['mirex'], 1e-9):.2f}x"
        + (f"; essentia KeyExtractor {out['essentia']['mirex']:.3f}" if "essentia" in out else "")
    )
    return out | {"n": len(keyed)}


def main() -> None:
    parser = argparse.ArgumentParser(description="tempo and key accuracy, tuning vs held-out")
    parser.add_argument("--stretch", action="store_true", help="tuning set also time-stretched (x3, slow)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--essentia", action="store_true", help="also Essentia (throwaway venv, AGPL)")
    parser.add_argument(
        "--split", choices=("tuning", "all"), default="all", help="tuning: score the tuning material only"
    )
    args = parser.parse_args()
    splits = ("tuning",) if args.split == "tuning" else ("tuning", "held_out")
    started = time.perf_counter()
    results: dict[str, Any] = {}
    with ProcessPoolExecutor(args.workers) as pool:
        items = tuning_items(stretch=args.stretch) if SONGS.is_dir() else []
        tuning = [row for rows in pool.map(_tuning_job, items) for row in rows]
        held: list[dict[str, Any]] = []
        if HELD_OUT.exists():
            with HELD_OUT.open(encoding="utf-8") as handle:
                labelled = [
                    r
                    for r in csv.DictReader(handle)
                    if r["split"] in splits and (HELD_OUT_AUDIO / f"{r['id']}.flac").exists()
                ]
            held = list(pool.map(_rendered_job, labelled, chunksize=4))
    if args.essentia:
        jobs = [
            {
                "id": r["id"],
                "paths": [
                    str(SONGS / r["song"] / f)
                    for f in {"backing": ["song.ogg"], "guitar": ["guitar.ogg"]}.get(
                        r["mix"], ["song.ogg", "guitar.ogg"]
                    )
                ],
                "start_s": r["start_s"],
                "seconds": EXCERPT_S * r["rate"],
                "rate": r["rate"],
            }
            for r in tuning
        ] + [
            {
                "id": r["id"],
                "paths": [str(HELD_OUT_AUDIO / f"{r['id']}.flac")],
                "start_s": 0.0,
                "seconds": 1e9,
                "rate": 1.0,
            }
            for r in held
        ]
        found = run_essentia(jobs, workers=args.workers)
        if found:
            METHODS.append("essentia")
            for r in [*tuning, *held]:
                r["essentia"] = found.get(r["id"], {}).get("bpm", float("nan"))
                r["key_essentia"] = found.get(r["id"], {}).get("key", "")
    rendered_tuning = [r for r in held if r["split"] == "tuning"]
    held = [r for r in held if r["split"] == "held_out"]
    results["tuning"] = report("tuning set: Sectoid songs", tuning)
    results["tuning_rendered"] = report("tuning split of the rendered set", rendered_tuning)
    results["held_out"] = report("HELD-OUT split of the rendered set (never tuned on)", held)
    results["key_tuning"] = key_report("tuning split", rendered_tuning)
    results["key"] = key_report("HELD-OUT split", held)
    results["rows"] = {"tuning": tuning, "tuning_rendered": rendered_tuning, "held_out": held}
    results["wall_s"] = time.perf_counter() - started
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=1))
    print(f"wrote {RESULTS.relative_to(ROOT)} in {results['wall_s']:.0f} s")


if __name__ == "__main__":
    main()
