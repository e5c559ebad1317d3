"""Scores of candidates, each broken into its weighted parts, and selection under the constraints."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from analytics.curation.candidates import CHROMA_FEATURES, TIMBRE_FEATURES, Candidate, in_pool
from analytics.curation.definition import PlaylistDefinition

PARTS = ("streams", "streams_momentum", "saves", "recency", "audio")
PART_LABELS = {
    "streams": "28-day streams",
    "streams_momentum": "28-day streams growth",
    "saves": "saves per stream",
    "recency": "most recent release",
    "audio": "fit to the audio target",
}


# Cosine distances under which two fingerprints are one recording. Measured on the 20 demo
# recordings, each also re-encoded at -1.5 dB through a 14 kHz low-pass and cut 0.5 s later in
# mono: versions of one recording at most 0.0017 (timbre) and 0.0013 (chroma) apart, different
# recordings at least 0.0056 and 0.0084 (benchmarks/near_identical.py).
NEAR_TIMBRE = 0.003
NEAR_CHROMA = 0.004


class CurationError(ValueError):
    """The definition cannot be met by the catalog (e.g. a pinned track is unknown)."""


@dataclass(frozen=True, slots=True)
class Score:
    """A candidate's score: ``total`` is the sum of ``parts`` (each already weighted)."""

    track_id: str
    total: float
    parts: dict[str, float]
    ranks: dict[str, int] = field(default_factory=dict)  # 1 = best in the pool for that part


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _rank_norm(values: dict[str, float | None]) -> tuple[dict[str, float], dict[str, int]]:
    """Percentile in 0..1 (missing values 0) and 1-based rank of the known values."""
    known = sorted(((v, k) for k, v in values.items() if v is not None), key=lambda x: (-x[0], x[1]))
    n = len(known)
    norm = {k: 0.0 for k in values}
    ranks: dict[str, int] = {}
    for i, (_, k) in enumerate(known):
        norm[k] = 1.0 if n == 1 else 1.0 - i / (n - 1)
        ranks[k] = i + 1
    return norm, ranks


def _age_years(release_date: str, today: date) -> float:
    parts = [int(p) for p in release_date.split("-")] + [1, 1]
    try:
        released = date(parts[0], parts[1] or 1, parts[2] or 1)
    except ValueError:
        released = date(parts[0], 1, 1)
    return max(0.0, (today - released).days / 365.25)


def score_candidates(
    candidates: Sequence[Candidate], definition: PlaylistDefinition, *, today: date
) -> dict[str, Score]:
    """Score every candidate: streams, momentum, saves, recency and audio fit, weighted.

    Each part is a percentile within ``candidates`` (0..1, missing data 0) except recency
    (``2 ** -(age in years)``) and audio (energy, or 1 - energy for "calm"; 0.5 without features).
    """
    w = definition.weights
    raw = {
        "streams": {c.track_id: c.streams_28d for c in candidates},
        "streams_momentum": {
            c.track_id: (c.streams_delta_28d / max(c.streams_28d or 0.0, 1.0))
            if c.streams_delta_28d is not None
            else None
            for c in candidates
        },
        "saves": {
            c.track_id: (c.saves_28d / max(c.streams_28d or 0.0, 1.0)) if c.saves_28d is not None else None
            for c in candidates
        },
        "recency": {c.track_id: 2.0 ** -_age_years(c.release_date, today) for c in candidates},
    }
    normed = {part: _rank_norm(values) for part, values in raw.items()}
    target = definition.audio_target
    fit = {
        c.track_id: (c.energy if target == "energetic" else 1.0 - c.energy)
        if c.energy is not None and target != "any"
        else None
        for c in candidates
    }
    audio_ranks = _rank_norm(fit)[1]
    scores = {}
    for c in candidates:
        if c.energy is None or target == "any":
            audio = 0.5
        else:
            audio = c.energy if target == "energetic" else 1.0 - c.energy
        parts = {
            "streams": w.streams * normed["streams"][0][c.track_id],
            "streams_momentum": w.streams_momentum * normed["streams_momentum"][0][c.track_id],
            "saves": w.saves * normed["saves"][0][c.track_id],
            "recency": w.recency * float(raw["recency"][c.track_id] or 0.0),
            "audio": w.audio * audio,
        }
        ranks = {p: normed[p][1][c.track_id] for p in normed if c.track_id in normed[p][1]}
        if c.track_id in audio_ranks:
            ranks["audio"] = audio_ranks[c.track_id]
        scores[c.track_id] = Score(c.track_id, round(sum(parts.values()), 9), parts, ranks)
    return scores


def why_in(score: Score) -> str:
    """The main reason a track is in: its largest weighted part, with its rank where known."""
    measured = [p for p in PARTS if p in score.ranks and score.parts.get(p, 0.0) > 1e-3]
    if not measured:
        return "in for: filling the target length (no streams, saves or audio data to rank it)"
    part = max(measured, key=lambda p: (score.parts[p], -PARTS.index(p)))
    return f"in for: {_ordinal(score.ranks[part])} highest {PART_LABELS[part]}"


class Recordings:
    """Tracks held (e.g. already chosen), to find the ones a candidate is a version of without a
    pass over every one of them: ISRCs and files in dicts, fingerprints as unit rows. The one
    place the rule of :func:`near_identical` is written."""

    def __init__(self) -> None:
        self.tracks: list[Candidate] = []
        self.by_isrc: dict[str, list[int]] = {}
        self.by_file: dict[str, list[int]] = {}
        self.printed: list[int] = []  # tracks with a fingerprint, rows of the matrices below
        self.timbre = np.empty((0, len(TIMBRE_FEATURES)))
        self.chroma = np.empty((0, len(CHROMA_FEATURES)))

    def add(self, c: Candidate) -> None:
        i = len(self.tracks)
        self.tracks.append(c)
        if c.isrc:
            self.by_isrc.setdefault(c.isrc, []).append(i)
        if c.audio_hash:
            self.by_file.setdefault(c.audio_hash, []).append(i)
        if c.timbre is not None and c.chroma is not None:
            self.printed.append(i)
            self.timbre = np.vstack([self.timbre, _unit(c.timbre)])
            self.chroma = np.vstack([self.chroma, _unit(c.chroma)])

    def versions(self, c: Candidate) -> list[tuple[Candidate, str]]:
        """Every track held that ``c`` is a version of, with why, in the order they were added."""
        found: dict[int, str] = {}
        for i in self.by_isrc.get(c.isrc, []) if c.isrc else []:
            found.setdefault(i, "same ISRC")
        for i in self.by_file.get(c.audio_hash, []) if c.audio_hash else []:
            found.setdefault(i, "same audio file")
        if c.timbre is not None and c.chroma is not None and self.printed:
            close = (1.0 - self.timbre @ _unit(c.timbre) <= NEAR_TIMBRE) & (
                1.0 - self.chroma @ _unit(c.chroma) <= NEAR_CHROMA
            )
            for row in np.flatnonzero(close):
                found.setdefault(self.printed[int(row)], "near-identical audio")
        return [(self.tracks[i], why) for i, why in sorted(found.items())]


def _unit(values: Sequence[float]) -> np.ndarray:
    v = np.asarray(values, dtype=float)
    norm = float(np.linalg.norm(v))
    return v / norm if norm else v


def version_of(a: Candidate, b: Candidate) -> str | None:
    """Why ``a`` and ``b`` are versions of one recording ("same ISRC", "same audio file",
    "near-identical audio"), or None when they are not. See :func:`near_identical`."""
    held = Recordings()
    held.add(b)
    found = held.versions(a)
    return found[0][1] if found else None


def near_identical(a: Candidate, b: Candidate) -> bool:
    """Two versions of one recording: the same ISRC, the same audio file, or near-identical audio.

    Near-identical audio: timbre (MFCC means and spreads) and chroma both within
    :data:`NEAR_TIMBRE` and :data:`NEAR_CHROMA` in cosine distance. Tempo, key, energy and
    loudness are not used: a re-encode, a gain change or a new cut of one recording moves them
    (tempo by an octave, key by a fifth) while its fingerprint stays put. Symmetric.
    """
    return version_of(a, b) is not None


def select(
    candidates: Sequence[Candidate],
    scores: dict[str, Score],
    definition: PlaylistDefinition,
    *,
    left_out: dict[str, str] | None = None,
) -> list[Candidate]:
    """Pinned tracks, then the best-scoring eligible candidates, under every constraint.

    Stops at ``length`` tracks, or once ``duration_min`` is reached. Raises
    :class:`CurationError` when a pinned track is unknown or the pool cannot reach a pinned position.
    ``left_out``, when given, receives why each candidate of the pool that a rule kept out was
    left out (excluded, explicit, an album's cap, a version of a chosen track), for those that
    scored high enough to be in otherwise; lower-scoring ones are simply below the cut.
    """
    rules = definition.constraints
    by_id = {c.track_id: c for c in candidates}
    excluded = set(rules.excluded)
    chosen: list[Candidate] = []
    per_album: dict[str, int] = {}
    reasons: dict[str, str] = {} if left_out is None else left_out

    def blocked(c: Candidate) -> str | None:
        if rules.max_per_album is not None and per_album.get(c.album_id, 0) >= rules.max_per_album:
            cap = rules.max_per_album
            return f"{c.album_name or c.album_id} already has {cap} track{'s' if cap != 1 else ''} (max_per_album)"
        if rules.unique_recordings and (found := recordings.versions(c)):
            other, why = found[0]
            return f"a version of {other.name}, already in ({why})"
        return None

    def fits(c: Candidate) -> bool:
        return blocked(c) is None

    recordings = Recordings()

    def take(c: Candidate) -> None:
        chosen.append(c)
        recordings.add(c)
        per_album[c.album_id] = per_album.get(c.album_id, 0) + 1

    for pin in sorted(rules.pinned, key=lambda p: p.position):
        if pin.track_id not in by_id:
            raise CurationError(
                f"pinned track {pin.track_id} (position {pin.position}) of '{definition.name}' is not in "
                "the catalog: sync the catalog or fix constraints.pinned"
            )
        if not fits(by_id[pin.track_id]):
            raise CurationError(
                f"pinned track {pin.track_id} of '{definition.name}' breaks max_per_album or repeats a "
                "recording of another pinned track: unpin one of them or relax the constraint"
            )
        take(by_id[pin.track_id])
    pinned = {c.track_id for c in chosen}
    pool = [c for c in candidates if c.track_id not in pinned and in_pool(c, definition.pool)]
    pool.sort(key=lambda c: (-scores[c.track_id].total, c.track_id))
    limit_ms = definition.duration_min * 60_000 if definition.duration_min else None
    for c in pool:
        if definition.length is not None and len(chosen) >= definition.length:
            break
        if limit_ms is not None and sum(x.duration_ms for x in chosen) >= limit_ms:
            break
        if c.track_id in excluded:
            reasons[c.track_id] = "excluded by the definition"
        elif c.explicit and not rules.allow_explicit:
            reasons[c.track_id] = "explicit (allow_explicit is off)"
        elif (why := blocked(c)) is not None:
            reasons[c.track_id] = why
        else:
            take(c)
    need = max((p.position for p in rules.pinned), default=-1) + 1
    if len(chosen) < need:
        raise CurationError(
            f"'{definition.name}' pins a track at position {need - 1} but only {len(chosen)} tracks "
            "qualify: widen the pool, relax constraints or move the pin"
        )
    return chosen
