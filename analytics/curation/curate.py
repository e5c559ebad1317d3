"""From a definition and candidates to an ordered, explained target track list."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from analytics.curation.candidates import Candidate
from analytics.curation.definition import PlaylistDefinition
from analytics.curation.scoring import Score, score_candidates, select, why_in
from analytics.curation.sequencing import build_problem, optimise, total_cost
from analytics.curation.transitions import describe_transition


@dataclass(frozen=True, slots=True)
class Placed:
    """One track of the target, with its score and the reasons for being in and for its place."""

    position: int
    track: Candidate
    score: Score
    why_in: str
    why_here: str

    def as_row(self) -> dict[str, object]:
        t = self.track
        return {
            "position": self.position,
            "track_id": t.track_id,
            "name": t.name,
            "album_id": t.album_id,
            "isrc": t.isrc,
            "explicit": t.explicit,
            "score": self.score.total,
            **{f"score_{k}": round(v, 6) for k, v in self.score.parts.items()},
            "why_in": self.why_in,
            "why_here": self.why_here,
        }


@dataclass(frozen=True, slots=True)
class Curated:
    """The target playlist: tracks in order and the sequencing cost.

    ``left_out``: (track id, why) for each candidate that scored high enough to be in but a
    rule of the definition kept out, best score first. ``scores``: every candidate's score.
    """

    definition: PlaylistDefinition
    tracks: tuple[Placed, ...]
    cost: float
    left_out: tuple[tuple[str, str], ...] = ()
    scores: Mapping[str, Score] = field(default_factory=dict)

    @property
    def track_ids(self) -> list[str]:
        return [p.track.track_id for p in self.tracks]

    def rows(self) -> list[dict[str, object]]:
        return [p.as_row() for p in self.tracks]


def curate(definition: PlaylistDefinition, candidates: Sequence[Candidate], *, today: date) -> Curated:
    """Score, select under the constraints, sequence with the optimiser, explain every track."""
    scores = score_candidates(candidates, definition, today=today)
    left_out: dict[str, str] = {}
    chosen = select(candidates, scores, definition, left_out=left_out)
    pins = {p.track_id: p.position for p in definition.constraints.pinned}
    problem = build_problem(chosen, arc=definition.energy_arc, pins=pins)
    order = optimise(problem, seed=definition.seed)
    tracks = [chosen[i] for i in order]
    placed = []
    for pos, t in enumerate(tracks):
        if t.track_id in pins:
            here = f"pinned at position {pos + 1}"
        elif pos == 0:
            here = "opens the playlist"
        else:
            prev = tracks[pos - 1]
            here = f"placed after {prev.name}: {describe_transition(prev, t)}"
        s = scores[t.track_id]
        reason = "pinned" if t.track_id in pins else why_in(s)
        placed.append(Placed(pos, t, s, reason, here))
    return Curated(
        definition, tuple(placed), round(total_cost(problem, order), 6), tuple(left_out.items()), scores
    )
