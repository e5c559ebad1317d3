"""Key and mode from the track's chroma, by correlation with key profiles.

The chroma vector (mean over non-silent frames of max-normalised STFT chroma) is correlated
with the 24 rotations of a major and a minor key profile; the best correlation names the key.
Profiles: Albrecht-Shanahan (2013, pitch-class distributions of a corpus of real pieces) by
default; Krumhansl-Kessler (probe-tone ratings, 1982) and Temperley (Kostka-Payne corpus, 1999)
are available for comparison. On the tuning split of the rendered evaluation set
(``benchmarks/tempo_accuracy.py``, 53 excerpts with a key) the MIREX score of encore's STFT
chroma is 0.796 with Albrecht-Shanahan, 0.762 with Temperley and below 0.71 with
Krumhansl-Kessler; that split chose the default, the held-out split only measures it.

:func:`mirex_key_score` grades an estimate against a label as MIREX's key detection task does.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analytics.audio.features import PITCH_CLASSES

PROFILES: dict[str, tuple[np.ndarray, np.ndarray]] = {
    "krumhansl": (
        np.array([6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88]),
        np.array([6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17]),
    ),
    "temperley": (
        np.array([5.0, 2.0, 3.5, 2.0, 4.5, 4.0, 2.0, 4.5, 2.0, 3.5, 1.5, 4.0]),
        np.array([5.0, 2.0, 3.5, 4.5, 2.0, 4.0, 2.0, 4.5, 3.5, 2.0, 1.5, 4.0]),
    ),
    "albrecht": (
        np.array([0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.080, 0.008, 0.081]),
        np.array([0.220, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052]),
    ),
}

DEFAULT_PROFILE = "albrecht"


@dataclass(frozen=True)
class Key:
    """Estimated key: ``tonic`` (C..B), ``mode`` (major|minor), correlation and margin."""

    tonic: str
    mode: str
    confidence: float
    margin: float

    @property
    def label(self) -> str:
        return f"{self.tonic} {self.mode}"


def key_correlations(chroma: np.ndarray, *, profile: str = DEFAULT_PROFILE) -> np.ndarray:
    """Pearson correlation of a 12-bin chroma vector with each key: shape (2, 12), [major, minor]."""
    major, minor = PROFILES[profile]
    out = np.zeros((2, 12))
    x = chroma - chroma.mean()
    norm_x = np.linalg.norm(x)
    if norm_x == 0:
        return out
    for row, base in enumerate((major, minor)):
        for tonic in range(12):
            p = np.roll(base, tonic)
            p = p - p.mean()
            out[row, tonic] = float(x @ p / (norm_x * np.linalg.norm(p)))
    return out


def relative_of(tonic: int, mode: int) -> tuple[int, int]:
    """The relative key (same notes): C major <-> A minor."""
    return ((tonic + 9) % 12, 1) if mode == 0 else ((tonic + 3) % 12, 0)


def estimate_key(chroma: np.ndarray, *, profile: str = DEFAULT_PROFILE) -> Key | None:
    """Best key for a chroma vector, or None if the chroma is flat (no pitch content)."""
    corr = key_correlations(np.asarray(chroma, dtype=float), profile=profile)
    if not np.any(corr):
        return None
    mode, tonic = np.unravel_index(int(np.argmax(corr)), corr.shape)
    best = float(corr[mode, tonic])
    rel_tonic, rel_mode = relative_of(int(tonic), int(mode))
    rivals = corr.copy()
    rivals[mode, tonic] = rivals[rel_mode, rel_tonic] = rivals[1 - mode, tonic] = -np.inf
    return Key(
        tonic=PITCH_CLASSES[int(tonic)],
        mode=("major", "minor")[int(mode)],
        confidence=float(np.clip(best, 0.0, 1.0)),
        margin=float(best - rivals.max()),
    )


_FLATS = {
    "Db": "C#",
    "Eb": "D#",
    "Gb": "F#",
    "Ab": "G#",
    "Bb": "A#",
    "Cb": "B",
    "Fb": "E",
    "E#": "F",
    "B#": "C",
}


def parse_key(name: str) -> tuple[int, int] | None:
    """(pitch class, 0 major | 1 minor) of a key name: 'F#', 'Bbm', 'A minor', 'Eb major'; None if not a key."""
    text = name.strip()
    for suffix, mode in ((" minor", 1), (" major", 0), ("m", 1)):
        if text.endswith(suffix):
            text, minor = text[: -len(suffix)].strip(), mode
            break
    else:
        minor = 0
    tonic = _FLATS.get(text, text)
    return (PITCH_CLASSES.index(tonic), minor) if tonic in PITCH_CLASSES else None


def mirex_key_score(estimate: str, reference: str, *, descending_fifth: bool = False) -> float:
    """MIREX weighted key score of an estimated key against the reference key.

    Parameters
    ----------
    estimate, reference : key names as :func:`parse_key` reads them ('' or unreadable: no key).
    descending_fifth : also give 0.5 to the key a fifth below (MIREX and ``mir_eval.key`` by
        default credit only the fifth above: the dominant of the reference).

    Returns
    -------
    1.0 same key; 0.5 same mode, tonic a perfect fifth above the reference's; 0.3 the relative key
    (C major <-> A minor); 0.2 the parallel key (C major <-> C minor); 0.0 otherwise or no key.
    """
    e, t = parse_key(estimate), parse_key(reference)
    if e is None or t is None:
        return 0.0
    if e == t:
        return 1.0
    interval = (e[0] - t[0]) % 12
    if e[1] == t[1] and (interval == 7 or (descending_fifth and interval == 5)):
        return 0.5
    if e == relative_of(*t):
        return 0.3
    if e[1] != t[1] and interval == 0:
        return 0.2
    return 0.0
