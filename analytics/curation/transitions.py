"""The cost of playing one track after another, and the energy arc of a playlist."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from analytics.curation.candidates import KEYS, Candidate

NEUTRAL = 0.25  # cost of a term whose features are missing: no preference either way
SAME_ALBUM = 0.3
HARMONIC = {0: 0.0, 1: 0.15, 2: 0.6}


def camelot(key: str | None, mode: str | None) -> tuple[int, str] | None:
    """Camelot wheel code of a key: (1..12, "A" minor / "B" major); None when unknown."""
    if key not in KEYS or mode not in ("major", "minor"):
        return None
    pc = KEYS.index(key) if mode == "major" else (KEYS.index(key) + 3) % 12  # minor: its relative major
    number = ((pc * 7) % 12 + 7) % 12 + 1
    return number, "B" if mode == "major" else "A"


def camelot_distance(a: tuple[int, str], b: tuple[int, str]) -> int:
    """Steps on the wheel: one per number around the circle, one for switching minor/major."""
    around = abs(a[0] - b[0]) % 12
    return min(around, 12 - around) + (a[1] != b[1])


def _tempo_term(a: Candidate, b: Candidate) -> float:
    if a.tempo_bpm is None or b.tempo_bpm is None or a.tempo_bpm <= 0 or b.tempo_bpm <= 0:
        return NEUTRAL
    ratio = abs(math.log2(b.tempo_bpm / a.tempo_bpm))
    half_double = abs(ratio - 1.0) + 0.1  # half or double time mixes, at a small price
    return min(1.0, 4.0 * min(ratio, half_double))


def _key_term(a: Candidate, b: Candidate) -> float:
    ca, cb = camelot(a.key, a.mode), camelot(b.key, b.mode)
    if ca is None or cb is None:
        return NEUTRAL
    return HARMONIC.get(camelot_distance(ca, cb), 1.0)


def transition_cost(a: Candidate, b: Candidate) -> float:
    """Cost of ``b`` right after ``a`` (symmetric): tempo, key, energy, loudness, same album."""
    energy = NEUTRAL if a.energy is None or b.energy is None else abs(a.energy - b.energy) * 2.0
    if a.loudness_lufs is None or b.loudness_lufs is None:
        loud = NEUTRAL
    else:
        loud = min(1.0, abs(a.loudness_lufs - b.loudness_lufs) / 6.0)
    album = SAME_ALBUM if a.album_id == b.album_id else 0.0
    return _tempo_term(a, b) + _key_term(a, b) + energy + loud + album


def _column(tracks: Sequence[Candidate], name: str) -> np.ndarray:
    return np.array([np.nan if getattr(t, name) is None else float(getattr(t, name)) for t in tracks])


def transition_matrix(tracks: Sequence[Candidate]) -> list[list[float]]:
    """Pairwise :func:`transition_cost` for every pair (a list of rows, symmetric), vectorised."""
    tempo = _column(tracks, "tempo_bpm")
    tempo[tempo <= 0] = np.nan
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.abs(np.log2(tempo[None, :] / tempo[:, None]))
        t_term = np.minimum(1.0, 4.0 * np.minimum(ratio, np.abs(ratio - 1.0) + 0.1))
    t_term = np.where(np.isnan(t_term), NEUTRAL, t_term)
    codes = [camelot(t.key, t.mode) for t in tracks]
    num = np.array([c[0] if c else -1 for c in codes])
    minor = np.array([c[1] == "A" if c else False for c in codes])
    around = np.abs(num[:, None] - num[None, :]) % 12
    steps = np.minimum(around, 12 - around) + (minor[:, None] != minor[None, :])
    k_term = np.select([steps == 0, steps == 1, steps == 2], [HARMONIC[0], HARMONIC[1], HARMONIC[2]], 1.0)
    known = num >= 0
    k_term = np.where(known[:, None] & known[None, :], k_term, NEUTRAL)
    energy = _column(tracks, "energy")
    e_term = np.abs(energy[:, None] - energy[None, :]) * 2.0
    e_term = np.where(np.isnan(e_term), NEUTRAL, e_term)
    loud = _column(tracks, "loudness_lufs")
    l_term = np.minimum(1.0, np.abs(loud[:, None] - loud[None, :]) / 6.0)
    l_term = np.where(np.isnan(l_term), NEUTRAL, l_term)
    album = np.array([t.album_id for t in tracks], dtype=object)
    a_term = np.where(album[:, None] == album[None, :], SAME_ALBUM, 0.0)
    d = t_term + k_term + e_term + l_term + a_term
    np.fill_diagonal(d, 0.0)
    out: list[list[float]] = d.tolist()
    return out


def arc_targets(n: int, arc: str, *, low: float, high: float) -> list[float]:
    """Target energy at each position: rise, fall, rise then fall (peak at 2/3) or flat."""
    if n <= 1:
        return [(low + high) / 2] * n
    out = []
    for p in range(n):
        x = p / (n - 1)
        if arc == "rise":
            f = x
        elif arc == "fall":
            f = 1 - x
        elif arc == "rise_fall":
            f = x / 0.67 if x <= 0.67 else (1 - x) / 0.33
        else:
            f = 0.5
        out.append(low + (high - low) * min(1.0, max(0.0, f)))
    return out


def describe_transition(a: Candidate, b: Candidate) -> str:
    """Why ``b`` sits well after ``a``, e.g. "same key, +4 BPM, energy +0.05"."""
    bits = []
    ca, cb = camelot(a.key, a.mode), camelot(b.key, b.mode)
    if ca and cb:
        steps = camelot_distance(ca, cb)
        if steps == 0:
            bits.append("same key")
        elif steps == 1:
            bits.append(f"next key on the Camelot wheel ({ca[0]}{ca[1]} to {cb[0]}{cb[1]})")
        else:
            bits.append(f"key change of {steps} steps")
    if a.tempo_bpm and b.tempo_bpm:
        bits.append(f"{b.tempo_bpm - a.tempo_bpm:+.0f} BPM")
    if a.energy is not None and b.energy is not None:
        bits.append(f"energy {b.energy - a.energy:+.2f}")
    if a.album_id == b.album_id:
        bits.append("same album")
    return ", ".join(bits) if bits else "no audio features to compare"
