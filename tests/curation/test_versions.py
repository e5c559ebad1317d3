"""Versions of one recording are recognised by their audio, on real music."""

from __future__ import annotations

from dataclasses import replace
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.signal
import soundfile as sf

from analytics import demo
from analytics.audio.batch import analyze_files
from analytics.curation import Candidate, near_identical, parse_definition, plan_frame, with_features
from analytics.validation import DatasetValidationError, validate


def _version(src: Path, dest: Path, *, kind: str) -> Path:
    """Another version of the recording in ``src``: what a remaster or another cut does to it."""
    data, sr = sf.read(src, always_2d=True, dtype="float32")
    if kind == "remaster":  # 1.5 dB quieter, through a 14 kHz low-pass, re-encoded lower
        b, a = scipy.signal.butter(4, 14_000 / (sr / 2))
        data = (scipy.signal.lfilter(b, a, data, axis=0) * 10 ** (-1.5 / 20)).astype("float32")
        sf.write(dest, data, sr, format="OGG", subtype="VORBIS", compression_level=0.9)
    else:  # cut half a second later, mono
        sf.write(dest, data[int(0.5 * sr) :].mean(axis=1), sr, format="OGG", subtype="VORBIS")
    return dest


def test_versions_of_a_recording_are_one_and_different_recordings_are_not(tmp_path: Path) -> None:
    originals = demo.audio_files()[:4]
    versions = {}
    for src in originals:
        versions[src.stem] = [
            src,
            _version(src, tmp_path / f"{src.stem}-remaster.ogg", kind="remaster"),
            _version(src, tmp_path / f"{src.stem}-cut.ogg", kind="cut"),
        ]
    paths = [p for group in versions.values() for p in group]
    batch = analyze_files(paths, cache_dir=tmp_path / "cache", workers=1)
    assert len(batch.features) == len(paths)
    rows = batch.features.assign(track_id=[Path(p).name for p in batch.features["path"]])
    rows = rows.rename(columns={"content_hash": "audio_hash"})
    plain = [
        Candidate(
            track_id=p.name,
            name=p.stem,
            album_id="a",
            album_name="",
            artist_ids=("x",),
            release_date="2020",
            duration_ms=10_000,
            isrc=None,
        )
        for p in paths
    ]
    tracks = {c.track_id: c for c in with_features(plain, pd.DataFrame(rows))}
    assert all(c.timbre is not None and c.chroma is not None for c in tracks.values())
    recording = {p.name: stem for stem, group in versions.items() for p in group}
    for a, b in combinations(tracks.values(), 2):
        same = recording[a.track_id] == recording[b.track_id]
        assert near_identical(a, b) is same, (a.track_id, b.track_id)
        assert near_identical(b, a) is same
    # what the summary features say of the same versions: not enough to tell
    spread = rows.assign(rec=[recording[t] for t in rows["track_id"]]).groupby("rec")
    moved = spread["tempo_bpm"].agg(np.ptp).max() > 1.0 or spread["energy"].agg(np.ptp).max() > 0.02
    assert moved


def _track(track_id: str, *, isrc: str, audio: str) -> Candidate:
    return Candidate(
        track_id=track_id,
        name=track_id,
        album_id=f"al-{track_id}",
        album_name="",
        artist_ids=("x",),
        release_date="2020",
        duration_ms=200_000,
        isrc=isrc,
        audio_hash=f"sha256:{audio * 64}",
    )


def test_the_same_audio_file_is_one_recording_without_a_fingerprint() -> None:
    base, single = _track("t1", isrc="ZZ1", audio="0"), _track("t2", isrc="ZZ2", audio="0")
    assert near_identical(base, single)
    assert not near_identical(base, replace(single, audio_hash="sha256:" + "1" * 64))


def test_the_plan_suite_refuses_two_versions_of_one_recording(tmp_path: Path) -> None:
    tracks = {
        t.track_id: t
        for t in (
            _track("a", isrc="ZZ1", audio="0"),
            _track("b", isrc="ZZ2", audio="1"),
            _track("c", isrc="ZZ3", audio="0"),
        )
    }
    unique = parse_definition({"name": "U", "length": 3})
    frame = plan_frame(unique, ["a", "b", "c"], tracks)
    assert frame["earlier_versions"].tolist() == [0, 0, 1]
    with pytest.raises(DatasetValidationError, match="earlier_versions"):
        validate(frame, suite="playlist_plans", run_dir=tmp_path, run_id="r1")
    assert validate(
        plan_frame(unique, ["a", "b"], tracks), suite="playlist_plans", run_dir=tmp_path, run_id="r2"
    ).success
    repeats = parse_definition({"name": "R", "length": 3, "constraints": {"unique_recordings": False}})
    assert validate(
        plan_frame(repeats, ["a", "b", "c"], tracks), suite="playlist_plans", run_dir=tmp_path, run_id="r3"
    ).success


def test_the_recordings_index_finds_exactly_the_pairs_version_of_finds() -> None:
    import random

    from analytics.curation.scoring import Recordings, version_of
    from tests.curation.conftest import random_candidates

    rng = random.Random(5)
    cands = random_candidates(rng, 60, features=0.8, dup_isrc=0.2)
    for c in rng.sample(cands, 15):  # same file, other ISRC; and a remaster: fingerprint moved a little
        cands.append(replace(c, track_id=f"{c.track_id}f", isrc=f"F{c.track_id}"))
        if c.timbre is not None and c.chroma is not None:
            cands.append(
                replace(
                    c,
                    track_id=f"{c.track_id}m",
                    isrc=f"M{c.track_id}",
                    audio_hash=f"sha256:m{c.track_id}",
                    timbre=tuple(v * (1 + rng.gauss(0, 0.005)) for v in c.timbre),
                    chroma=tuple(v * (1 + rng.gauss(0, 0.005)) for v in c.chroma),
                )
            )
    held, index = cands[::2], Recordings()
    for c in held:
        index.add(c)
    pairs = 0
    for c in cands:
        expected = [(o.track_id, version_of(c, o)) for o in held if version_of(c, o)]
        assert [(o.track_id, why) for o, why in index.versions(c)] == expected, c.track_id
        pairs += len(expected)
    assert pairs > len(held)  # every held track finds itself, and some find other versions
