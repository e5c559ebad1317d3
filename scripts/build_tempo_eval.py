"""Build the held-out tempo and key evaluation set from freely licensed MIDI files in Debian packages.

No parameter of encore's estimators was chosen on this material: it is for evaluation only
(``benchmarks/tempo_accuracy.py`` reports it apart from the tuning set).

Sources (``benchmarks/data/tempo_eval_sources.md`` lists them with their licences): the music of
Freedoom (``freedoom``, MIDI lumps inside the two WAD files), OpenMSX (``openttd-openmsx``) and
Planet Blupi (``planetblupi-music-midi``); and one accompaniment per style of MMA's groove
library (``mma``: rock, metal, swing, latin, ballads, marches …), 48 bars of a cadence in a
known key at a tempo drawn (seeded) from the style's range. Each piece becomes up to three 30-s
excerpts:

- at the file's own tempo, with one soundfont;
- with the tempo map scaled (×1.5 under 100 BPM, ×1.35 from 100 to 140, ×0.75 above), so the
  label is exact by construction, with another soundfont;
- for pieces with drums, at the file's tempo without the drum channel, with a third soundfont.

A game piece is used only where its tempo means something: a 30-s stretch with one tempo, and
note onsets on a sixteenth- or triplet-eighth grid of that tempo (a MIDI file recorded without
a click has a tempo that is not the music's). The label is the quarter-note tempo (the dotted
quarter in 6/8, 9/8 and 12/8; MMA's compound-metre styles are left out). A key label is the
key the MMA cadence is written in, or for game pieces a key signature other than C major
(which sequencers write when nobody set one).

Two splits, by source (``split`` column): a piece's excerpts, and every MMA style of one groove
family (all waltzes, all ballads, all swing styles …, see :func:`group_of`), are all in one split,
chosen by a hash of the group's name: **tuning** (2 groups in 5; estimators may be designed and fitted on it) and
**held_out** (only scored, never looked at while tuning). The same piece or groove family is never
in both.

Writes ``benchmarks/data/tempo_eval.csv`` (labels, committed) and the rendered audio under
``data/cache/tempo-eval/audio/`` (not committed). Needs ``fluidsynth`` and the soundfont packages
``fluid-soundfont-gm``, ``timgm6mb-soundfont`` and ``musescore-general-soundfont-small``
(``make tempo-eval-set`` installs them where it may).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import random
import re
import shutil
import struct
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import mido

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "data" / "cache" / "tempo-eval"
LABELS = ROOT / "benchmarks" / "data" / "tempo_eval.csv"
PACKAGES = ("freedoom", "openttd-openmsx", "planetblupi-music-midi")
SOUNDFONTS = (
    Path("/usr/share/sounds/sf2/FluidR3_GM.sf2"),
    Path("/usr/share/sounds/sf2/TimGM6mb.sf2"),
    Path("/usr/share/sounds/sf3/MuseScore_General.sf3"),
)
EXCERPT_S = 30.0
RENDER_SR = 22050
MIN_ON_GRID = 0.8
DRUM_CHANNEL = 9


@dataclass(frozen=True)
class Excerpt:
    """One labelled excerpt: where it comes from, how it was rendered, its tempo and key."""

    id: str
    package: str
    source: str
    midi_sha256: str
    start_s: float
    rate: float
    tempo_bpm: float
    key: str
    drums: bool
    soundfont: str
    split: str


def fetch(package: str) -> Path:
    """Unpack ``package`` (``apt-get download`` + ``dpkg-deb -x``) under ``WORK/x/<package>``."""
    target = WORK / "x" / package
    if target.is_dir():
        return target
    debs = WORK / "debs"
    debs.mkdir(parents=True, exist_ok=True)
    if not list(debs.glob(f"{package}_*.deb")):
        subprocess.run(["apt-get", "download", package], cwd=debs, check=True)
    deb = sorted(debs.glob(f"{package}_*.deb"))[0]
    target.parent.mkdir(parents=True, exist_ok=True)  # dpkg-deb -x makes the target, not its parents
    subprocess.run(["dpkg-deb", "-x", str(deb), str(target)], check=True)
    return target


def wad_music(wad: Path) -> Iterator[tuple[str, bytes]]:
    """(lump name, MIDI bytes) of every music lump (``D_*`` in MIDI format) in a Doom WAD."""
    data = wad.read_bytes()
    _, count, offset = struct.unpack("<4sii", data[:12])
    for i in range(count):
        pos, size, raw = struct.unpack("<ii8s", data[offset + 16 * i : offset + 16 * i + 16])
        name = raw.rstrip(b"\0").decode("ascii")
        if name.startswith("D_") and data[pos : pos + 4] == b"MThd":
            yield name, data[pos : pos + size]


NOTES = ("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B")
MAJOR_CADENCE = ((0, ""), (5, ""), (7, "7"), (0, ""), (9, "m"), (2, "m"), (7, "7"), (0, ""))
MINOR_CADENCE = ((0, "m"), (5, "m"), (7, "7"), (0, "m"), (8, ""), (5, "m"), (7, "7"), (0, "m"))
MMA_LIBRARY = Path("/usr/share/mma/lib/stdlib")


def mma_tempo_range(style: str) -> tuple[int, int]:
    """Tempo range drawn from for an MMA style, by its name."""
    name = style.lower()
    if re.search(r"ballad|slow|lullaby|hymn|bolero|mellow|soft", name):
        return 60, 95
    if re.search(r"fast|metal|punk|jive|quickstep|polka|bluegrass|dixie|charleston|rock", name):
        return 120, 200
    return 80, 160


def mma_pieces() -> Iterator[tuple[str, bytes, str, float]]:
    """(style, MIDI bytes, key, tempo) for each MMA style: 48 bars of a cadence, seeded per style."""
    if shutil.which("mma") is None or not MMA_LIBRARY.is_dir():
        sys.exit("needs MMA's groove library: `apt-get install mma` (or `make tempo-eval-set`)")
    work = WORK / "mma"
    work.mkdir(parents=True, exist_ok=True)
    for number, library in enumerate(sorted(MMA_LIBRARY.glob("*.mma"))):
        text = library.read_text(encoding="utf-8", errors="replace")
        groove = re.search(r"^\s*DefGroove\s+(\S+)", text, re.MULTILINE | re.IGNORECASE)
        compound = re.search(r"^\s*TimeSig\s+(6|9|12)\s+8", text, re.MULTILINE | re.IGNORECASE)
        if groove is None or compound or re.search(r"68|128|metronome", library.stem):
            continue
        rng = random.Random(f"{library.stem}-{number}")
        low, high = mma_tempo_range(library.stem)
        tempo = float(rng.randint(low, high))
        tonic, minor = rng.randrange(12), rng.random() < 0.5
        cadence = MINOR_CADENCE if minor else MAJOR_CADENCE
        bars = [f"{i + 1} {NOTES[(tonic + step) % 12]}{kind}" for i, (step, kind) in enumerate(cadence * 6)]
        # MMA varies timing, velocity and skipped notes at random; seeded, a rebuild gives the same MIDI
        seed = rng.randrange(2**31)
        source = work / f"{library.stem}.mma"
        source.write_text(
            f"RndSeed {seed}\nTempo {tempo:g}\nGroove {groove.group(1)}\n" + "\n".join(bars) + "\n"
        )
        midi = source.with_suffix(".mid")
        # by file name in its own folder: MMA writes the input's path into the MIDI file
        run = subprocess.run(["mma", source.name, "-f", midi.name], cwd=work, capture_output=True, text=True)
        if run.returncode == 0 and midi.exists():
            yield library.stem, midi.read_bytes(), NOTES[tonic] + ("m" if minor else ""), tempo


def sources() -> Iterator[tuple[str, str, bytes, str | None]]:
    """(package, file name, MIDI bytes, key or None) of every source piece, each distinct file once.

    The key is set for MMA pieces (written in it); None for game pieces (read from the file).
    """
    seen: set[str] = set()
    found: list[tuple[str, str, bytes, str | None]] = []
    for wad in sorted(fetch("freedoom").rglob("*.wad")):
        found += [("freedoom", f"{wad.name}:{name}", data, None) for name, data in wad_music(wad)]
    for package in PACKAGES[1:]:
        found += [(package, p.name, p.read_bytes(), None) for p in sorted(fetch(package).rglob("*.mid"))]
    found += [("mma", f"{style}.mma", data, key) for style, data, key, _ in mma_pieces()]
    for package, name, data, key in found:
        digest = hashlib.sha256(data).hexdigest()
        if digest not in seen:
            seen.add(digest)
            yield package, name, data, key


_MERGED: dict[int, tuple[mido.MidiFile, list[tuple[int, mido.Message]]]] = {}


def _events(midi: mido.MidiFile) -> list[tuple[int, mido.Message]]:
    """Every message with its absolute tick, all tracks merged, in order (computed once per file)."""
    held = _MERGED.get(id(midi))
    if held is None or held[0] is not midi:
        out, tick = [], 0
        for msg in mido.merge_tracks(midi.tracks):
            tick += msg.time
            out.append((tick, msg))
        held = _MERGED[id(midi)] = (midi, out)
    return held[1]


def _seconds(tempos: list[tuple[int, int]], tick: int, tpb: int) -> float:
    total, last_tick, tempo = 0.0, 0, 500000
    for at, value in tempos:
        if at >= tick:
            break
        total += (at - last_tick) * tempo / tpb / 1e6
        last_tick, tempo = at, value
    return total + (tick - last_tick) * tempo / tpb / 1e6


def choose_window(midi: mido.MidiFile, *, rate: float) -> tuple[int, int, int] | None:
    """(start tick, end tick, tempo in µs per quarter) of a stretch with one tempo, ``EXCERPT_S`` long
    once played at ``rate``, starting 10 s in where possible; None if the piece has none."""
    events = _events(midi)
    tpb = midi.ticks_per_beat
    tempos: list[tuple[int, int]] = []
    for tick, msg in events:
        if msg.type == "set_tempo" and not (tempos and abs(msg.tempo / tempos[-1][1] - 1) < 0.005):
            tempos.append((tick, msg.tempo))
    if not tempos or tempos[0][0] > 0:
        tempos.insert(0, (0, 500000))
    end_tick = events[-1][0] if events else 0
    bounds = [*(t for t, _ in tempos[1:]), end_tick]
    for (start, tempo), stop in zip(tempos, bounds, strict=True):
        span = EXCERPT_S * rate * 1e6 / tempo * tpb  # ticks
        first = start + min(10e6 / tempo * tpb, max(0.0, (stop - start - span) / 2))
        if stop - first >= span:
            first_tick = round(first / tpb) * tpb  # start on a beat
            if stop - first_tick >= span:
                return first_tick, first_tick + int(span), tempo
    return None


def on_grid(midi: mido.MidiFile, start: int, end: int) -> float:
    """Share of note onsets in [start, end) on a sixteenth or triplet-eighth grid (±1/48 beat)."""
    tpb = midi.ticks_per_beat
    onsets = [t for t, m in _events(midi) if start <= t < end and m.type == "note_on" and m.velocity > 0]
    if len(onsets) < 20:
        return 0.0
    tol = tpb / 48

    def near(tick: int, step: float) -> bool:
        phase = tick % step
        return min(phase, step - phase) <= tol

    return sum(near(t, tpb / 4) or near(t, tpb / 3) for t in onsets) / len(onsets)


def beat_factor(midi: mido.MidiFile, start: int) -> float:
    """Beats per quarter note at ``start``: 2/3 in compound metres (6/8, 9/8, 12/8), else 1."""
    meter = (4, 4)
    for tick, msg in _events(midi):
        if tick > start:
            break
        if msg.type == "time_signature":
            meter = (msg.numerator, msg.denominator)
    return 2 / 3 if meter[1] == 8 and meter[0] in (6, 9, 12) else 1.0


def key_at(midi: mido.MidiFile, start: int) -> str:
    """The key signature in effect at ``start`` ('' if none, or the sequencer default C major)."""
    key = ""
    for tick, msg in _events(midi):
        if tick > start:
            break
        if msg.type == "key_signature":
            key = msg.key
    return "" if key == "C" else key


def excerpt_midi(
    midi: mido.MidiFile, start: int, end: int, *, tempo: int, rate: float, drums: bool
) -> mido.MidiFile:
    """The ticks [start, end) as a one-track file at ``rate`` × ``tempo``; instrument and controller
    state from before ``start`` replayed at tick 0; without the drum channel if ``drums`` is False."""
    track = mido.MidiTrack([mido.MetaMessage("set_tempo", tempo=round(tempo / rate), time=0)])
    last = 0
    for tick, msg in _events(midi):
        if tick >= end:
            break
        if msg.is_meta or msg.type == "sysex":
            continue
        if not drums and getattr(msg, "channel", None) == DRUM_CHANNEL:
            continue
        if tick < start and msg.type in ("note_on", "note_off"):
            continue
        at = max(0, tick - start)
        track.append(msg.copy(time=at - last))
        last = at
    for channel in range(16):  # all notes off at the end
        gap = (end - start) - last if channel == 0 else 0
        track.append(mido.Message("control_change", channel=channel, control=123, value=0, time=gap))
    out = mido.MidiFile(type=0, ticks_per_beat=midi.ticks_per_beat)
    out.tracks.append(track)
    return out


# Related MMA styles share patterns (waltz, jazzwaltz, fastjazzwaltz …): a style belongs to the first
# family whose name it contains, so a family is never split between tuning and held-out material.
MMA_FAMILIES = (
    "waltz", "ballad", "boggie", "blues", "swing", "dixie", "march", "bolero", "jazz", "rock",
    "country", "folk", "broadway", "spiritual", "bossa", "rhumba", "tango", "bigband", "beat",
)  # fmt: skip


def group_of(package: str, name: str, digest: str) -> str:
    """The group an excerpt is split by: the MMA groove family, else the MIDI file's content."""
    if package == "mma":
        style = name.removesuffix(".mma")
        return "mma:" + next((family for family in MMA_FAMILIES if family in style), style)
    return f"{package}:{digest}"


def split_of(group: str) -> str:
    """'tuning' or 'held_out' for a group, by a hash of its name (reproducibly; 2 groups in 5 tune)."""
    return "tuning" if hashlib.sha256(group.encode()).digest()[0] % 5 < 2 else "held_out"


def scaled_rate(bpm: float) -> float:
    """The second rendering's tempo factor: slow pieces faster, fast pieces slower (60-200 BPM)."""
    return 1.5 if bpm < 100 else 1.35 if bpm <= 140 else 0.75


def plan() -> list[tuple[Excerpt, mido.MidiFile]]:
    """Every excerpt to render, with its MIDI, in a fixed order."""
    out: list[tuple[Excerpt, mido.MidiFile]] = []
    for number, (package, name, data, known_key) in enumerate(sources()):
        midi = mido.MidiFile(file=io.BytesIO(data))
        has_drums = any(m.type == "note_on" and m.channel == DRUM_CHANNEL for t in midi.tracks for m in t)
        base = choose_window(midi, rate=1.0)
        if base is None:
            continue
        quarter_bpm = mido.tempo2bpm(base[2])
        renders = [(1.0, True), (scaled_rate(quarter_bpm * beat_factor(midi, base[0])), True)]
        if has_drums and known_key is None:
            renders.append((1.0, False))
        for variant, (rate, drums) in enumerate(renders):
            window = choose_window(midi, rate=rate)
            if window is None:
                continue
            if known_key is None and on_grid(midi, window[0], window[1]) < MIN_ON_GRID:
                continue  # MMA's styles play slightly off the grid on purpose; their tempo is set
            start, end, tempo = window
            bpm = mido.tempo2bpm(tempo) * beat_factor(midi, start) * rate
            if not 55 <= bpm <= 210:
                continue
            soundfont = SOUNDFONTS[(number + variant) % len(SOUNDFONTS)]
            stem = re.sub(r"\.(mid|mma)$", "", name).replace(".wad:", "-").lower()
            excerpt = Excerpt(
                id=f"{package}--{stem}--{variant}",
                package=package,
                source=name,
                midi_sha256=hashlib.sha256(data).hexdigest(),
                start_s=round(_seconds(_tempo_map(midi), start, midi.ticks_per_beat), 3),
                rate=rate,
                tempo_bpm=round(bpm, 3),
                key=known_key if known_key is not None else key_at(midi, start),
                drums=has_drums and drums,
                soundfont=soundfont.name,
                split=split_of(group_of(package, name, hashlib.sha256(data).hexdigest())),
            )
            out.append((excerpt, excerpt_midi(midi, start, end, tempo=tempo, rate=rate, drums=drums)))
    return out


def _tempo_map(midi: mido.MidiFile) -> list[tuple[int, int]]:
    return [(t, m.tempo) for t, m in _events(midi) if m.type == "set_tempo"]


def render(excerpt: Excerpt, midi: mido.MidiFile, *, audio_dir: Path) -> Path:
    """Render one excerpt to FLAC with fluidsynth (skipped when the file is there, rendered from
    the same excerpt MIDI: its SHA-256 is kept beside it)."""
    target = audio_dir / f"{excerpt.id}.flac"
    mid = audio_dir / f"{excerpt.id}.mid"
    midi.save(mid)
    digest = hashlib.sha256(mid.read_bytes()).hexdigest()
    stamp = target.with_suffix(".sha256")
    if target.exists() and stamp.exists() and stamp.read_text(encoding="utf-8").strip() == digest:
        mid.unlink()
        return target
    soundfont = next(p for p in SOUNDFONTS if p.name == excerpt.soundfont)
    tmp = target.with_suffix(".tmp.flac")
    command = ["fluidsynth", "-ni", "-q", "-g", "0.5", "-r", str(RENDER_SR), "-T", "flac"]
    subprocess.run([*command, "-F", str(tmp), str(soundfont), str(mid)], check=True, capture_output=True)
    tmp.replace(target)
    stamp.write_text(digest + "\n", encoding="utf-8")
    mid.unlink()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2, help="fluidsynth processes at once")
    parser.add_argument("--labels-only", action="store_true", help="write the labels, render nothing")
    args = parser.parse_args()
    missing = [str(p) for p in SOUNDFONTS if not p.exists()]
    if not args.labels_only and (shutil.which("fluidsynth") is None or missing):
        sys.exit(f"needs fluidsynth and the soundfonts {missing}: run `make tempo-eval-set`")
    planned = plan()
    LABELS.parent.mkdir(parents=True, exist_ok=True)
    with LABELS.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(asdict(planned[0][0])))
        writer.writeheader()
        writer.writerows(asdict(e) for e, _ in planned)
    pieces = len({e.midi_sha256 for e, _ in planned})
    print(f"{len(planned)} excerpts of {pieces} pieces; labels in {LABELS.relative_to(ROOT)}")
    for split in ("tuning", "held_out"):
        chosen = [e for e, _ in planned if e.split == split]
        print(f"  {split}: {len(chosen)} excerpts of {len({e.midi_sha256 for e in chosen})} pieces")
    if args.labels_only:
        return
    audio_dir = WORK / "audio"
    audio_dir.mkdir(parents=True, exist_ok=True)
    with ThreadPoolExecutor(args.jobs) as pool:
        done = list(pool.map(lambda item: render(item[0], item[1], audio_dir=audio_dir), planned))
    print(f"{len(done)} excerpts rendered in {audio_dir.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
