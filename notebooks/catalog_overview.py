# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# The catalog as the last run stored and validated it: releases, tracks and the playlists the
# artist owns. Every number on this page comes from the run's validated datasets.

# %% tags=["parameters"]
run_dir: str = ""  # where the flow left this run's datasets; empty: the main job's latest run
artist_ids: list[str] = []  # artists to show; empty: every artist in the run

# %%
from analytics.catalog.counts import count_artist_catalog, count_catalog, tracks_crediting
from analytics.config import Settings
from analytics.reports import figures, heading, load_run, metric_cards, note, set_aside, show, table
from analytics.reports.display import fact_note
from analytics.reports.explore import latest_run_dir
from analytics.reports.report_facts import Fact
from analytics.reports.texts import text
from analytics.reports.words import catalog_template, minutes_seconds, recordings_count

run = load_run(latest_run_dir(Settings(), run_dir))
artists = run.artists if not artist_ids else run.artists[run.artists["artist_id"].isin(artist_ids)]
set_aside(run.manifest.get("set_aside", []))  # what the run rejected and completed without
# the catalog counted once, by recording (tracks sharing an ISRC are one); every count below reads it
catalog = count_catalog(run.albums, run.tracks)
hours = run.tracks.drop_duplicates("isrc")["duration_ms"].sum() / 3_600_000

# %%
metric_cards(
    [
        {"label": "Artists", "value": len(artists)},
        {
            "label": "Releases",
            "value": catalog.releases,
            "fact": Fact("releases", catalog.releases, str(catalog.releases)),
        },
        {
            "label": "Recordings",
            "value": catalog.recordings,
            "fact": Fact("recordings", catalog.recordings, str(catalog.recordings)),
            "hint": text(
                "overview.tracks_listed",
                tracks=f"{catalog.tracks} tracks",
                recordings=recordings_count(catalog.recordings),
            ),
        },
        {"label": "Catalog length", "value": f"{hours:.1f} h"},
        {"label": "Own playlists", "value": len(run.playlists)},
    ]
)
if catalog.differs or catalog.appearances:
    fact_note(
        catalog_template(catalog),
        recordings=Fact("recordings", catalog.recordings, recordings_count(catalog.recordings)),
        releases=Fact("releases", catalog.releases, str(catalog.releases)),
        appearances=Fact("appearances", catalog.appearances, str(catalog.appearances)),
        catalog_tracks=Fact("catalog_tracks", catalog.tracks, str(catalog.tracks)),
    )

# %%
for artist in artists.itertuples():
    # every track crediting the artist: its own and the songs it is featured on
    tracks = tracks_crediting(run.tracks, artist.artist_id)
    heading(artist.name)
    if tracks.empty:
        note("No tracks stored for this artist yet.", kind="missing")
        continue
    releases = run.albums[run.albums["album_id"].isin(tracks["album_id"])]
    # another artist's release carrying a song the artist is featured on is an appearance
    own = count_artist_catalog(run.albums, run.tracks, artist_id=artist.artist_id)
    show(figures.tracks_per_release(releases, tracks))
    listing = tracks.merge(
        run.albums[["album_id", "name", "release_date"]], on="album_id", how="left", suffixes=("", "_release")
    )
    # newest release first, then in track order, as the releases read
    listing = listing.sort_values(["release_date", "album_id", "track_number"], ascending=[False, True, True])
    listing = listing.assign(length=[minutes_seconds(ms) for ms in listing["duration_ms"]])
    fact_note(
        catalog_template(own),
        recordings=Fact(f"recordings-{artist.artist_id}", own.recordings, recordings_count(own.recordings)),
        releases=Fact(f"releases-{artist.artist_id}", own.releases, str(own.releases)),
        appearances=Fact(f"appearances-{artist.artist_id}", own.appearances, str(own.appearances)),
        catalog_tracks=Fact(f"catalog-tracks-{artist.artist_id}", own.tracks, str(own.tracks)),
    )
    table(
        listing[["name", "name_release", "track_number", "length", "isrc"]].rename(
            columns={"name": "track", "name_release": "release", "track_number": "#", "isrc": "ISRC"}
        ),
    )

# %%
heading("Track durations")
show(figures.duration_distribution(run.tracks))

# %%
heading("Playlists")
if run.playlists.empty:
    note("No playlists owned by or shared with this account.", kind="missing")
else:
    yes_no = {True: "yes", False: "no"}
    table(
        run.playlists.assign(
            public=run.playlists["public"].map(yes_no),
            collaborative=run.playlists["collaborative"].map(yes_no),
        )[["name", "total_items", "public", "collaborative"]].rename(
            columns={"name": "playlist", "total_items": "tracks"}
        )
    )

# %%
quota_mode = run.manifest.get("quota_mode", "development")
if quota_mode == "development":
    note(
        "Quota mode: development. Spotify no longer gives followers, popularity or labels to "
        "development-mode apps, so this page does not show them.",
        kind="missing",
    )
