"""Key and mode of chords and scales in every key (exact; relative/parallel would be counted apart)."""

from __future__ import annotations

import numpy as np
import pytest

from analytics.audio.analyze import analyze_file, summarize
from analytics.audio.features import PITCH_CLASSES
from analytics.audio.frames import FrameAnalyzer
from analytics.audio.tonal import estimate_key, mirex_key_score, parse_key, relative_of

from .conftest import SR, chord_progression, tone


def key_of(y: np.ndarray) -> tuple[str, str, float]:
    analyzer = FrameAnalyzer(SR, 1)
    analyzer.add(y[:, None])
    features, _ = summarize(analyzer.finish())
    return features["key"], features["mode"], features["key_confidence"]


def classify(found: tuple[str, str], tonic: str, mode: str) -> str:
    if found == (tonic, mode):
        return "exact"
    t = PITCH_CLASSES.index(tonic)
    rel_t, rel_m = relative_of(t, 0 if mode == "major" else 1)
    if found == (PITCH_CLASSES[rel_t], ("major", "minor")[rel_m]):
        return "relative"
    if found[0] == tonic:
        return "parallel"
    return "wrong"


@pytest.mark.parametrize("mode", ["major", "minor"])
def test_every_key_is_found_exactly(mode: str) -> None:
    outcomes = {}
    for tonic in PITCH_CLASSES:
        key, found_mode, confidence = key_of(chord_progression(tonic, mode))
        outcomes[tonic] = classify((key, found_mode), tonic, mode)
        assert confidence > 0.6
    assert set(outcomes.values()) == {"exact"}, outcomes


def test_relative_keys_are_told_apart() -> None:
    assert key_of(chord_progression("C", "major"))[:2] == ("C", "major")
    assert key_of(chord_progression("A", "minor"))[:2] == ("A", "minor")


def test_flat_chroma_has_no_key() -> None:
    assert estimate_key(np.ones(12)) is None
    key = estimate_key(np.array([1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1], dtype=float))
    assert key is not None and key.label == "C major" and key.margin > 0


@pytest.mark.parametrize(
    ("estimate", "reference", "score"),
    [
        ("C", "C", 1.0),
        ("Am", "A minor", 1.0),
        ("Bb", "A#", 1.0),  # enharmonic spellings are the same key
        ("Ebm", "D# minor", 1.0),
        ("G", "C", 0.5),  # dominant: a fifth above
        ("Em", "Am", 0.5),
        ("C#", "F#", 0.5),  # wraps around B -> C
        ("F", "C", 0.0),  # a fifth below: MIREX gives nothing
        ("Gm", "C", 0.0),  # a fifth above but the other mode
        ("Am", "C", 0.3),  # relative minor
        ("C", "Am", 0.3),  # relative major
        ("Eb", "Cm", 0.3),
        ("F#m", "A", 0.3),
        ("Cm", "C", 0.2),  # parallel
        ("C", "Cm", 0.2),
        ("D", "C", 0.0),
        ("Em", "C", 0.0),  # shares five notes with C major, still no credit
        ("C", "Em", 0.0),
        ("", "C", 0.0),  # no estimate
        ("H", "C", 0.0),  # not a key name
    ],
)
def test_mirex_key_score_of_hand_checked_pairs(estimate: str, reference: str, score: float) -> None:
    assert mirex_key_score(estimate, reference) == score


def test_descending_fifth_is_credited_only_when_asked() -> None:
    assert mirex_key_score("F", "C") == 0.0
    assert mirex_key_score("F", "C", descending_fifth=True) == 0.5
    assert mirex_key_score("Dm", "Am", descending_fifth=True) == 0.5


def test_key_names_parse_in_every_spelling() -> None:
    assert parse_key("F#") == (6, 0)
    assert parse_key("Gbm") == (6, 1)
    assert parse_key("B minor") == (11, 1)
    assert parse_key("Cb major") == (11, 0)
    assert parse_key("") is None


def song_in(tonic: str, mode: str, *, seed: int, seconds_per_chord: float = 1.0) -> np.ndarray:
    """Eight bars of a seeded piece: a bass note and a triad per bar (I-vi-IV-V or i-VI-iv-V) and a
    melody of eighth notes drawn from the (natural minor) scale, landing on chord tones."""
    rng = np.random.default_rng(seed)
    root = PITCH_CLASSES.index(tonic)
    scale = (0, 2, 4, 5, 7, 9, 11) if mode == "major" else (0, 2, 3, 5, 7, 8, 10)
    base = 130.81 * 2 ** (root / 12)  # the tonic in the octave of C3

    def hz(semis: int) -> float:
        return float(base * 2 ** (semis / 12))

    def triad(degree: int) -> list[int]:
        notes = [scale[(degree + k) % 7] + 12 * ((degree + k) // 7) for k in (0, 2, 4)]
        if mode == "minor" and degree == 4:
            notes[1] += 1  # the raised leading tone in the dominant chord
        return notes

    parts = []
    for degree in (0, 5, 3, 4, 0, 5, 3, 4):
        chord = triad(degree)
        bar = tone(hz(chord[0] - 12), seconds_per_chord) * 1.2
        bar = bar + sum(tone(hz(n), seconds_per_chord) * 0.5 for n in chord)
        step = seconds_per_chord / 8
        melody = [
            tone(hz(12 + (chord[i % 3] if i % 2 == 0 else int(rng.choice(scale)))), step) * 0.8
            for i in range(8)
        ]
        line = np.concatenate(melody)
        parts.append(bar[: line.shape[0]] + line)
    y = np.concatenate(parts)
    return (y / np.abs(y).max() * 0.5).astype(np.float32)


@pytest.mark.parametrize(
    ("tonic", "mode"), [("A", "minor"), ("D#", "major"), ("F#", "minor"), ("G", "major")]
)
def test_a_seeded_song_file_comes_out_in_its_key(tonic: str, mode: str, write_audio) -> None:
    path = write_audio(f"song_{tonic}_{mode}.flac", song_in(tonic, mode, seed=3))
    result = analyze_file(path)
    assert result.status == "ok"
    found = result.features["key"] + ("m" if result.features["mode"] == "minor" else "")
    assert mirex_key_score(found, tonic + ("m" if mode == "minor" else "")) == 1.0, found
