"""One row per recording: versions that share an analysed file count once."""

from __future__ import annotations

import pandas as pd

from analytics.audio.store import one_per_recording
from analytics.reports.artist_data import recordings


def test_versions_sharing_a_file_are_one_row_the_direct_match_kept() -> None:
    features = pd.DataFrame(
        {
            "track_id": ["single", "album", "other", "unhashed", "unhashed-2"],
            "audio_hash": ["sha256:a", "sha256:a", "sha256:b", None, None],
            "match_method": ["same_isrc", "isrc", "tags", "tags", "tags"],
            "tempo_bpm": [120.0, 120.0, 90.0, 100.0, 101.0],
        }
    )
    kept = one_per_recording(features)
    assert kept["track_id"].tolist() == ["album", "other", "unhashed", "unhashed-2"]
    assert (
        one_per_recording(features.drop(columns="audio_hash"))["track_id"].tolist()
        == features["track_id"].tolist()
    )


def test_recordings_count_tracks_sharing_an_isrc_once() -> None:
    tracks = pd.DataFrame({"track_id": list("abcde"), "isrc": ["X1", "X1", "X2", None, None]})
    assert recordings(tracks) == 4
    assert recordings(tracks.drop(columns="isrc")) == 5
    assert recordings(tracks.iloc[0:0]) == 0
