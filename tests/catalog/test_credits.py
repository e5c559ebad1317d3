"""Every credited artist of a track: read from the catalog and the Web API, counted per artist."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics.catalog import frames_from_catalog
from analytics.catalog.counts import count_artist_catalog, count_catalog, credits_artist, tracks_crediting
from analytics.spotify import SimplifiedTrack
from analytics.sync import rows

MAIN, GUEST, VARIOUS = "M" * 22, "G" * 22, "V" * 22
SINGLE, ALBUM, GUEST_EP, COMPILATION = "S" * 22, "A" * 22, "E" * 22, "C" * 22


def _tracks() -> pd.DataFrame:
    return pd.DataFrame(
        [
            # the duet, on the main artist's single and album (one recording)
            {
                "track_id": "1" * 22,
                "album_id": SINGLE,
                "artist_id": MAIN,
                "artist_ids": [MAIN, GUEST],
                "isrc": "ZZKAV2500001",
            },
            {
                "track_id": "2" * 22,
                "album_id": ALBUM,
                "artist_id": MAIN,
                "artist_ids": [MAIN, GUEST],
                "isrc": "ZZKAV2500001",
            },
            {
                "track_id": "3" * 22,
                "album_id": ALBUM,
                "artist_id": MAIN,
                "artist_ids": [MAIN],
                "isrc": "ZZKAV2500002",
            },
            {
                "track_id": "4" * 22,
                "album_id": GUEST_EP,
                "artist_id": GUEST,
                "artist_ids": [GUEST],
                "isrc": "ZZTON2500001",
            },
            {
                "track_id": "5" * 22,
                "album_id": COMPILATION,
                "artist_id": GUEST,
                "artist_ids": [GUEST],
                "isrc": "ZZTON2500001",
            },
        ]
    )


def _albums() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "album_id": [SINGLE, ALBUM, GUEST_EP, COMPILATION],
            "artist_id": [MAIN, MAIN, GUEST, VARIOUS],
            "album_group": ["single", "album", "single", "appears_on"],
        }
    )


def test_a_track_credits_its_main_and_featured_artists_whatever_holds_the_list() -> None:
    assert credits_artist({"artist_id": MAIN, "artist_ids": [MAIN, GUEST]}, GUEST)
    assert credits_artist({"artist_id": MAIN, "artist_ids": np.array([MAIN, GUEST])}, GUEST)  # from Parquet
    assert credits_artist({"artist_id": MAIN}, MAIN)
    assert not credits_artist({"artist_id": MAIN, "artist_ids": None}, GUEST)
    assert not credits_artist({"artist_id": MAIN, "artist_ids": [MAIN]}, GUEST)


def test_the_featured_artists_tracks_include_the_duet() -> None:
    assert list(tracks_crediting(_tracks(), GUEST)["track_id"]) == ["1" * 22, "2" * 22, "4" * 22, "5" * 22]
    assert list(tracks_crediting(_tracks(), MAIN)["track_id"]) == ["1" * 22, "2" * 22, "3" * 22]
    without_credits = _tracks().drop(columns="artist_ids")
    assert list(tracks_crediting(without_credits, GUEST)["track_id"]) == ["4" * 22, "5" * 22]


def test_another_artists_release_a_featured_artist_is_on_is_an_appearance() -> None:
    guest = count_artist_catalog(_albums(), _tracks(), artist_id=GUEST)
    # the duet (one recording on two releases) and the EP track (also on the compilation)
    assert (guest.recordings, guest.tracks, guest.releases, guest.appearances) == (2, 4, 1, 3)
    main = count_artist_catalog(_albums(), _tracks(), artist_id=MAIN)
    assert (main.recordings, main.tracks, main.releases, main.appearances) == (2, 3, 2, 0)
    # the whole catalog counts each track once, whoever it credits
    whole = count_catalog(_albums(), _tracks())
    assert (whole.recordings, whole.tracks, whole.releases, whole.appearances) == (3, 5, 3, 1)


def test_a_catalog_file_and_the_web_api_give_every_credit_in_order() -> None:
    catalog = {
        "artists": [{"id": MAIN, "name": "Kestrel Avenue"}, {"id": GUEST, "name": "Tomás O'Neill"}],
        "albums": [
            {
                "id": SINGLE,
                "name": "Harbour Lights",
                "album_type": "single",
                "artist_ids": [MAIN],
                "release_date": "2025-06-06",
                "release_date_precision": "day",
                "total_tracks": 1,
            }
        ],
        "tracks": [
            {
                "id": "1" * 22,
                "name": "Harbour Lights (feat. Tomás O'Neill)",
                "album_id": SINGLE,
                "artist_ids": [MAIN, GUEST],
                "track_number": 1,
                "duration_ms": 200000,
            }
        ],
    }
    frames = frames_from_catalog(catalog, artist_ids=[GUEST])
    assert frames.tracks[["artist_id", "artist_ids"]].to_dict("records") == [
        {"artist_id": MAIN, "artist_ids": [MAIN, GUEST]}
    ]
    assert list(frames.albums["album_group"]) == ["appears_on"]
    track = SimplifiedTrack.model_validate(
        {
            "id": "1" * 22,
            "name": "Harbour Lights (feat. Tomás O'Neill)",
            "artists": [{"id": MAIN, "name": "Kestrel Avenue"}, {"id": GUEST, "name": "Tomás O'Neill"}],
            "disc_number": 1,
            "track_number": 1,
            "duration_ms": 200000,
            "explicit": False,
        }
    )
    row = rows.simple_track_row(track, album_id=SINGLE)
    assert row["artist_ids"] == [MAIN, GUEST]
    assert not rows.same_simple_track({**row, "artist_ids": [MAIN], "removed_run": None}, row)
