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

# %% tags=["parameters"]
run_dir: str = ""  # where the flow left this run's datasets; empty: the main job's latest run
artist_ids: list[str] = []  # artists to show; empty: every artist in the run
language: str = "en"  # en, fr or de: headings, notes, tables and charts, number format

# %%
from analytics.catalog.counts import count_artist_catalog, count_catalog, tracks_crediting
from analytics.config import Settings
from analytics.reports import figures, heading, load_run, metric_cards, note, set_aside, show, table
from analytics.reports.display import fact_note
from analytics.reports.explore import latest_run_dir
from analytics.reports.report_facts import Fact
from analytics.reports.texts import check_language, text, tracks_count
from analytics.reports.words import catalog_template, minutes_seconds, plain_number, recordings_count

check_language(language)  # an unsupported language fails here, before anything is shown
note(text("catalog.intro", language=language), kind="info")
run = load_run(latest_run_dir(Settings(), run_dir))
artists = run.artists if not artist_ids else run.artists[run.artists["artist_id"].isin(artist_ids)]
set_aside(run.manifest.get("set_aside", []), language=language)  # what the run completed without
# the catalog counted once, by recording (tracks sharing an ISRC are one); every count below reads it
catalog = count_catalog(run.albums, run.tracks)
hours = run.tracks.drop_duplicates("isrc")["duration_ms"].sum() / 3_600_000

# %%
metric_cards(
    [
        {"label": text("catalog.card.artists", language=language), "value": len(artists)},
        {
            "label": text("catalog.card.releases", language=language),
            "value": catalog.releases,
            "fact": Fact("releases", catalog.releases, str(catalog.releases)),
        },
        {
            "label": text("catalog.card.recordings", language=language),
            "value": catalog.recordings,
            "fact": Fact("recordings", catalog.recordings, str(catalog.recordings)),
            "hint": text(
                "overview.tracks_listed",
                language=language,
                tracks=tracks_count(catalog.tracks, language=language),
                recordings=recordings_count(catalog.recordings, language=language),
            ),
        },
        {
            "label": text("catalog.card.length", language=language),
            "value": text("catalog.hours", language=language, hours=plain_number(hours, language=language)),
        },
        {"label": text("catalog.card.playlists", language=language), "value": len(run.playlists)},
    ]
)
if catalog.differs or catalog.appearances:
    fact_note(
        catalog_template(catalog, language=language),
        recordings=Fact(
            "recordings", catalog.recordings, recordings_count(catalog.recordings, language=language)
        ),
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
        note(text("catalog.no_tracks", language=language), kind="missing")
        continue
    releases = run.albums[run.albums["album_id"].isin(tracks["album_id"])]
    # another artist's release carrying a song the artist is featured on is an appearance
    own = count_artist_catalog(run.albums, run.tracks, artist_id=artist.artist_id)
    show(figures.tracks_per_release(releases, tracks, language=language))
    listing = tracks.merge(
        run.albums[["album_id", "name", "release_date"]], on="album_id", how="left", suffixes=("", "_release")
    )
    # newest release first, then in track order, as the releases read
    listing = listing.sort_values(["release_date", "album_id", "track_number"], ascending=[False, True, True])
    listing = listing.assign(length=[minutes_seconds(ms) for ms in listing["duration_ms"]])
    fact_note(
        catalog_template(own, language=language),
        recordings=Fact(
            f"recordings-{artist.artist_id}",
            own.recordings,
            recordings_count(own.recordings, language=language),
        ),
        releases=Fact(f"releases-{artist.artist_id}", own.releases, str(own.releases)),
        appearances=Fact(f"appearances-{artist.artist_id}", own.appearances, str(own.appearances)),
        catalog_tracks=Fact(f"catalog-tracks-{artist.artist_id}", own.tracks, str(own.tracks)),
    )
    table(
        listing[["name", "name_release", "track_number", "length", "isrc"]].rename(
            columns={
                "name": text("catalog.column.track", language=language),
                "name_release": text("catalog.column.release", language=language),
                "track_number": text("catalog.column.number", language=language),
                "length": text("catalog.column.length", language=language),
                "isrc": text("catalog.column.isrc", language=language),
            }
        ),
    )

# %%
heading(text("catalog.heading.durations", language=language))
show(figures.duration_distribution(run.tracks, language=language))

# %%
heading(text("catalog.heading.playlists", language=language))
if run.playlists.empty:
    note(text("catalog.no_playlists", language=language), kind="missing")
else:
    yes_no = {True: text("word.yes", language=language), False: text("word.no", language=language)}
    table(
        run.playlists.assign(
            public=run.playlists["public"].map(yes_no),
            collaborative=run.playlists["collaborative"].map(yes_no),
        )[["name", "total_items", "public", "collaborative"]].rename(
            columns={
                "name": text("catalog.column.playlist", language=language),
                "total_items": text("catalog.column.tracks", language=language),
                "public": text("catalog.column.public", language=language),
                "collaborative": text("catalog.column.collaborative", language=language),
            }
        )
    )

# %%
quota_mode = run.manifest.get("quota_mode", "development")
if quota_mode == "development":
    note(text("catalog.quota_development", language=language), kind="missing")
