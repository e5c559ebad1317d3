"""Audio feature throughput on the full singularity-music album (16 tracks, 64 min, 48 kHz Ogg).

Measured in one run, on the same files:

- limits: decode only, and decode + mono mixdown + resample to 22.05 kHz (same process pool as ours);
- ours: ``analyze_files`` cold (empty cache) and warm (same cache: content hashes only);
- baseline: the script users write — ``librosa.load(path)`` with defaults, then each feature
  function on the signal, each computing its own spectrogram (beat_track, chroma_cqt for key,
  mfcc, spectral centroid/bandwidth/rolloff/flatness, zero-crossing rate, rms, onset_detect),
  one file after another in one process;
- the features both compute, compared;
- peak memory of ``analyze_file`` on a 60-minute file (the tracks concatenated, FLAC).

Needs ``bash scripts/fetch-audio.sh``. Results: ``benchmarks/results/audio_features.json``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analytics.audio.warmup import warm_up  # noqa: E402

warm_up()  # before the pools fork, so workers start compiled

import librosa  # noqa: E402
import soundfile as sf  # noqa: E402
import soxr  # noqa: E402

from analytics.audio import decode  # noqa: E402
from analytics.audio.batch import analyze_files  # noqa: E402
from analytics.audio.features import ANALYSIS_SR, PITCH_CLASSES  # noqa: E402
from analytics.audio.tonal import estimate_key  # noqa: E402

ALBUM = ROOT / "data/cache/audio/singularity-music"
RESULTS = ROOT / "benchmarks" / "results" / "audio_features.json"
WORKERS = 2


def _decode(path: str) -> float:
    info = decode.probe(Path(path))
    for _ in decode.blocks(info):
        pass
    return 0.0


def _decode_resample(path: str) -> float:
    info = decode.probe(Path(path))
    stream = soxr.ResampleStream(info.sample_rate, ANALYSIS_SR, 1, dtype="float32", quality="HQ")
    for block in decode.blocks(info):
        stream.resample_chunk(block.mean(axis=1, dtype=np.float32), last=False)
    stream.resample_chunk(np.zeros(0, np.float32), last=True)
    return 0.0


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _pooled(fn, files: list[str]) -> float:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    with ProcessPoolExecutor(WORKERS) as pool:
        list(pool.map(fn, sorted(files, key=lambda p: -os.path.getsize(p))))
    return time.perf_counter() - started


def baseline_features(path: str) -> dict[str, object]:
    """The plain script: load with defaults, then one librosa call per feature."""
    y, sr = librosa.load(path)
    rms = librosa.feature.rms(y=y)[0]
    voiced = rms > 1e-3  # for the comparison only: ours averages over frames above -60 dBFS
    tempo, _ = librosa.beat.beat_track(y=y, sr=sr)
    key = estimate_key(librosa.feature.chroma_cqt(y=y, sr=sr).mean(axis=1))
    mfcc = librosa.feature.mfcc(y=y, sr=sr)
    onsets = librosa.onset.onset_detect(y=y, sr=sr)
    return {
        "tempo_bpm": float(np.atleast_1d(tempo)[0]),
        "key": f"{key.tonic} {key.mode}" if key else None,
        "mfcc_01_mean": float(mfcc[1][voiced].mean()),
        "spectral_centroid_hz": float(librosa.feature.spectral_centroid(y=y, sr=sr)[0][voiced].mean()),
        "spectral_bandwidth_hz": float(librosa.feature.spectral_bandwidth(y=y, sr=sr)[0][voiced].mean()),
        "spectral_rolloff_hz": float(librosa.feature.spectral_rolloff(y=y, sr=sr)[0][voiced].mean()),
        "spectral_flatness": float(librosa.feature.spectral_flatness(y=y)[0][voiced].mean()),
        "zero_crossing_rate": float(librosa.feature.zero_crossing_rate(y)[0][voiced].mean()),
        "rms": float(np.sqrt(np.mean(np.square(rms)))),
        "onset_rate_per_s": len(onsets) / (len(y) / sr),
    }


# A fresh process as a worker starts after `make setup`: the JIT cache on disk is warm, so
# imports load compiled code (librosa still compiles one uncacheable function at import).
_MEMORY_PROBE = """
import os, resource, sys, threading, time
from analytics.audio.analyze import analyze_file
page = os.sysconf("SC_PAGE_SIZE")
def rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * page / 2**20
before = rss(); peak = [before]; done = threading.Event()
def poll():
    while not done.is_set():
        peak[0] = max(peak[0], rss()); time.sleep(0.02)
threading.Thread(target=poll, daemon=True).start()
t = time.perf_counter(); result = analyze_file(sys.argv[1]); seconds = time.perf_counter() - t
done.set(); peak[0] = max(peak[0], rss())
assert result.status == "ok", result.detail
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the (large) parent across fork + exec
hwm = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmHWM:")) / 1024
print(before, peak[0], hwm, seconds)
"""


def peak_memory_60min(files: list[str]) -> dict[str, float]:
    """Concatenate tracks into a 60-minute FLAC, analyse it in a fresh process, read its peak RSS."""
    target = 60 * 60
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "hour.flac"
        written = 0
        with sf.SoundFile(path, "w", samplerate=48000, channels=2, subtype="PCM_16") as out:
            while written < target * 48000:
                for f in files:
                    for block in sf.blocks(f, blocksize=480000, dtype="float32", always_2d=True):
                        take = min(len(block), target * 48000 - written)
                        out.write(block[:take])
                        written += take
                        if written >= target * 48000:
                            break
                    if written >= target * 48000:
                        break
        out_text = subprocess.run(
            [sys.executable, "-c", _MEMORY_PROBE, str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    before, peak, maxrss, seconds = (float(v) for v in out_text[:4])
    return {
        "file_minutes": target / 60,
        "rss_before_mb": before,
        "peak_rss_during_analysis_mb": peak,
        "analysis_growth_mb": peak - before,
        "process_maxrss_mb": maxrss,
        "seconds": seconds,
    }


def main() -> None:
    files = sorted(str(p) for p in ALBUM.rglob("*.ogg"))
    if len(files) != 16:
        sys.exit(f"expected 16 tracks under {ALBUM}, found {len(files)}: run `bash scripts/fetch-audio.sh`")
    audio_s = sum(sf.info(f).duration for f in files)
    print(
        f"corpus: {len(files)} files, {audio_s / 60:.1f} min of audio, {WORKERS} workers, {os.cpu_count()} cores"
    )

    t_decode = _pooled(_decode, files)
    t_resample = _pooled(_decode_resample, files)
    with tempfile.TemporaryDirectory() as cache:
        cpu_before = _children_cpu()
        started = time.perf_counter()
        cold = analyze_files(files, cache_dir=Path(cache), workers=WORKERS)
        t_cold = time.perf_counter() - started
        cpu_cold = _children_cpu() - cpu_before
        started = time.perf_counter()
        warm = analyze_files(files, cache_dir=Path(cache), workers=WORKERS)
        t_warm = time.perf_counter() - started
    assert cold.computed == 16 and warm.computed == 0 and not cold.quarantined

    started, cpu_before = time.perf_counter(), time.process_time()
    base = [baseline_features(f) for f in files]
    t_base, cpu_base = time.perf_counter() - started, time.process_time() - cpu_before

    def x(t: float) -> float:
        return audio_s / t

    print(f"decode only limit        {t_decode:7.2f} s  {x(t_decode):7.0f}x real time")
    print(f"decode+resample limit    {t_resample:7.2f} s  {x(t_resample):7.0f}x real time")
    print(f"ours, cold cache         {t_cold:7.2f} s  {x(t_cold):7.0f}x real time")
    print(f"baseline (plain librosa) {t_base:7.2f} s  {x(t_base):7.0f}x real time")
    print(f"ours / baseline          {t_base / t_cold:7.1f}x faster (wall)")
    print(
        f"CPU time (load-independent): ours {cpu_cold:.1f} s = {audio_s / cpu_cold:.0f}x real time per core, "
        f"baseline {cpu_base:.1f} s = {audio_s / cpu_base:.0f}x; ratio {cpu_base / cpu_cold:.1f}x; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    )
    print(f"ours / decode+resample   {t_resample / t_cold:7.1%} of the limit's throughput")
    print(f"warm cache rerun         {t_warm:7.3f} s  = {t_warm / t_cold:.2%} of the cold run")

    ours = cold.features.set_index("path")
    comparison: dict[str, dict[str, float]] = {}
    for name in base[0]:
        if name == "key":
            ours_keys = [f"{ours.loc[f, 'key']} {ours.loc[f, 'mode']}" for f in files]
            same = np.mean([a == b["key"] for a, b in zip(ours_keys, base, strict=True)])
            comparison[name] = {"agreement": float(same)}
            print(f"  {name:22s} same key {same:5.0%} (ours: STFT chroma; baseline: CQT chroma)")
            continue
        if name == "tempo_bpm":
            ratio = np.array([ours.loc[f, name] / b[name] for f, b in zip(files, base, strict=True)])
            same = float(np.mean(np.abs(ratio - 1) <= 0.04))
            octave = float(
                np.mean(np.min(np.abs(ratio[:, None] / [0.5, 2 / 3, 1.5, 2.0] - 1), axis=1) <= 0.04)
            )
            comparison[name] = {"within_4pct": same, "octave_or_3_2_related": octave}
            print(
                f"  {name:22s} within 4% {same:5.0%}, octave/3:2-related {octave:5.0%} (see tempo_accuracy.py)"
            )
            continue
        column = "rms_dbfs" if name == "rms" else name
        a = np.array([ours.loc[f, column] for f in files], dtype=float)
        b = np.array([bb[name] for bb in base], dtype=float)
        if name == "rms":
            b = 20 * np.log10(b)  # track RMS from the frames, in dBFS, as ours
        rel = np.abs(a - b) / np.maximum(np.abs(b), 1e-9)
        comparison[name] = {"median_rel_diff": float(np.median(rel)), "max_rel_diff": float(rel.max())}
        print(f"  {name:22s} median rel. diff {np.median(rel):6.2%}  max {rel.max():6.2%}")

    memory = peak_memory_60min(files)
    print(
        f"60-min file: peak RSS during analysis {memory['peak_rss_during_analysis_mb']:.0f} MB "
        f"({memory['rss_before_mb']:.0f} MB before, +{memory['analysis_growth_mb']:.0f} MB analysing; "
        f"whole fresh process's high-water mark, imports and JIT loading included: "
        f"{memory['process_maxrss_mb']:.0f} MB; goal 500 MB), "
        f"{memory['seconds']:.1f} s in one process"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps(
            {
                "audio_s": audio_s,
                "workers": WORKERS,
                "seconds": {
                    "decode": t_decode,
                    "decode_resample": t_resample,
                    "ours_cold": t_cold,
                    "ours_warm": t_warm,
                    "baseline": t_base,
                },
                "x_real_time": {
                    "decode": x(t_decode),
                    "decode_resample": x(t_resample),
                    "ours": x(t_cold),
                    "baseline": x(t_base),
                },
                "ratio_vs_baseline": t_base / t_cold,
                "cpu_seconds": {"ours_cold": cpu_cold, "baseline": cpu_base},
                "cpu_ratio_vs_baseline": cpu_base / cpu_cold,
                "load_average_1min": os.getloadavg()[0],
                "share_of_decode_resample_limit": t_resample / t_cold,
                "warm_over_cold": t_warm / t_cold,
                "comparison": comparison,
                "memory_60min": memory,
                "pitch_classes": PITCH_CLASSES,
                "maxrss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            },
            indent=1,
        )
    )
    print(f"wrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
