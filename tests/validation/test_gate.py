"""The gate: the demo catalog passes; broken frames fail with a message that says what and where."""

from __future__ import annotations

import json
import random
import string
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from analytics.validation import DatasetValidationError, ValidationOutcome, validate, validate_frames
from analytics.validation import _context as gx_context

from .conftest import CATALOG_SUITES


@pytest.mark.parametrize("name", CATALOG_SUITES)
def test_the_demo_catalog_passes_every_catalog_suite(
    name: str, frames: dict[str, pd.DataFrame], run_dir: Path
):
    outcome = validate(frames[name], suite=name, run_dir=run_dir, run_id="run-0001", dataset=name)
    assert outcome.success and outcome.failed == 0 and not outcome.failures
    assert outcome.evaluated == len(json.loads(Path(f"expectations/{name}.json").read_text())["expectations"])
    assert outcome.rows == len(frames[name])
    assert outcome.result_path == run_dir / "validation" / f"{name}.json"
    saved = json.loads(outcome.result_path.read_text())
    assert saved["success"] is True and saved["suite_name"] == name
    assert saved["meta"]["encore"]["run_id"] == "run-0001"
    assert saved["meta"]["encore"]["suite_sha256"] == outcome.suite_sha256


def _set(dataset: str, column: str, row: int, value: object) -> Callable[[dict[str, pd.DataFrame]], str]:
    def change(frames: dict[str, pd.DataFrame]) -> str:
        frames[dataset].loc[row, column] = value
        return dataset

    return change


def _duplicate_track_id(frames: dict[str, pd.DataFrame]) -> str:
    frames["tracks"].loc[5, "track_id"] = frames["tracks"].loc[4, "track_id"]
    return "tracks"


def _duplicate_position(frames: dict[str, pd.DataFrame]) -> str:
    frames["playlist_items"].loc[1, "position"] = 0
    return "playlist_items"


BROKEN = {
    "isrc pattern": (
        _set("tracks", "isrc", 2, "us-abc-12-34567"),
        "expect_column_values_to_match_regex(isrc, ^[A-Z]{2}[A-Z0-9]{3}[0-9]{7}$): 1 of 23 rows unexpected, "
        "e.g. track_id qdvGu9u5ptYQPAJuFz84oe = us-abc-12-34567",
    ),
    "duration out of range": (
        _set("tracks", "duration_ms", 1, 5),
        "expect_column_values_to_be_between(duration_ms, 1000, 3600000): 1 of 23 rows unexpected, "
        "e.g. track_id KJDQIrkVdFohZuzUGV62Wy = 5",
    ),
    "duplicated id": (
        _duplicate_track_id,
        "expect_column_values_to_be_unique(track_id): 2 of 23 rows unexpected, e.g. track_id 81gF2UQpSKiZQ7oArBCD0x",
    ),
    "null name": (
        _set("artists", "name", 1, None),
        "expect_column_values_to_not_be_null(name): 1 of 3 rows null, e.g. artist_id C6rVeFm4k7WnQjMQx9CCLT",
    ),
    "album type": (
        _set("albums", "album_type", 0, "ep"),
        "expect_column_values_to_be_in_set(album_type, {album, single, compilation}): 1 of 5 rows unexpected, "
        "e.g. album_id BNHkI8hBgDXl9S7kSoUooy = ep",
    ),
    "release date vs precision": (
        _set("albums", "release_date", 4, "2013-05"),
        "where release_date_precision == year: 1 of 1 rows unexpected, e.g. album_id 3ih716Egkv5DhRxtYve04v = 2013-05",
    ),
    "a day the calendar does not have": (
        _set("albums", "release_date", 0, "2026-02-31"),
        "expect_column_values_to_match_strftime_format(release_date, %Y-%m-%d) where release_date_precision == day: "
        "1 of 4 rows unexpected, e.g. album_id BNHkI8hBgDXl9S7kSoUooy = 2026-02-31",
    ),
    "playlist position twice": (
        _duplicate_position,
        "expect_compound_columns_to_be_unique(playlist_id, position): 2 of 12 rows unexpected, "
        "e.g. playlist_id y73Jp9KsyZXEMUvUv8ugYj, position 0",
    ),
    "negative followers": (
        _set("artists", "followers", 0, -3),
        "expect_column_values_to_be_between(followers, >= 0): 1 of 3 rows unexpected, "
        "e.g. artist_id YQhOGXX8g2pM1yHEFVFAjK = -3",
    ),
}


@pytest.mark.parametrize("case", BROKEN, ids=list(BROKEN))
def test_a_broken_frame_fails_naming_the_expectation_and_a_sample(
    case: str, frames: dict[str, pd.DataFrame], run_dir: Path
):
    change, expected_line = BROKEN[case]
    dataset = change(frames)
    with pytest.raises(DatasetValidationError) as caught:
        validate(frames[dataset], suite=dataset, run_dir=run_dir, run_id="7f3c00aa11bb22cc")
    outcome = caught.value.outcome
    assert not outcome.success and outcome.failed == 1
    assert len(outcome.failures) == 1 and expected_line in outcome.failures[0]
    message = str(caught.value)
    lines = message.splitlines()
    assert lines[0] == (
        f"dataset {dataset!r} failed 1 of {outcome.evaluated} expectations "
        f"(run 7f3c00aa…, suite {dataset} v{outcome.suite_version}):"
    )
    assert lines[1].strip() == outcome.failures[0]
    assert lines[2].startswith("Nothing was stored. Evidence: ")
    assert lines[2].endswith(f"validation/{dataset}.json")
    assert f"expectations/{dataset}.json" in lines[3]
    saved = json.loads((run_dir / "validation" / f"{dataset}.json").read_text())
    assert saved["success"] is False
    assert saved["statistics"]["unsuccessful_expectations"] == 1


def test_the_sample_is_short_and_only_ids_and_the_offending_value(
    frames: dict[str, pd.DataFrame], run_dir: Path
):
    tracks = frames["tracks"]
    tracks["isrc"] = "X" * 500
    with pytest.raises(DatasetValidationError) as caught:
        validate(tracks, suite="tracks", run_dir=run_dir, run_id="r")
    (line,) = caught.value.outcome.failures
    assert line.count("track_id ") == 3  # three examples, not 23
    assert "X" * 39 + "…" in line and "X" * 41 not in line
    assert len(line) < 400
    assert all(name not in line for name in tracks["name"])  # other columns stay out


def test_a_missing_column_is_named(frames: dict[str, pd.DataFrame], run_dir: Path):
    tracks = frames["tracks"].drop(columns=["isrc"])
    outcome = validate(tracks, suite="tracks", run_dir=run_dir, run_id="r", raise_on_failure=False)
    assert not outcome.success
    assert any("missing column(s) {isrc}" in line for line in outcome.failures)
    assert any(
        line.startswith("expect_column_values_to_match_regex(isrc") and "could not run" in line
        for line in outcome.failures
    )


def test_raise_on_failure_false_returns_the_outcome(frames: dict[str, pd.DataFrame], run_dir: Path):
    frames["tracks"].loc[0, "duration_ms"] = 4_000_000
    outcome = validate(frames["tracks"], suite="tracks", run_dir=run_dir, run_id="r", raise_on_failure=False)
    assert isinstance(outcome, ValidationOutcome)
    assert not outcome.success and outcome.failed == 1
    assert outcome.evidence()["result_path"] == str(run_dir / "validation" / "tracks.json")


def test_warning_severity_is_reported_but_does_not_stop(tmp_path: Path, run_dir: Path):
    suite = {
        "name": "soft",
        "expectations": [
            {
                "type": "expect_column_values_to_be_between",
                "kwargs": {"column": "n", "max_value": 10},
                "severity": "warning",
            },
            {"type": "expect_column_values_to_not_be_null", "kwargs": {"column": "n"}},
        ],
        "meta": {"id_columns": ["key"]},
    }
    (tmp_path / "soft.json").write_text(json.dumps(suite))
    df = pd.DataFrame({"key": ["a", "b"], "n": [1, 50]})
    outcome = validate(df, suite="soft", run_dir=run_dir, run_id="r", suites_dir=tmp_path)
    assert outcome.success and outcome.failed == 1 and not outcome.failures
    assert outcome.warnings == (
        "expect_column_values_to_be_between(n, <= 10): 1 of 2 rows unexpected, e.g. key b = 50",
    )
    df.loc[0, "n"] = None
    with pytest.raises(DatasetValidationError, match=r"failed 1 of 2 expectations"):
        validate(df, suite="soft", run_dir=run_dir, run_id="r", suites_dir=tmp_path)


@pytest.mark.parametrize("bad", ["../escape", "a/b", "", "x" * 80])
def test_dataset_names_that_are_not_file_names_are_refused(
    bad: str, frames: dict[str, pd.DataFrame], run_dir: Path
):
    with pytest.raises(ValueError, match="dataset name"):
        validate(frames["artists"], suite="artists", dataset=bad, run_dir=run_dir, run_id="r")
    assert not (run_dir / "validation").exists() or not any((run_dir / "validation").iterdir())


def test_the_context_is_created_once_and_reused(frames: dict[str, pd.DataFrame], run_dir: Path):
    validate(frames["artists"], suite="artists", run_dir=run_dir, run_id="r")
    context = gx_context.get_context()
    validate(frames["artists"], suite="artists", run_dir=run_dir, run_id="r", dataset="artists_again")
    assert gx_context.get_context() is context
    assert gx_context.batch_definition("artists") is gx_context.batch_definition("artists")


def _spotify_id(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_letters + string.digits, k=22))


def test_ten_thousand_tracks_cost_little_more_than_twenty_three(
    run_dir: Path, frames: dict[str, pd.DataFrame]
):
    rng = random.Random(20261123)
    n = 10_000
    albums = [_spotify_id(rng) for _ in range(n // 10)]
    df = pd.DataFrame(
        {
            "track_id": [_spotify_id(rng) for _ in range(n)],
            "album_id": [albums[i // 10] for i in range(n)],
            "artist_id": (artist := _spotify_id(rng)),
            "artist_ids": [[artist]] * n,
            "name": [f"Track {i}" for i in range(n)],
            "disc_number": 1,
            "track_number": [i % 10 + 1 for i in range(n)],
            "duration_ms": [rng.randint(30_000, 600_000) for _ in range(n)],
            "explicit": [rng.random() < 0.1 for _ in range(n)],
            "isrc": [f"ZZENC{26:02d}{i:05d}" for i in range(n)],
            "popularity": [rng.choice([None, rng.randint(0, 100)]) for _ in range(n)],
        }
    )

    def best_of_two(frame: pd.DataFrame) -> float:
        times = []
        for _ in range(2):
            started = time.perf_counter()
            outcome = validate(frame, suite="tracks", run_dir=run_dir, run_id="timing")
            times.append(time.perf_counter() - started)
            assert outcome.success and outcome.rows == len(frame)
        return min(times)

    small = best_of_two(frames["tracks"])  # the first call also warms up GX
    large = best_of_two(df)
    # GX's cost is mostly per expectation, not per row: 10k rows stay within a second or two
    assert large < 2.5, f"10k rows took {large:.2f}s"
    assert large < 4 * small + 0.2, f"10k rows {large:.2f}s vs 23 rows {small:.2f}s"


def test_failures_are_listed_in_the_suite_order(frames: dict[str, pd.DataFrame], run_dir: Path):
    tracks = frames["tracks"]
    tracks.loc[0, "popularity"] = 500  # last rule of the suite
    tracks.loc[1, "duration_ms"] = 2  # before it
    tracks.loc[2, "track_id"] = "short"  # near the top
    outcome = validate(tracks, suite="tracks", run_dir=run_dir, run_id="r", raise_on_failure=False)
    columns = [line.split("(", 1)[1].split(",")[0].split(")")[0] for line in outcome.failures]
    assert columns == ["track_id", "duration_ms", "popularity"]


def test_validate_frames_checks_every_dataset_and_raises_once(frames: dict[str, pd.DataFrame], run_dir: Path):
    frames["artists"].loc[0, "popularity"] = 101
    frames["tracks"].loc[0, "duration_ms"] = 0
    with pytest.raises(DatasetValidationError) as caught:
        validate_frames(frames, run_dir=run_dir, run_id="r")
    failed = caught.value.outcomes
    assert [o.dataset for o in failed] == ["artists", "tracks"]
    assert caught.value.outcome is failed[0]
    message = str(caught.value)
    assert "dataset 'artists' failed 1 of" in message and "dataset 'tracks' failed 1 of" in message
    assert message.count("Nothing was stored.") == 1
    assert sorted(p.name for p in (run_dir / "validation").iterdir()) == sorted(f"{n}.json" for n in frames)
    outcomes = validate_frames(frames, run_dir=run_dir, run_id="r", raise_on_failure=False)
    assert [name for name, o in outcomes.items() if o.success] == ["albums", "playlists", "playlist_items"]


def test_outcomes_are_counted_on_the_shared_registry(frames: dict[str, pd.DataFrame], run_dir: Path):
    from analytics.observability.metrics import REGISTRY

    def sample(name: str, **labels: str) -> float:
        return REGISTRY.get_sample_value(name, labels) or 0.0

    before = sample("encore_validation_runs_total", dataset="playlists", outcome="failure")
    failed_before = sample("encore_validation_failed_expectations_total", dataset="playlists")
    frames["playlists"].loc[0, "total_items"] = -1
    validate(frames["playlists"], suite="playlists", run_dir=run_dir, run_id="r", raise_on_failure=False)
    assert sample("encore_validation_runs_total", dataset="playlists", outcome="failure") == before + 1
    assert sample("encore_validation_failed_expectations_total", dataset="playlists") == failed_before + 1
    assert sample("encore_validation_seconds_count", dataset="playlists") >= 1


def test_something_else_than_a_dataframe_is_refused_clearly(run_dir: Path):
    with pytest.raises(TypeError, match=r"needs a pandas DataFrame, got list"):
        validate([{"artist_id": "x"}], suite="artists", run_dir=run_dir, run_id="r")  # type: ignore[arg-type]
