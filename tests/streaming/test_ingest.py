"""Idempotent ingest on SQLite and PostgreSQL: stored once, rejected with reasons, nothing partial."""

from __future__ import annotations

import logging
import shutil
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import analytics.streaming.tables  # noqa: F401  (registers the tables)
from analytics.streaming import load
from analytics.streaming.events import play_tuple
from analytics.streaming.ingest import ingest_history_json, ingest_s4a_csv
from analytics.streaming.load import StoreResult, store_events
from analytics.streaming.parsing import file_hash
from analytics.streaming.summary import SourceFormatError
from analytics.warehouse import Warehouse
from tests.streaming.conftest import ARTIST, NOW

TRACK_A = "A" * 22


def _count(warehouse: Warehouse, table: str) -> int:
    return len(warehouse.rows(table))


def test_audience_export_stored_and_reingest_is_a_no_op(warehouse: Warehouse, corpus: Path) -> None:
    path = corpus / "audience_bad_rows.csv"
    first = ingest_s4a_csv(warehouse, path, run_id="r1", artist_id=ARTIST, now=NOW)
    assert (first.rows_read, first.rows_stored, first.rows_duplicate, first.rows_rejected) == (10, 4, 1, 5)
    assert first.rejected_by_reason == {
        "negative count": 1,
        "non-numeric count": 1,
        "date in the future": 1,
        "conflicting duplicate": 1,
        "invalid date": 1,
    }
    rows = warehouse.rows("s4a_audience_daily", order_by=["day"])
    assert [(r["day"].day, r["streams"]) for r in rows] == [(1, 12), (4, 13), (5, 13), (6, 14)]
    before = warehouse.content_hash()
    again = ingest_s4a_csv(warehouse, path, run_id="r2", artist_id=ARTIST, now=NOW)
    assert again.already_ingested and again.rows_stored == 0
    assert warehouse.content_hash() == before


def test_overlapping_export_updates_changed_days_only(
    warehouse: Warehouse, corpus: Path, tmp_path: Path
) -> None:
    ingest_s4a_csv(warehouse, corpus / "audience_ok.csv", run_id="r1", artist_id=ARTIST, now=NOW)
    newer = tmp_path / "audience-newer.csv"
    newer.write_text(
        "date,listeners,streams,followers\n2026-11-02,11,15,5\n2026-11-01,10,12,5\n2026-11-03,1,2,6\n"
    )
    summary = ingest_s4a_csv(warehouse, newer, run_id="r2", artist_id=ARTIST, now=NOW)
    assert (summary.rows_stored, summary.rows_updated, summary.rows_duplicate) == (1, 1, 1)
    assert [r["streams"] for r in warehouse.rows("s4a_audience_daily", order_by=["day"])] == [12, 15, 2]


@pytest.mark.parametrize("name", ["songs_latin1.csv", "audience_missing_columns.csv"])
def test_unreadable_export_stores_nothing(warehouse: Warehouse, corpus: Path, name: str) -> None:
    before = warehouse.content_hash()
    with pytest.raises(SourceFormatError, match="Nothing was stored"):
        ingest_s4a_csv(warehouse, corpus / name, run_id="r1", artist_id=ARTIST, now=NOW)
    assert warehouse.content_hash() == before


def test_song_table_and_timeline(warehouse: Warehouse, corpus: Path, tmp_path: Path) -> None:
    songs = ingest_s4a_csv(
        warehouse,
        corpus / "songs_table.csv",
        run_id="r1",
        artist_id=ARTIST,
        track_ids={"Known Song": TRACK_A},
        now=NOW,
    )
    assert (songs.source, songs.rows_stored, songs.rows_rejected) == ("s4a_songs", 1, 2)
    timeline = tmp_path / f"{TRACK_A}-timeline.csv"
    timeline.write_text("streams,date,listeners\n5,2026-11-01,4\n-1,2026-11-02,1\n")
    summary = ingest_s4a_csv(warehouse, timeline, run_id="r1", artist_id=ARTIST, now=NOW)
    assert (summary.source, summary.rows_stored, summary.rows_rejected) == ("s4a_song_timeline", 1, 1)
    assert warehouse.rows("s4a_song_daily")[0]["track_id"] == TRACK_A


def test_history_drops_personal_fields_everywhere(
    warehouse: Warehouse, corpus: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    summary = ingest_history_json(
        warehouse, corpus / "history_bad_rows.json", run_id="r1", track_artists={TRACK_A: ARTIST}, now=NOW
    )
    assert (summary.rows_read, summary.rows_stored, summary.rows_duplicate, summary.rows_rejected) == (
        8,
        3,
        1,
        4,
    )
    events = warehouse.rows("stream_play_events", order_by=["event_id"])
    assert [e["artist_id"] for e in events] == [ARTIST, None, ARTIST]
    dump = repr([warehouse.rows(t) for t in warehouse.table_names()]) + caplog.text + repr(summary.as_dict())
    for personal in ("198.51.100.77", "ip_addr", "someone-private", "username", "private-agent", "Pixel"):
        assert personal not in dump


def test_same_plays_in_another_file_are_not_stored_twice(
    warehouse: Warehouse, corpus: Path, tmp_path: Path
) -> None:
    ingest_history_json(warehouse, corpus / "history_bad_rows.json", run_id="r1", track_artists={}, now=NOW)
    copy = tmp_path / "renamed.json"
    shutil.copyfile(corpus / "history_bad_rows.json", copy)
    with copy.open("a") as fh:
        fh.write("\n")  # other bytes, so a different file hash: row-level dedupe must hold
    summary = ingest_history_json(warehouse, copy, run_id="r2", track_artists={}, now=NOW)
    assert not summary.already_ingested
    assert (summary.rows_stored, summary.rows_duplicate) == (0, 4)
    assert _count(warehouse, "stream_play_events") == 3


def test_truncated_history_stores_nothing(warehouse: Warehouse, corpus: Path) -> None:
    with pytest.raises(SourceFormatError, match="truncated JSON"):
        ingest_history_json(warehouse, corpus / "history_truncated.json", run_id="r1", now=NOW)
    assert _count(warehouse, "stream_play_events") == 0 and _count(warehouse, "stream_files") == 0


def test_the_audience_timeline_export_is_the_artists_not_a_song(warehouse, tmp_path) -> None:
    from analytics.streaming.ingest import ingest_s4a_csv

    export = tmp_path / "audience-timeline.csv"
    export.write_text("date,listeners,streams,followers\n2026-11-01,120,340,55\n2026-11-02,130,360,56\n")
    summary = ingest_s4a_csv(warehouse, export, run_id="r1", artist_id="artist00000000000000001")
    assert summary.rows_stored == 2
    assert len(warehouse.rows("s4a_audience_daily")) == 2
    assert warehouse.rows("s4a_song_daily") == []


def _plays(numbers: range) -> list[tuple[object, ...]]:
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return [
        play_tuple(ts=start + timedelta(seconds=7 * k), track_id=TRACK_A, ms_played=40_000 + k,
                   source="history", identity=f"test|{k}", country="SE", listener=f"l{k % 5}")
        for k in numbers
    ]  # fmt: skip


def test_bulk_store_counts_every_event_once_across_overlapping_batches(warehouse: Warehouse) -> None:
    first = _plays(range(0, 123))  # not a multiple of the rows per statement
    with warehouse.engine.begin() as conn:
        assert store_events(conn, first + first[:7]) == StoreResult(stored=123, duplicate=7)
    overlap = _plays(range(100, 177))[::-1]  # 23 stored already, 54 new, out of order
    with warehouse.engine.begin() as conn:
        assert store_events(conn, overlap) == StoreResult(stored=54, duplicate=23)
    with warehouse.engine.begin() as conn:
        assert store_events(conn, _plays(range(0, 177))) == StoreResult(stored=0, duplicate=177)
    rows = warehouse.rows("stream_play_events", order_by=["event_id"])
    assert [r["event_id"] for r in rows] == sorted(r[0] for r in _plays(range(0, 177)))
    assert rows[5]["ms_played"] == 40_005 and rows[5]["country"] == "SE"
    assert rows[5]["day"] == date(2026, 11, 1)


def test_a_run_ingesting_a_file_another_run_is_storing_waits_and_finds_it_stored(
    postgres_warehouse: Warehouse, corpus: Path
) -> None:
    """A scheduled ingest beside the main job: the second run waits for the first's commit."""
    path = corpus / "history_bad_rows.json"
    digest = file_hash(path.read_bytes())
    outcomes: list[object] = []

    def second_run() -> None:
        try:
            outcomes.append(
                ingest_history_json(postgres_warehouse, path, run_id="r2", track_artists={}, now=NOW)
            )
        except Exception as error:  # reported by the assertions below, not lost in the thread
            outcomes.append(error)

    with postgres_warehouse.engine.connect() as first:
        with first.begin():  # the first run, mid-ingest: it has checked the file and recorded it
            assert not load.file_ingested(first, digest)
            load.record_file(
                first, file_hash=digest, source="history", file_name=path.name, run_id="r1",
                rows_read=0, rows_stored=0, rows_duplicate=0, rows_rejected=0,
            )  # fmt: skip
            thread = threading.Thread(target=second_run)
            thread.start()
            thread.join(1.0)
            assert thread.is_alive(), "the second run did not wait for the first"
        thread.join(60)
    assert len(outcomes) == 1 and not isinstance(outcomes[0], Exception), outcomes
    assert outcomes[0].already_ingested  # type: ignore[attr-defined]
    assert _count(postgres_warehouse, "stream_files") == 1


def test_a_song_timeline_named_by_its_title_is_that_songs(warehouse: Warehouse, tmp_path: Path) -> None:
    # Spotify for Artists names a song's timeline after the song and writes only date, streams;
    # characters a file name cannot hold come out as "_".
    names = {"Don’t Stop?": TRACK_A, "Other Song": "B" * 22}
    export = tmp_path / "Don’t Stop_-timeline.csv"
    export.write_bytes(b"\xef\xbb\xbfdate,streams\n2026-11-01,12\n2026-11-02,15\n")
    summary = ingest_s4a_csv(warehouse, export, run_id="r1", artist_id=ARTIST, track_ids=names, now=NOW)
    assert (summary.source, summary.rows_stored, summary.rows_rejected) == ("s4a_song_timeline", 2, 0)
    rows = warehouse.rows("s4a_song_daily", order_by=["day"])
    assert [(r["track_id"], r["streams"], r["listeners"]) for r in rows] == [
        (TRACK_A, 12, None),
        (TRACK_A, 15, None),
    ]


def test_a_song_timeline_of_an_unknown_title_stores_nothing(warehouse: Warehouse, tmp_path: Path) -> None:
    export = tmp_path / "Nobody Wrote This-timeline.csv"
    export.write_text("date,streams\n2026-11-01,12\n")
    with pytest.raises(SourceFormatError, match=r"'Nobody Wrote This'.*no song of that title"):
        ingest_s4a_csv(
            warehouse, export, run_id="r1", artist_id=ARTIST, track_ids={"Known": TRACK_A}, now=NOW
        )
    assert _count(warehouse, "s4a_song_daily") == 0 and _count(warehouse, "stream_files") == 0


def test_the_audience_timeline_as_downloaded_ignores_the_columns_encore_does_not_use(
    warehouse: Warehouse, tmp_path: Path
) -> None:
    export = tmp_path / f"{ARTIST}-audience-timeline.csv"
    export.write_text(
        "date,listeners,monthly listeners,monthly active listeners,super listeners,streams,playlist adds,saves,followers\n"
        "2026-11-01,120,2400,700,90,340,3,11,55\n"
    )
    summary = ingest_s4a_csv(warehouse, export, run_id="r1", artist_id=ARTIST, now=NOW)
    assert (summary.source, summary.rows_stored, summary.rows_rejected) == ("s4a_audience", 1, 0)
    row = warehouse.rows("s4a_audience_daily")[0]
    assert (row["listeners"], row["streams"], row["followers"]) == (120, 340, 55)


HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"


def test_impossible_days_and_counts_are_rejected_alone_and_aggregation_still_runs(
    warehouse: Warehouse,
) -> None:
    from analytics.streaming.aggregate import aggregate

    path = HOSTILE / "audience_excel_dates_huge_counts.csv"
    summary = ingest_s4a_csv(warehouse, path, run_id="r1", artist_id=ARTIST, now=NOW)
    assert (summary.rows_read, summary.rows_stored, summary.rows_rejected) == (5, 2, 3)
    assert summary.rejected_by_reason == {"date before Spotify streaming began": 1, "implausible count": 2}
    assert [r["day"] for r in warehouse.rows("s4a_audience_daily", order_by=["day"])] == [
        date(2026, 11, 1),
        date(2026, 11, 4),
    ]
    assert aggregate(warehouse).days_recomputed == 2  # no day outside what an event id can hold


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[" * 200_000 + "]" * 200_000, "nested too deeply"),
        ('[{"ts": "2026-11-01T10:00:00Z", "ms_played": ' + "7" * 5000 + "}]", "unreadable JSON"),
    ],
    ids=["nested-200000-deep", "integer-of-5000-digits"],
)
def test_a_history_file_that_is_no_export_is_rejected_whole_naming_it(
    warehouse: Warehouse, tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "Streaming_History_Audio_2026.json"
    path.write_text(content)
    with pytest.raises(SourceFormatError, match=problem) as caught:
        ingest_history_json(warehouse, path, run_id="r1", now=NOW)
    assert str(path) in str(caught.value)
    assert _count(warehouse, "stream_play_events") == 0


def test_a_play_before_spotify_streaming_began_is_rejected(warehouse: Warehouse, tmp_path: Path) -> None:
    path = tmp_path / "Streaming_History_Audio_2026.json"
    path.write_text(
        '[{"ts": "1970-01-01T00:00:00Z", "ms_played": 1000, "spotify_track_uri": "spotify:track:'
        + TRACK_A
        + '"},'
        ' {"ts": "2026-11-01T10:00:00Z", "ms_played": 1000, "spotify_track_uri": "spotify:track:'
        + TRACK_A
        + '"}]'
    )
    summary = ingest_history_json(warehouse, path, run_id="r1", now=NOW)
    assert (summary.rows_stored, summary.rows_rejected) == (1, 1)
    assert summary.rejected_by_reason == {"date before Spotify streaming began": 1}
