from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.curation import Candidate, CurationError, curate, parse_definition
from analytics.curation.scoring import score_candidates, why_in
from tests.curation.conftest import random_candidates

TODAY = date(2026, 11, 23)


@st.composite
def catalog_and_definition(draw: st.DrawFn) -> tuple[list, dict]:  # type: ignore[type-arg]
    rng = random.Random(draw(st.integers(0, 10_000)))
    n = draw(st.integers(5, 60))
    cands = random_candidates(
        rng,
        n,
        albums=draw(st.integers(1, 10)),
        features=draw(st.sampled_from([0.0, 0.5, 1.0])),
        dup_isrc=draw(st.sampled_from([0.0, 0.1, 0.3])),
    )
    # a few re-releases: another id on another album with the same audio file, no shared ISRC;
    # remasters: another file whose fingerprint moved a little; look-alikes: moved too far
    for c in rng.sample(cands, k=min(3, len(cands))):
        cands.append(replace(c, track_id=f"{c.track_id}r", album_id="a-rerelease", isrc=f"RR{c.track_id}"))
    for kind, spread in (("m", 0.005), ("l", 0.5)):
        for c in rng.sample(cands, k=min(2, len(cands))):
            if c.timbre is None or c.chroma is None:
                continue
            cands.append(
                replace(
                    c,
                    track_id=f"{c.track_id}{kind}",
                    isrc=f"R{kind}{c.track_id}",
                    audio_hash=f"sha256:{kind}{c.track_id}",
                    timbre=tuple(v * (1 + rng.gauss(0, spread)) for v in c.timbre),
                    chroma=tuple(v * (1 + rng.gauss(0, spread)) for v in c.chroma),
                )
            )
    ids = [c.track_id for c in cands]
    size = draw(st.sampled_from(["length", "duration", "both"]))
    length = draw(st.integers(1, 40)) if size != "duration" else None
    duration_min = draw(st.integers(3, 120)) if size != "length" else None
    pin_room = length if length is not None else 10
    pinned_ids = draw(st.lists(st.sampled_from(ids), unique=True, max_size=min(3, pin_room)))
    positions = draw(
        st.lists(
            st.integers(0, pin_room - 1), unique=True, min_size=len(pinned_ids), max_size=len(pinned_ids)
        )
    )
    excluded = draw(
        st.lists(
            st.sampled_from([i for i in ids if i not in pinned_ids] or ["none"]), unique=True, max_size=5
        )
    )
    definition = {
        "name": "Random",
        "length": length,
        "duration_min": duration_min,
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


def _same_recording(a: Candidate, b: Candidate) -> bool:
    """Whether ``b`` is a version of ``a``'s recording, as docs/curation.md defines it.

    The same ISRC, the same audio file, or fingerprints within 0.003 (timbre) and 0.004
    (chroma) in cosine distance. Written out here so that the test does not rely on the code
    it checks.
    """
    if a.isrc and a.isrc == b.isrc:
        return True
    if a.audio_hash and a.audio_hash == b.audio_hash:
        return True
    if a.timbre is None or b.timbre is None or a.chroma is None or b.chroma is None:
        return False

    def distance(x: tuple[float, ...], y: tuple[float, ...]) -> float:
        u, v = np.asarray(x), np.asarray(y)
        return float(1 - u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))

    return distance(a.timbre, b.timbre) <= 0.003 and distance(a.chroma, b.chroma) <= 0.004


def _recordings(tracks: list[Candidate]) -> dict[str, int]:
    """Track id to a recording number: tracks sharing an ISRC or identical audio are one recording."""
    parent = list(range(len(tracks)))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for i, a in enumerate(tracks):
        for j in range(i):
            if _same_recording(a, tracks[j]):
                parent[root(i)] = root(j)
    return {t.track_id: root(i) for i, t in enumerate(tracks)}


def _blocked(c: Candidate, chosen: list[Candidate], max_per_album: int | None) -> bool:
    """Whether adding ``c`` to ``chosen`` would break the album cap or repeat a recording."""
    if max_per_album is not None and sum(t.album_id == c.album_id for t in chosen) >= max_per_album:
        return True
    return any(_same_recording(c, t) for t in chosen)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(catalog_and_definition())
def test_constraints_always_hold(case: tuple[list, dict]) -> None:  # type: ignore[type-arg]
    """Every rule of the definition holds in the result, and the result is as full as the rules allow.

    Selection is greedy by score, so a candidate left out was either blocked by a constraint
    (album cap, a version of a chosen recording) against the final selection, or ranks below
    every chosen unpinned track and the target size was reached first.
    """
    cands, data = case
    definition = parse_definition(data)
    rules = definition.constraints
    by_id = {c.track_id: c for c in cands}
    pins = [by_id[p.track_id] for p in rules.pinned]
    pinned = {c.track_id for c in pins}
    eligible = [
        c
        for c in cands
        if c.track_id not in rules.excluded
        and c.track_id not in pinned
        and (rules.allow_explicit or not c.explicit)
    ]
    try:
        result = curate(definition, cands, today=TODAY)
    except CurationError as exc:
        message = str(exc)
        if "breaks max_per_album" in message:
            # the pins clash among themselves
            limit = rules.max_per_album or len(pins)
            assert (
                max(Counter(c.album_id for c in pins).values()) > limit
                or len({c.isrc for c in pins}) < len(pins)
                or any(_same_recording(a, b) for a in pins for b in pins if a is not b)
            )
            return
        assert "pins a track at position" in message
        # the pool cannot fill every position up to the last pin. Upper bound on what qualifies:
        # the pins, plus at most one track per recording and per album up to the cap, leaving
        # out versions of the pinned recordings
        need = max(p.position for p in rules.pinned) + 1
        free = [c for c in eligible if not any(_same_recording(c, p) for p in pins)]
        groups = _recordings(free)
        cap = rules.max_per_album
        per_album: dict[str, set[int]] = {}
        for c in free:
            per_album.setdefault(c.album_id, set()).add(groups[c.track_id])
        by_album = sum(
            len(recs) if cap is None else min(len(recs), max(0, cap - sum(p.album_id == a for p in pins)))
            for a, recs in per_album.items()
        )
        reachable = len(pins) + min(by_album, len(set(groups.values())))
        limit_ms = definition.duration_min * 60_000 if definition.duration_min else None
        assert need > reachable or limit_ms is not None, (need, reachable)
        return
    tracks = [p.track for p in result.tracks]
    ids_out = [t.track_id for t in tracks]
    assert [p.position for p in result.tracks] == list(range(len(tracks)))
    assert len(set(ids_out)) == len(tracks)
    assert set(ids_out) <= set(by_id)
    assert pinned <= set(ids_out)
    for pin in rules.pinned:
        assert ids_out[pin.position] == pin.track_id
    assert not set(ids_out) & set(rules.excluded)
    if not rules.allow_explicit:
        assert not [t for t in tracks if t.explicit and t.track_id not in pinned]
    if rules.max_per_album is not None:
        assert max(Counter(t.album_id for t in tracks).values()) <= rules.max_per_album
    isrcs = [t.isrc for t in tracks if t.isrc]
    assert len(set(isrcs)) == len(isrcs)
    for i, a in enumerate(tracks):
        for b in tracks[i + 1 :]:
            assert not _same_recording(a, b), (a.track_id, b.track_id)
    # the target size: never past it, and reached unless the rules leave nothing to add
    if definition.length is not None:
        assert len(tracks) <= definition.length
    total_ms = sum(t.duration_ms for t in tracks)
    limit_ms = definition.duration_min * 60_000 if definition.duration_min else None
    scores = score_candidates(cands, definition, today=TODAY)

    def rank(c: Candidate) -> tuple[float, str]:
        return (-scores[c.track_id].total, c.track_id)

    free = [t for t in tracks if t.track_id not in pinned]
    if limit_ms is not None and free:
        # nothing was added after the duration was reached: without the last pick it was short
        assert total_ms - max(free, key=rank).duration_ms < limit_ms
    size_reached = (definition.length is not None and len(tracks) >= definition.length) or (
        limit_ms is not None and total_ms >= limit_ms
    )
    lowest = max((rank(t) for t in free), default=None)
    for c in eligible:
        if c.track_id in ids_out:
            continue
        later = size_reached and (lowest is None or rank(c) > lowest)
        assert _blocked(c, tracks, rules.max_per_album) or later, c.track_id


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
    # versions with their own ISRC: the same audio file on another album
    cands += [
        replace(c, track_id=f"{c.track_id}v", isrc=f"V{c.track_id}", album_id="a-other")
        for c in rng.sample(cands, 6)
        if c.audio_hash
    ]
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
    versions = [f"{t}v" for t in target if f"{t}v" in by_id]
    now = [t for t in target if rng.random() > 0.3] + rng.sample(ids, 6) + versions
    rng.shuffle(now)
    out = reconcile(target, planned_from=target, now=now, definition=definition, candidates=by_id)
    assert len(out) == len(set(out))
    assert out[0] == ids[0] and (len(out) <= 5 or out[5] == ids[1])
    assert not set(out) & set(ids[2:6])
    assert max(Counter(by_id[t].album_id for t in out).values()) <= 3
    isrcs = [by_id[t].isrc for t in out]
    assert len(set(isrcs)) == len(isrcs)
    for i, a in enumerate(out):
        for b in out[i + 1 :]:
            assert not _same_recording(by_id[a], by_id[b]), (a, b)
    removed_by_hand = set(target) - set(now) - {ids[0], ids[1]}
    assert not set(out) & removed_by_hand


def test_left_out_says_which_rule_kept_a_strong_track_out() -> None:
    def track(tid: str, streams: float, **kw: object) -> Candidate:
        base = Candidate(
            track_id=tid, name=tid.upper(), album_id="al", album_name="The Album", artist_ids=("x",),
            release_date="2020-01-01", duration_ms=200_000, isrc=f"I{tid}", streams_28d=streams,
        )  # fmt: skip
        return replace(base, **kw)  # type: ignore[arg-type]

    cands = [
        track("a", 900),
        track("a-single", 1000, album_id="single", album_name="A (single)", isrc="Ia"),
        track("b", 800),
        track("c", 700, explicit=True),
        track("d", 600),
        track("e", 500, album_id="other", album_name="Other"),
        track("f", 400),
        track("g", 10, album_id="third", album_name="Third"),
    ]
    definition = parse_definition(
        {
            "name": "Why",
            "length": 3,
            "weights": {"streams": 1.0, "streams_momentum": 0, "saves": 0, "recency": 0, "audio": 0},
            "constraints": {"max_per_album": 2, "allow_explicit": False, "excluded": ["b"]},
        }
    )
    result = curate(definition, cands, today=TODAY)
    assert sorted(result.track_ids) == ["a-single", "d", "e"]
    assert dict(result.left_out) == {
        "a": "a version of A-SINGLE, already in (same ISRC)",
        "b": "excluded by the definition",
        "c": "explicit (allow_explicit is off)",
    }
    assert [t for t, _ in result.left_out] == ["a", "b", "c"]  # best score first; "g" is below the cut
    capped = parse_definition({**definition.model_dump(), "length": 4, "constraints": {"max_per_album": 1}})
    reasons = dict(curate(capped, cands, today=TODAY).left_out)
    assert reasons["c"] == "The Album already has 1 track (max_per_album)"  # b took the album's place
