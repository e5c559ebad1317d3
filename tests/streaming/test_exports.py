"""Finding the streaming exports in a folder of downloads, with their kind and artist."""

from __future__ import annotations

from pathlib import Path

from analytics.streaming.exports import ExportFile, find_exports

WORLD2 = Path(__file__).resolve().parents[1] / "data" / "world2" / "exports"
ARTIST = "YQhOGXX8g2pM1yHEFVFAjK"


def test_spotify_for_artists_names_and_artist_folders_say_whose_each_file_is() -> None:
    found = find_exports(WORLD2)
    kinds = [f.kind for f in found]
    assert (
        kinds.count("audience"),
        kinds.count("songs"),
        kinds.count("song_timeline"),
        kinds.count("playlists"),
        kinds.count("history"),
    ) == (
        4,
        4,
        24,
        4,
        1,
    )
    for export in found:
        if export.kind == "history":
            assert export.artist_id is None
        else:  # the file name or the <artist id>/ folder above it
            assert export.artist_id is not None and export.artist_id in export.path.parts


def test_files_that_are_not_streaming_exports_are_left_out(tmp_path: Path) -> None:
    for name in (
        "audience-timeline.csv",
        f"{ARTIST}-songs-28days.csv",
        "Harbour Lights (feat. Someone)-timeline.csv",
        "Streaming_History_Audio_2025-2026_1.json",
        "Streaming_History_Video_2025-2026.json",
        "ReadMeFirst_ExtendedStreamingHistory.pdf",
        "notes.csv",
    ):
        (tmp_path / name).write_text("x")
    found = {f.path.name: f for f in find_exports(tmp_path)}
    assert found == {
        "audience-timeline.csv": ExportFile(tmp_path / "audience-timeline.csv", "audience", None),
        f"{ARTIST}-songs-28days.csv": ExportFile(tmp_path / f"{ARTIST}-songs-28days.csv", "songs", ARTIST),
        "Harbour Lights (feat. Someone)-timeline.csv": ExportFile(
            tmp_path / "Harbour Lights (feat. Someone)-timeline.csv", "song_timeline", None
        ),
        "Streaming_History_Audio_2025-2026_1.json": ExportFile(
            tmp_path / "Streaming_History_Audio_2025-2026_1.json", "history", None
        ),
    }


def test_the_searched_folder_itself_can_be_the_artists(tmp_path: Path) -> None:
    folder = tmp_path / ARTIST
    (folder / "songs").mkdir(parents=True)
    (folder / "songs" / "Song-timeline.csv").write_text("x")
    assert [f.artist_id for f in find_exports(folder)] == [ARTIST]


def test_only_regular_files_are_read_and_the_rest_is_refused_or_listed(tmp_path: Path) -> None:
    import os
    import zipfile

    from analytics.streaming.exports import scan_exports

    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = tmp_path / "downloads"
    folder.mkdir()
    (folder / "Streaming_History_Audio_2026_0.json").write_text("[]")
    (folder / "Streaming_History_Audio_2026_1.json").symlink_to(outside / "passwd")
    (folder / f"{ARTIST}-audience-timeline.csv").mkdir()  # a folder named like an export
    os.mkfifo(folder / f"{ARTIST}-songs-1year.csv")  # reading it would wait forever
    (folder / "linked").symlink_to(outside, target_is_directory=True)
    with zipfile.ZipFile(folder / "my_spotify_data.zip", "w") as archive:
        archive.writestr("Streaming_History_Audio_2026_2.json", "[]")
    (folder / "notes.txt").write_text("x")

    scan = scan_exports(folder)
    assert [f.path.name for f in scan.files] == ["Streaming_History_Audio_2026_0.json"]
    refused = {p.name: why for p, why in scan.refused}
    assert set(refused) == {
        "Streaming_History_Audio_2026_1.json",
        f"{ARTIST}-audience-timeline.csv",
        f"{ARTIST}-songs-1year.csv",
        "linked",
        "my_spotify_data.zip",
    }
    assert "symbolic link" in refused["Streaming_History_Audio_2026_1.json"]
    assert "unzip" in refused["my_spotify_data.zip"]
    assert [p.name for p in scan.ignored] == ["notes.txt"]


def test_the_ingest_never_opens_a_link_or_a_fifo(tmp_path: Path) -> None:
    import os

    import pytest

    from analytics.streaming.parsing import read_bytes
    from analytics.streaming.summary import SourceFormatError

    (tmp_path / "real.csv").write_text("date,listeners,streams\n")
    (tmp_path / "link.csv").symlink_to(tmp_path / "real.csv")
    os.mkfifo(tmp_path / "fifo.csv")
    with pytest.raises(SourceFormatError, match="symbolic link"):
        read_bytes(tmp_path / "link.csv")
    with pytest.raises(SourceFormatError, match="not a regular file"):
        read_bytes(tmp_path / "fifo.csv")
