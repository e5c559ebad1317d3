"""Render and score the compound-metre guard set: MMA's 6/8 and 12/8 styles, in neither split.

``scripts/build_tempo_eval.py`` leaves MMA's compound-metre styles out of both splits of the
rendered set, so a change to the tempo estimator that favours duple metre would not show there.
This set is the check: each of MMA's nine compound-metre styles (``68march``, ``68swing``,
``afro-cuban``, ``arpeggio68``, ``ballad68``, ``blues68``, and the 12/8 feels ``ballad128``,
``blues128``, ``rock-128``) at three tempos of the dotted quarter (drawn, seeded per style, from
50-62, 68-84 and 90-110 BPM), with and without drums: 54 excerpts of 30 s, rendered with the
same machinery and soundfonts as the evaluation set.

The label is the dotted quarter. MMA counts its own beats (``Time``: 2, 3, 4 or 6 to a bar of
6/8, 4 to a bar of 12/8 written in 4/4), so the MMA tempo is set to label × ``Time`` / (dotted
quarters per bar), and the written MIDI tempo is checked against it.

Nothing here is read by encore: the labels and audio stay under ``data/cache/tempo-guard`` (not
committed). ``--score`` prints Acc1 and Acc2 of encore's tempo and of ``beat_track`` on it.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import mido

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import build_tempo_eval as evalset  # noqa: E402

WORK = ROOT / "data" / "cache" / "tempo-guard"
LABELS = WORK / "labels.csv"
# style: dotted quarters per bar (6/8: 2; the 12/8 feels, written in 4/4 by MMA: 4)
STYLES = {
    "68march": 2,
    "68swing": 2,
    "afro-cuban": 2,
    "arpeggio68": 2,
    "ballad68": 2,
    "blues68": 2,
    "ballad128": 4,
    "blues128": 4,
    "rock-128": 4,
}
TEMPO_RANGES = ((50, 62), (68, 84), (90, 110))  # dotted quarters per minute: slow, middle, fast


def build() -> list[dict[str, Any]]:
    """Render every guard excerpt (skipping those already rendered from the same MIDI); the labels."""
    audio = WORK / "audio"
    sources = WORK / "mma"
    audio.mkdir(parents=True, exist_ok=True)
    sources.mkdir(parents=True, exist_ok=True)
    rows: list[dict[str, Any]] = []
    for number, (style, per_bar) in enumerate(STYLES.items()):
        text = (evalset.MMA_LIBRARY / f"{style}.mma").read_text(encoding="utf-8", errors="replace")
        groove = re.search(r"^\s*DefGroove\s+(\S+)", text, re.MULTILINE | re.IGNORECASE)
        beats = re.search(r"^\s*Time\s+(\d+)", text, re.MULTILINE | re.IGNORECASE)
        if groove is None or beats is None:
            sys.exit(f"{style}: no DefGroove or Time in MMA's library")
        rng = random.Random(f"guard-{style}")
        for variant, (low, high) in enumerate(TEMPO_RANGES):
            label = float(rng.randint(low, high))
            tempo = label * int(beats.group(1)) / per_bar
            tonic, minor = rng.randrange(12), rng.random() < 0.5
            cadence = evalset.MINOR_CADENCE if minor else evalset.MAJOR_CADENCE
            bars = [
                f"{i + 1} {evalset.NOTES[(tonic + step) % 12]}{kind}"
                for i, (step, kind) in enumerate(cadence * 6)
            ]
            source = sources / f"{style}-{variant}.mma"
            source.write_text(
                f"RndSeed {rng.randrange(2**31)}\nTempo {tempo:g}\nGroove {groove.group(1)}\n"
                + "\n".join(bars)
                + "\n"
            )
            midi_path = source.with_suffix(".mid")
            # by file name in its own folder: MMA writes the input's path into the MIDI file
            subprocess.run(
                ["mma", source.name, "-f", midi_path.name], cwd=sources, check=True, capture_output=True
            )
            midi = mido.MidiFile(str(midi_path))
            window = evalset.choose_window(midi, rate=1.0)
            if window is None:
                sys.exit(f"{style}: no 30-s window")
            start, end, midi_tempo = window
            if abs(mido.tempo2bpm(midi_tempo) - tempo) > 0.5:
                sys.exit(f"{style}: MIDI tempo {mido.tempo2bpm(midi_tempo):.1f}, expected {tempo:.1f}")
            for drums in (True, False):
                excerpt = evalset.Excerpt(
                    id=f"guard--{style}--{variant}--{'drums' if drums else 'nodrums'}",
                    package="mma",
                    source=f"{style}.mma",
                    midi_sha256="",
                    start_s=0.0,
                    rate=1.0,
                    tempo_bpm=label,
                    key="",
                    drums=drums,
                    soundfont=evalset.SOUNDFONTS[(number + variant + drums) % len(evalset.SOUNDFONTS)].name,
                    split="guard",
                )
                part = evalset.excerpt_midi(midi, start, end, tempo=midi_tempo, rate=1.0, drums=drums)
                evalset.render(excerpt, part, audio_dir=audio)
                rows.append({"id": excerpt.id, "style": style, "tempo_bpm": label, "drums": drums})
    with LABELS.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    print(
        f"{len(rows)} excerpts in {(WORK / 'audio').relative_to(ROOT)}; labels in {LABELS.relative_to(ROOT)}"
    )
    return rows


def score(rows: list[dict[str, Any]]) -> None:
    """Acc1 and Acc2 of encore's tempo and of ``beat_track`` (as ``benchmarks/tempo_accuracy.py``)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import tempo_accuracy as bench

    results = []
    for row in rows:
        found = bench.estimates(bench.load(WORK / "audio" / f"{row['id']}.flac"))
        results.append({"label": float(row["tempo_bpm"])} | found)
    for method in ("encore", "beat_track"):
        acc1 = sum(bench.correct(r[method], r["label"], octave=False) for r in results) / len(results)
        acc2 = sum(bench.correct(r[method], r["label"], octave=True) for r in results) / len(results)
        print(f"{method:12s} Acc1 {acc1:6.1%}  Acc2 {acc2:6.1%}  (n={len(results)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--score", action="store_true", help="also score encore and beat_track on it")
    args = parser.parse_args()
    rows = build()
    if args.score:
        score(rows)


if __name__ == "__main__":
    main()
