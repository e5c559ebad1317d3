from __future__ import annotations

import random
from collections import Counter
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.curation import CurationError, curate, near_identical, parse_definition
from analytics.curation.scoring import score_candidates, why_in
from tests.curation.conftest import random_candidates

TODAY = date(2026, 11, 23)


@st.composite
def catalog_and_definition(draw: st.DrawFn) -> tuple[list, dict]:  # type: ignore[type-arg]
    rng = random.Random(draw(st.integers(0, 10_000)))
    n = draw(st.integers(5, 60))
    cands = random_candidates(
        rng, n, albums=draw(st.integers(1, 10)), features=draw(st.sampled_from([0.0, 0.5, 1.0]))
    )
    ids = [c.track_id for c in cands]
    length = draw(st.integers(1, 40))
    pinned_ids = draw(st.lists(st.sampled_from(ids), unique=True, max_size=min(3, length)))
    positions = draw(
        st.lists(st.integers(0, length - 1), unique=True, min_size=len(pinned_ids), max_size=len(pinned_ids))
    )
    excluded = draw(
        st.lists(
            st.sampled_from([i for i in ids if i not in pinned_ids] or ["none"]), unique=True, max_size=5
        )
    )
    definition = {
        "name": "Random",
        "length": length,
        "audio_target": draw(st.sampled_from(["calm", "energetic", "any"])),
        "energy_arc": draw(st.sampled_from(["rise", "fall", "rise_fall", "flat"])),
        "constraints": {
            "max_per_album": draw(st.one_of(st.none(), st.integers(1, 4))),
            "allow_explicit": draw(st.booleans()),
            "pinned": [{"track_id": t, "position": p} for t, p in zip(pinned_ids, positions, strict=True)],
            "excluded": excluded,
        },
        "seed": draw(st.integers(0, 5)),
    }
    return cands, definition


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog_and_definition())
def test_constraints_always_hold(case: tuple[list, dict]) -> None:  # type: ignore[type-arg]
    cands, data = case
    definition = parse_definition(data)
    try:
        result = curate(definition, cands, today=TODAY)
    except CurationError as exc:
        # only allowed when the pool cannot reach a pinned position or the pins clash
        message = str(exc)
        clash = "breaks max_per_album" in message
        assert "pins a track at position" in message or clash
        if clash:
            pins = [c for c in cands if c.track_id in {p.track_id for p in definition.constraints.pinned}]
            limit = definition.constraints.max_per_album or len(pins)
            assert (
                max(Counter(c.album_id for c in pins).values()) > limit
                or len({c.isrc for c in pins}) < len(pins)
                or any(near_identical(a, b) for a in pins for b in pins if a is not b)
            )
        return
    rules = definition.constraints
    tracks = [p.track for p in result.tracks]
    assert [p.position for p in result.tracks] == list(range(len(tracks)))
    assert len(tracks) <= definition.length
    assert len({t.track_id for t in tracks}) == len(tracks)
    assert not {t.track_id for t in tracks} & set(rules.excluded)
    for pin in rules.pinned:
        assert tracks[pin.position].track_id == pin.track_id
    pinned = {p.track_id for p in rules.pinned}
    if rules.max_per_album is not None:
        assert max(Counter(t.album_id for t in tracks).values(), default=0) <= rules.max_per_album
    isrcs = [t.isrc for t in tracks if t.isrc]
    assert len(set(isrcs)) == len(isrcs)
    if not rules.allow_explicit:
        assert not [t for t in tracks if t.explicit and t.track_id not in pinned]
    for i, a in enumerate(tracks):
        for b in tracks[i + 1 :]:
            assert not near_identical(a, b)
    # the playlist is as long as the eligible pool allows
    eligible = [
        c for c in cands if c.track_id not in rules.excluded and (rules.allow_explicit or not c.explicit)
    ]
    if len(tracks) < definition.length and rules.max_per_album is None:
        assert len({c.isrc for c in eligible} | {p.track_id for p in rules.pinned}) >= len(tracks)


def test_scores_break_down_and_explain() -> None:
    cands = random_candidates(random.Random(3), 20, features=1.0)
    definition = parse_definition(
        {
            "name": "E",
            "length": 5,
            "weights": {"streams": 3.0, "recency": 0, "saves": 0, "streams_momentum": 0, "audio": 0},
        }
    )
    scores = score_candidates(cands, definition, today=TODAY)
    for s in scores.values():
        assert s.total == pytest.approx(sum(s.parts.values()))
    top = max((c for c in cands if c.streams_28d is not None), key=lambda c: c.streams_28d or 0)
    assert why_in(scores[top.track_id]) == "in for: 1st highest 28-day streams"
    result = curate(definition, cands, today=TODAY)
    assert result.tracks[0].why_here == "opens the playlist"
    assert result.tracks[1].why_here.startswith(f"placed after {result.tracks[0].track.name}: ")


def test_duration_target_and_unknown_pin() -> None:
    cands = random_candidates(random.Random(1), 40)
    result = curate(parse_definition({"name": "D", "duration_min": 20}), cands, today=TODAY)
    total = sum(p.track.duration_ms for p in result.tracks)
    assert total >= 20 * 60_000
    assert total - max(p.track.duration_ms for p in result.tracks) < 20 * 60_000
    with pytest.raises(CurationError, match="not in the catalog"):
        curate(
            parse_definition(
                {"name": "D", "length": 3, "constraints": {"pinned": [{"track_id": "zz", "position": 0}]}}
            ),
            cands,
            today=TODAY,
        )


@settings(max_examples=80, deadline=None)
@given(st.integers(0, 10_000))
def test_reconciled_hand_edits_keep_pins_exclusions_and_constraints(seed: int) -> None:
    from analytics.curation import reconcile

    rng = random.Random(seed)
    cands = random_candidates(rng, 40, albums=6)
    by_id = {c.track_id: c for c in cands}
    ids = list(by_id)
    definition = parse_definition(
        {
            "name": "R",
            "length": 12,
            "constraints": {
                "max_per_album": 3,
                "pinned": [{"track_id": ids[0], "position": 0}, {"track_id": ids[1], "position": 5}],
                "excluded": ids[2:6],
            },
        }
    )
    try:
        target = curate(definition, cands, today=TODAY).track_ids
    except CurationError:
        return
    now = [t for t in target if rng.random() > 0.3] + rng.sample(ids, 6)
    rng.shuffle(now)
    out = reconcile(target, planned_from=target, now=now, definition=definition, candidates=by_id)
    assert len(out) == len(set(out))
    assert out[0] == ids[0] and (len(out) <= 5 or out[5] == ids[1])
    assert not set(out) & set(ids[2:6])
    assert max(Counter(by_id[t].album_id for t in out).values()) <= 3
    isrcs = [by_id[t].isrc for t in out]
    assert len(set(isrcs)) == len(isrcs)
    removed_by_hand = set(target) - set(now) - {ids[0], ids[1]}
    assert not set(out) & removed_by_hand
