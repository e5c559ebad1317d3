"""Parsers: every valid row normalised, every bad row rejected with its reason."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from analytics.streaming.events import EVENT_COLUMNS
from analytics.streaming.history import parse_history
from analytics.streaming.parsing import decode_text, parse_count
from analytics.streaming.s4a import S4AKind, parse_s4a
from analytics.streaming.summary import SourceFormatError
from analytics.streaming.wire import decode_event, decode_events, encode_event
from tests.streaming.conftest import ARTIST, NOW, TODAY


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1,234", 1234),
        ("1.234", 1234),
        ("1 234", 1234),
        ("1\u00a0234", 1234),
        ("12", 12),
        ("1.234.567", 1234567),
        ("7.0", 7),
        ("", None),
        ("0", 0),
    ],
)
def test_counts_in_any_locale(raw: str, expected: int | None) -> None:
    assert parse_count(raw, column="streams") == expected


@pytest.mark.parametrize(
    ("raw", "reason"), [("-3", "negative count"), ("lots", "non-numeric"), ("1,5", "non-numeric")]
)
def test_bad_counts_say_why(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason):
        parse_count(raw, column="streams")


def _read(path: Path) -> str:
    return decode_text(path.read_bytes(), where=str(path))


def test_audience_with_bom_semicolons_reordered_columns_and_locale_numbers(corpus: Path) -> None:
    kind, result = parse_s4a(
        _read(corpus / "audience_locale_bom.csv"), where="x", artist_id=ARTIST, today=TODAY
    )
    assert kind is S4AKind.audience
    assert not result.rejected
    assert [(r["day"].day, r["streams"], r["listeners"], r["followers"]) for r in result.rows] == [
        (1, 1234, 900, 1500),
        (2, 1234, 1001, 1501),
        (3, 2345, 1001, 1502),
    ]


def test_audience_bad_rows_each_rejected_with_reason(corpus: Path) -> None:
    _, result = parse_s4a(_read(corpus / "audience_bad_rows.csv"), where="x", artist_id=ARTIST, today=TODAY)
    reasons = {r.line: r.reason for r in result.rejected}
    assert "negative count in listeners" in reasons[3]
    assert "non-numeric count in streams" in reasons[4]
    assert "date in the future" in reasons[5]
    assert "conflicting duplicate of line 8" in reasons[9]
    assert "invalid date" in reasons[10]
    assert result.duplicates == 1  # line 7 repeats line 6 exactly
    assert sorted(r["day"].day for r in result.rows) == [1, 4, 5, 6]
    assert result.rows[-1]["listeners"] is None and result.rows[-1]["followers"] is None


def test_missing_columns_are_named(corpus: Path) -> None:
    with pytest.raises(SourceFormatError, match="missing columns listeners, streams for a audience export"):
        parse_s4a(_read(corpus / "audience_missing_columns.csv"), where="x", artist_id=ARTIST, today=TODAY)


def test_wrong_encoding_is_refused_not_guessed(corpus: Path) -> None:
    with pytest.raises(SourceFormatError, match=r"not UTF-8.*byte 0xe9"):
        _read(corpus / "songs_latin1.csv")


def test_song_table_resolves_names_and_rejects_unknown_songs(corpus: Path) -> None:
    kind, result = parse_s4a(
        _read(corpus / "songs_table.csv"),
        where="x",
        artist_id=ARTIST,
        track_ids={"known song": "T1", "Other Song": "T2"},
        today=TODAY,
    )
    assert kind is S4AKind.songs
    assert [(r["track_id"], r["streams"], r["listeners"], r["saves"]) for r in result.rows] == [
        ("T1", 1200, 800, 30)
    ]
    reasons = sorted(r.reason for r in result.rejected)
    assert reasons[0].startswith("negative count in streams")
    assert reasons[1].startswith("unknown song 'Unknown Song'")


def test_history_keeps_only_allow_listed_fields_and_rejects_bad_rows(corpus: Path) -> None:
    result = parse_history(_read(corpus / "history_bad_rows.json"), where="x", now=NOW)
    reasons = {r.line: r.reason for r in result.rejected}
    assert reasons == {
        4: "negative count in ms_played: -5",
        5: "non-numeric count in ms_played",
        6: "date in the future in ts: 2099-01-01T00:00:00+00:00 is after 2026-11-20T12:00:00+00:00",
        7: "not a music track (podcast episode or audiobook)",
    }
    assert result.duplicates == 1
    assert len(result.rows) == 3
    first, _, last = result.rows
    assert (
        first["platform"] == "android"
        and first["country"] == "FR"
        and first["day"].isoformat() == "2026-11-01"
    )
    assert last["country"] is None and last["platform"] == "web" and last["skipped"] is None
    text = repr(result)
    for secret in ("198.51.100.77", "someone-private", "private-agent", "Pixel 7"):
        assert secret not in text


def test_truncated_json_rejects_the_whole_file(corpus: Path) -> None:
    with pytest.raises(SourceFormatError, match="truncated JSON"):
        parse_history(_read(corpus / "history_truncated.json"), where="x", now=NOW)


def test_a_batch_of_wire_payloads_decodes_like_one_at_a_time() -> None:
    good = encode_event(
        {"event_id": "e1", "ts": "2026-11-20T11:00:00.25+01:00", "track_id": "T" * 22, "artist_id": "A" * 22,
         "ms_played": 31_000, "country": "se", "platform": "Android OS 14", "reason_end": "TrackDone",
         "shuffle": "true", "listener": "token-1"}
    )  # fmt: skip
    future = encode_event(
        {"event_id": "e2", "ts": "2026-11-21T00:00:00Z", "track_id": "T" * 22, "ms_played": 1}
    )
    payloads = [good, b"{not json", future, b'{"v":2}', good.replace(b'"ms_played":31000', b'"ms_played":-4')]
    batch = decode_events(payloads, now=NOW)
    assert batch.rows == [tuple(decode_event(good, now=NOW)[c] for c in EVENT_COLUMNS)]
    assert [position for position, _ in batch.rejected] == [1, 2, 3, 4]
    for position, reason in batch.rejected:
        with pytest.raises(ValueError) as single:
            decode_event(payloads[position], now=NOW)
        assert str(single.value) == reason
    row = dict(zip(EVENT_COLUMNS, batch.rows[0], strict=True))
    assert row["ts"] == datetime(2026, 11, 20, 10, 0, 0, 250_000, tzinfo=UTC)
    assert (row["day"], row["country"], row["platform"], row["reason_end"]) == (
        TODAY,
        "SE",
        "android",
        "trackdone",
    )
    assert row["shuffle"] is True and row["listener_key"] not in (None, "token-1")
    assert row["event_id"].startswith(f"{int(row['ts'].timestamp() * 1000):012x}")
