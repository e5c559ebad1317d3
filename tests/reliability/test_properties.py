"""Properties, on bounded generated input: parsers account for every row, the audit chain
verifies whatever it holds and names any edit, counts read back whatever their locale."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from analytics.audit import verify
from analytics.audit.chain import AuditEntry, append
from analytics.streaming.history import parse_history
from analytics.streaming.parsing import parse_count
from analytics.streaming.s4a import parse_s4a
from analytics.streaming.summary import SourceFormatError
from analytics.warehouse import Warehouse

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
NOW = datetime(2026, 11, 23, tzinfo=UTC)
cells = st.one_of(
    st.integers(-5, 10**7).map(str),
    st.sampled_from(["", "lots", "1,234", "1.234", "1 234", "2026-01-01", "2099-01-01", '"', "\x00", "<b>"]),
    st.text(max_size=12),
)


@FAST
@given(st.integers(0, 10**12), st.sampled_from([",", ".", " ", "\u202f", ""]))
def test_a_count_in_any_grouping_reads_back(n: int, sep: str) -> None:
    grouped = f"{n:,}".replace(",", sep)
    assert parse_count(grouped, column="streams") == n


@FAST
@given(st.text(max_size=20))
def test_a_count_is_a_non_negative_int_or_a_value_error(raw: str) -> None:
    try:
        value = parse_count(raw, column="streams")
    except ValueError as exc:
        assert "streams" in str(exc)
    else:
        assert value is None or (isinstance(value, int) and value >= 0)


@FAST
@given(
    st.lists(st.lists(cells, min_size=1, max_size=5), max_size=15),
    st.sampled_from(["date,listeners,streams", "song,streams,listeners", "Date;Streams;Listeners"]),
)
def test_every_s4a_row_is_stored_rejected_or_a_duplicate(rows: list[list[str]], header: str) -> None:
    sep = ";" if ";" in header else ","
    body = header + "\n" + "\n".join(sep.join(c.replace("\n", " ") for c in r) for r in rows)
    try:
        _, parsed = parse_s4a(body, where="gen.csv", artist_id="a", track_ids={}, today=NOW.date())
    except SourceFormatError as exc:
        assert str(exc).startswith("gen.csv: ")
        return
    assert len(parsed.rows) + len(parsed.rejected) + parsed.duplicates == parsed.read
    assert all(r.reason for r in parsed.rejected)


records = st.fixed_dictionaries(
    {
        "ts": st.sampled_from(["2026-01-01T10:00:00Z", "2026-01-02T10:00:00Z", "2099-01-01T00:00:00Z", "x"]),
        "ms_played": st.one_of(st.integers(-10, 10**6), st.text(max_size=3), st.none()),
        "spotify_track_uri": st.one_of(
            st.sampled_from(["spotify:track:AAAAAAAAAAAAAAAAAAAAAA", "spotify:track:BBBBBBBBBBBBBBBBBBBBBB"]),
            st.none(),
            st.text(max_size=8),
        ),
    }
)


@FAST
@given(st.lists(st.one_of(records, st.none(), st.integers()), max_size=20))
def test_every_history_record_is_stored_rejected_or_a_duplicate(items: list[object]) -> None:
    parsed = parse_history(json.dumps(items), where="h.json", now=NOW)
    assert len(parsed.rows) + len(parsed.rejected) + parsed.duplicates == parsed.read == len(items)
    assert len({r["event_id"] for r in parsed.rows}) == len(parsed.rows)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=10)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


@pytest.fixture(scope="module")
def chain_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("chain")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.dictionaries(st.text(min_size=1, max_size=6), json_values, max_size=4), min_size=1, max_size=5
    )
)
def test_the_audit_chain_verifies_and_names_the_edited_record(chain_db: Path, outputs: list[dict]) -> None:
    path = chain_db / f"c{abs(hash(json.dumps(outputs, sort_keys=True, default=str)))}.sqlite"
    path.unlink(missing_ok=True)
    warehouse = Warehouse(f"sqlite:///{path}")
    warehouse.migrate()
    for i, out in enumerate(outputs):
        entry = AuditEntry(
            run_id="r",
            trace_id="t",
            flow="f",
            task=f"t{i}",
            code_version="v",
            parameters_hash="p",
            outcome="ok",
            outputs=out,
        )
        append(warehouse, entry)
    assert verify(warehouse).ok
    target = len(outputs) // 2 + 1
    with warehouse.engine.begin() as conn:
        conn.execute(
            text("UPDATE audit_records SET body = replace(body, '\"task\"', '\"tasq\"') WHERE seq = :s"),
            {"s": target},
        )
    report = verify(warehouse)
    assert not report.ok and f"#{target}" in str(report)
    warehouse.dispose()
