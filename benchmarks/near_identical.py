"""Versions of one recording: how far apart their fingerprints are, against different recordings.

The thresholds of ``analytics.curation.scoring.near_identical`` come from this measurement.
Needs the full albums (``make fetch-audio``). For each of the 20 recordings of the demo
catalog (Debian's singularity-music and fretsonfire-songs-sectoid), three versions are analysed
as the track analysis analyses files:

- its 10-s excerpt, cut as the demo excerpts are (``scripts/make_demo_catalog.py``);
- a remaster-like version: 1.5 dB quieter, through a 14 kHz low-pass, re-encoded at a lower
  quality;
- another cut: half a second later, mono.

Printed: the largest cosine distance between versions of one recording and the smallest between
different recordings, for the timbre (MFCC 1-12 means and spreads) and the chroma, the margin
between them, whether the thresholds separate them all; and how far the summary features (tempo,
energy, loudness, key) move across versions of one recording, which is why they are not used.

    uv run python benchmarks/near_identical.py [data/cache/audio]
"""

from __future__ import annotations

import sys
import tempfile
from itertools import combinations
from pathlib import Path

import numpy as np
import scipy.signal
import soundfile as sf

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_demo_catalog import excerpt  # noqa: E402

from analytics.audio.batch import analyze_files  # noqa: E402
from analytics.curation.candidates import CHROMA_FEATURES, TIMBRE_FEATURES  # noqa: E402
from analytics.curation.scoring import NEAR_CHROMA, NEAR_TIMBRE  # noqa: E402


def recordings(cache: Path) -> dict[str, Path]:
    sing = cache / "singularity-music" / "usr/share/games/singularity/music"
    sect = cache / "fretsonfire-songs-sectoid" / "usr/share/games/fretsonfire/data/songs/sectoid"
    found = {p.stem: p for p in sing.rglob("*.ogg")} | {p.parent.name: p for p in sect.rglob("song.ogg")}
    if not found:
        raise SystemExit(f"no albums under {cache}: run `make fetch-audio` first")
    return dict(sorted(found.items()))


def versions(source: Path, out: Path, name: str) -> list[Path]:
    original = out / f"{name}.ogg"
    excerpt(source, original, tags={})
    data, sr = sf.read(original, always_2d=True, dtype="float32")
    b, a = scipy.signal.butter(4, 14_000 / (sr / 2))
    remaster = out / f"{name}__remaster.ogg"
    quieter = (scipy.signal.lfilter(b, a, data, axis=0) * 10 ** (-1.5 / 20)).astype("float32")
    sf.write(remaster, quieter, sr, format="OGG", subtype="VORBIS", compression_level=0.9)
    cut = out / f"{name}__cut.ogg"
    sf.write(cut, data[int(0.5 * sr) :].mean(axis=1), sr, format="OGG", subtype="VORBIS")
    return [original, remaster, cut]


def cosine(x: np.ndarray, y: np.ndarray) -> float:
    return float(1 - x @ y / (np.linalg.norm(x) * np.linalg.norm(y)))


def main() -> None:
    cache = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "data" / "cache" / "audio"
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        files = {
            str(p): name
            for i, (name, source) in enumerate(recordings(cache).items())
            for p in versions(source, out, f"r{i:02d}")
        }
        features = analyze_files(list(files), cache_dir=out / "cache", workers=2).features
    features["recording"] = [files[p] for p in features["path"]]
    rows = list(features.itertuples(index=False))
    timbre = features[list(TIMBRE_FEATURES)].to_numpy(float)
    chroma = features[list(CHROMA_FEATURES)].to_numpy(float)
    same_t, same_c, diff_t, diff_c = [], [], [], []
    for i, j in combinations(range(len(rows)), 2):
        t, c = cosine(timbre[i], timbre[j]), cosine(chroma[i], chroma[j])
        if rows[i].recording == rows[j].recording:
            same_t.append(t)
            same_c.append(c)
        else:
            diff_t.append(t)
            diff_c.append(c)
    recs = features["recording"].nunique()
    print(f"{recs} recordings x 3 versions = {len(rows)} files analysed")
    for label, same, diff, threshold in (
        ("timbre", same_t, diff_t, NEAR_TIMBRE),
        ("chroma", same_c, diff_c, NEAR_CHROMA),
    ):
        print(
            f"{label}: versions of one recording at most {max(same):.4f} apart, different recordings at "
            f"least {min(diff):.4f} (ratio {min(diff) / max(same):.1f}x); threshold {threshold}: "
            f"{sum(s <= threshold for s in same)}/{len(same)} version pairs inside, "
            f"{sum(d <= threshold for d in diff)}/{len(diff)} different pairs inside"
        )
    both = sum(t <= NEAR_TIMBRE and c <= NEAR_CHROMA for t, c in zip(diff_t, diff_c, strict=True))
    print(f"different recordings taken for versions (both thresholds): {both} of {len(diff_t)} pairs")
    spread = features.groupby("recording")
    print(
        "across versions of one recording the summary features move by up to: "
        f"tempo {spread['tempo_bpm'].agg(np.ptp).max():.1f} BPM, energy {spread['energy'].agg(np.ptp).max():.3f}, "
        f"loudness {spread['loudness_lufs'].agg(np.ptp).max():.1f} LU; "
        f"{int((spread['key'].nunique() > 1).sum())} recording(s) change key"
    )


if __name__ == "__main__":
    main()
