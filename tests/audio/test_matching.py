"""Matching files to catalog tracks: ISRC from real tags (Vorbis, ID3, FLAC), fuzzy fallback."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from mutagen.flac import FLAC
from mutagen.id3 import ID3, TIT2, TSRC

from analytics.audio.matching import catalog_tracks, match_files, normalize_isrc, normalize_title
from analytics.audio.tags import read_all_tags, read_tags
from analytics.demo import audio_files, load_catalog

from .conftest import click_track


@pytest.fixture
def catalog() -> pd.DataFrame:
    return catalog_tracks(load_catalog())


def test_demo_excerpts_match_by_their_vorbis_isrc(catalog: pd.DataFrame) -> None:
    files = audio_files()
    result = match_files(read_all_tags(files), catalog)
    assert len(result.matches) == len(files) and set(result.matches["method"]) == {"isrc"}
    by_id = catalog.set_index("track_id")
    for row in result.matches.itertuples():
        assert read_tags(row.path).title == by_id.loc[row.track_id, "name"]
    assert result.unmatched_files == []
    assert len(result.unmatched_tracks) == len(catalog) - len(files)


def test_id3_and_flac_isrc_tags_are_read(write_audio, catalog: pd.DataFrame) -> None:
    track = catalog.iloc[0]
    mp3 = write_audio("master.mp3", click_track(120, seconds=3, sr=44100), 44100, format="MP3")
    tags = ID3()
    tags.add(TSRC(encoding=3, text=[track["isrc"][:2] + "-" + track["isrc"][2:]]))
    tags.add(TIT2(encoding=3, text=["something else"]))
    tags.save(mp3)
    flac = write_audio("master.flac", click_track(120, seconds=3))
    audio = FLAC(flac)
    audio["ISRC"] = track["isrc"].lower()
    audio.save()
    result = match_files(read_all_tags([mp3, flac]), catalog)
    assert list(result.matches["track_id"]) == [track["track_id"]] * 2
    assert read_tags(mp3).isrc is not None and read_tags(mp3).title == "something else"


def test_fuzzy_match_by_title_artist_and_duration(write_audio, catalog: pd.DataFrame) -> None:
    awakening = catalog[catalog["name"] == "Awakening"].iloc[0]
    seconds = awakening["duration_ms"] / 1000
    untagged = write_audio("03 - Maxstack - Awakening (2012 Remaster).wav", click_track(120, seconds=2))
    files = [read_tags(untagged)]
    files[0] = type(files[0])(
        path=files[0].path, title="Awakening (2012 Remaster)", artist="Maxstack", duration_s=seconds + 1
    )
    result = match_files(files, catalog)
    row = result.matches.iloc[0]
    assert (row["track_id"], row["method"]) == (awakening["track_id"], "fuzzy")
    assert 0.9 < row["confidence"] < 1.0 and row["duration_diff_s"] == pytest.approx(1.0)


def test_title_from_file_name_when_untagged(write_audio, catalog: pd.DataFrame) -> None:
    path = write_audio("Sectoid - Metal Madness.wav", click_track(120, seconds=2))
    result = match_files([read_tags(path)], catalog, min_confidence=0.7)
    expected = catalog[catalog["name"].str.lower() == "metal madness"]["track_id"].iloc[0]
    assert list(result.matches["track_id"]) == [expected]


def test_unrelated_files_stay_unmatched(write_audio, catalog: pd.DataFrame) -> None:
    path = write_audio("field recording 2019.wav", click_track(120, seconds=2))
    result = match_files([read_tags(path)], catalog)
    assert result.matches.empty and result.unmatched_files == [str(path)]
    assert len(result.unmatched_tracks) == len(catalog)


def test_a_track_is_taken_by_one_fuzzy_match_only(catalog: pd.DataFrame) -> None:
    from analytics.audio.tags import FileTags

    files = [
        FileTags("a.wav", title="Awakening", artist="Maxstack"),
        FileTags("b.wav", title="Awakening!", artist="Maxstack"),
    ]
    result = match_files(files, catalog)
    assert len(result.matches) == 1 and len(result.unmatched_files) == 1


def test_normalisers() -> None:
    assert normalize_isrc("us-s1z-99-00001") == "USS1Z9900001"
    assert normalize_isrc("not an isrc") is None
    assert normalize_title("Café del Mar (Remastered 2011) feat. X") == "cafe del mar"
    with pytest.raises(ValueError, match="track_id"):
        match_files([], [{"title": "x"}])


def test_unreadable_file_gives_an_error_not_an_exception(tmp_path: Path) -> None:
    path = tmp_path / "x.mp3"
    path.write_bytes(b"\x00" * 100)
    tags = read_tags(path)
    assert tags.isrc is None and tags.error
