from analytics.warehouse import Warehouse, upsert_rows
from analytics.warehouse.upsert import mark_removed

TRACK = {
    "track_id": "t1",
    "album_id": "a1",
    "artist_id": "ar1",
    "name": "First Light",
    "disc_number": 1,
    "track_number": 1,
    "duration_ms": 200_000,
    "explicit": False,
    "isrc": "QZ0000000001",
    "popularity": None,
}


def test_second_upsert_of_same_rows_writes_nothing(warehouse: Warehouse) -> None:
    with warehouse.session() as s:
        first = upsert_rows(s, "tracks", [TRACK], key=["track_id"], run_id="r1")
    before = warehouse.content_hash()
    with warehouse.session() as s:
        second = upsert_rows(s, "tracks", [TRACK], key=["track_id"], run_id="r2")
    assert first.inserted == {"tracks": 1}
    assert second.rows_written == 0 and second.unchanged == {"tracks": 1}
    assert warehouse.content_hash() == before


def test_changed_row_is_updated_and_versioned(warehouse: Warehouse) -> None:
    with warehouse.session() as s:
        upsert_rows(s, "tracks", [TRACK], key=["track_id"], run_id="r1")
    with warehouse.session() as s:
        result = upsert_rows(
            s, "tracks", [{**TRACK, "name": "First Light (Remaster)"}], key=["track_id"], run_id="r2"
        )
    assert result.updated == {"tracks": 1}
    (row,) = warehouse.rows("tracks")
    assert row["name"] == "First Light (Remaster)" and row["first_seen_run"] == "r1"
    versions = warehouse.rows("entity_versions", order_by=["version_id"])
    assert [v["change"] for v in versions] == ["inserted", "updated"]
    assert versions[0]["valid_to"] is not None and versions[1]["valid_to"] is None


def test_removed_rows_are_marked_never_deleted(warehouse: Warehouse) -> None:
    with warehouse.session() as s:
        upsert_rows(s, "tracks", [TRACK], key=["track_id"], run_id="r1")
    with warehouse.session() as s:
        assert mark_removed(s, "tracks", [("t1",)], key=["track_id"], run_id="r2") == 1
    with warehouse.session() as s:
        assert mark_removed(s, "tracks", [("t1",)], key=["track_id"], run_id="r3") == 0
    (row,) = warehouse.rows("tracks")
    assert row["removed_run"] == "r2"


def test_duplicate_keys_in_one_batch_store_one_row(warehouse: Warehouse) -> None:
    with warehouse.session() as s:
        result = upsert_rows(s, "tracks", [TRACK, dict(TRACK)], key=["track_id"], run_id="r1")
    assert result.inserted == {"tracks": 1}
    assert len(warehouse.rows("tracks")) == 1


def test_failed_unit_of_work_stores_nothing(warehouse: Warehouse) -> None:
    try:
        with warehouse.session() as s:
            upsert_rows(s, "tracks", [TRACK], key=["track_id"], run_id="r1")
            raise RuntimeError("crash mid-unit")
    except RuntimeError:
        pass
    assert warehouse.rows("tracks") == []


def test_migrate_is_idempotent(warehouse: Warehouse) -> None:
    warehouse.migrate()
    assert {"tracks", "albums", "artists", "audit_records", "entity_versions"} <= set(warehouse.table_names())


def test_a_data_folder_with_url_characters_in_its_name_holds_the_sqlite_file(tmp_path) -> None:
    from analytics.config import Settings

    folder = tmp_path / "music?for 50%#now"
    warehouse = Warehouse.from_settings(Settings(data_dir=folder))
    try:
        warehouse.migrate()
    finally:
        warehouse.dispose()
    assert (folder / "encore.sqlite").is_file()
    assert [p.name for p in tmp_path.iterdir()] == ["music?for 50%#now"]


def test_nul_and_lone_surrogates_are_stored_alike_on_both_databases(warehouse: Warehouse) -> None:
    hostile = {**TRACK, "name": "By\x00-Product \ud800 Mix"}
    artist = {
        "artist_id": "ar1",
        "name": "Null\x00Set",
        "genres": ["ro\x00ck"],
        "followers": 1,
        "popularity": 2,
    }
    with warehouse.session() as s:
        upsert_rows(s, "artists", [artist], key=["artist_id"], run_id="r1")
        first = upsert_rows(s, "tracks", [hostile], key=["track_id"], run_id="r1")
    before = warehouse.content_hash()
    with warehouse.session() as s:
        second = upsert_rows(s, "tracks", [hostile], key=["track_id"], run_id="r2")
    assert first.inserted == {"tracks": 1} and second.rows_written == 0
    assert warehouse.content_hash() == before
    (track,) = warehouse.rows("tracks")
    (stored_artist,) = warehouse.rows("artists")
    assert track["name"] == "By-Product \ufffd Mix"
    assert stored_artist["name"] == "NullSet" and stored_artist["genres"] == ["rock"]


def test_writers_outside_the_upsert_store_text_the_same_way(warehouse: Warehouse) -> None:
    from analytics.warehouse import AuditRecord

    with warehouse.session() as s:
        s.add(
            AuditRecord(
                seq=1,
                record_id="r\x00",
                run_id="run",
                created_at="t",
                body="x\x00\udfff",
                prev_hash="p",
                record_hash="h",
            )
        )
    (row,) = warehouse.rows("audit_records")
    assert row["record_id"] == "r" and row["body"] == "x\ufffd"
