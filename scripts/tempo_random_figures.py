"""How often the tempo is read in a wrong metrical family on random plucked figures, with and
without each part of the family alignment (its third octave, its second placement).

Synthetic material nobody tuned on: for each seed, three random figures of plucked notes without
drums (one bar of four on an eighth grid, one on a sixteenth grid, two bars on an eighth grid;
3 to 8 notes, the first on the downbeat), the tests' own synthesis
(``tests/audio/conftest.py``), each at seven tempos from 55 to 115 BPM. A reading is wrong when
it is neither the tempo nor an octave, a third or a triple of it (within 2 %, as the tests judge).

    python scripts/tempo_random_figures.py [--seeds 160]   # 3,360 readings, about 5 min on 2 cores
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import analytics.audio.rhythm as rhythm  # noqa: E402
from analytics.audio.frames import FrameAnalyzer  # noqa: E402
from tests.audio.conftest import SR, plucked_figure  # noqa: E402

VARIANTS = {  # name: (FAMILY_OCTAVES, FAMILY_FOLDS)
    "neither": (2, 1),
    "third octave": (3, 1),
    "second placement": (2, 2),
    "both (1.6)": (3, 2),
}
LAYOUTS = ((2, 4), (4, 4), (2, 8))  # (grid steps per beat, beats in the figure)
TEMPI = (55, 62, 70, 80, 90, 100, 115)
PITCHES = (110, 147, 196, 262, 294, 330, 392)


def wrong(estimate: float, bpm: float) -> bool:
    return not any(abs(estimate / (bpm * f) - 1) <= 0.02 for f in (1.0, 0.5, 2.0, 1 / 3, 3.0))


def figure(seed: int, grid: int, beats: int) -> tuple[tuple[float, float, float], ...]:
    rng = np.random.default_rng(seed)
    slots = beats * grid
    count = rng.integers(3, min(slots, 8) + 1)
    onsets = sorted({0, *rng.choice(np.arange(1, slots), size=count - 1, replace=False).tolist()})
    return tuple(
        (p / grid, float(rng.choice(PITCHES)), 1.0 if p == 0 else float(rng.choice([0.5, 0.7, 0.9])))
        for p in onsets
    )


def readings(job: tuple[int, int, int]) -> list[dict[str, bool]]:
    """For each tempo, whether each variant reads the figure in a wrong family."""
    notes = figure(*job)
    out = []
    for bpm in TEMPI:
        analyzer = FrameAnalyzer(SR, 1)
        analyzer.add(plucked_figure(bpm, notes, beats=job[2])[:, None])
        onset = analyzer.finish().onset
        result = {}
        for name, (octaves, folds) in VARIANTS.items():
            rhythm.FAMILY_OCTAVES, rhythm.FAMILY_FOLDS = octaves, folds
            result[name] = wrong(rhythm.estimate_tempo(onset)[0], bpm)
        out.append(result)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=160)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    jobs = [(seed, grid, beats) for seed in range(args.seeds) for grid, beats in LAYOUTS]
    with ProcessPoolExecutor(args.workers) as pool:
        rows = [row for chunk in pool.map(readings, jobs, chunksize=2) for row in chunk]
    print(f"{len(jobs)} figures x {len(TEMPI)} tempi = {len(rows)} readings; read in a wrong family:")
    for name in VARIANTS:
        print(f"  {name:18s} {sum(r[name] for r in rows):5d}")


if __name__ == "__main__":
    main()
