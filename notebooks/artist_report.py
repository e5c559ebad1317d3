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
artist_id: str = "YQhOGXX8g2pM1yHEFVFAjK"  # Spotify artist id (default: the demo's Maxstack)
period_start: str = ""  # first day of the period, ISO date, inclusive; empty: the latest 28 days with data
period_end: str = ""  # last day of the period, ISO date, inclusive; empty: the latest day with data
run_dir: str = ""  # the run's folder of validated datasets; empty: the main job's latest run
quota_mode: str = ""  # development | extended; empty: the run's own
language: str = "en"  # en, fr or de: headings and notes, number and date format, drafts in it first
data_docs_href: str = ""  # relative link to the run's Data Docs beside the report; empty: none
run_id: str = ""  # run shown under Methods; empty: the run manifest's
code_version: str = ""  # code version shown under Methods; empty: this checkout's

# %%
# One artist's report for one period: streams, top tracks, where streams come from, the first
# week after a release, countries, social audience, the sound of the catalog, playlist changes,
# the playlists featuring the artist, alerts, posts ready to copy, a page per song, data quality,
# methods and limits.
# Every section reads through `analytics.reports`; a section without data says what is missing
# and why. The warehouse comes from the environment (ENCORE_DATABASE_URL or ENCORE_DATA_DIR),
# never from a parameter.

from analytics.config import Settings
from analytics.reports import load_artist_data, load_run, sections, sections_songs
from analytics.reports.explore import latest_period, latest_run_dir
from analytics.reports.texts import check_language
from analytics.warehouse import Warehouse

check_language(language)
if not code_version:
    from analytics.audit import code_version as checkout_version

    code_version = checkout_version()
settings = Settings()
run = load_run(latest_run_dir(settings, run_dir), artist_id=artist_id)
warehouse = Warehouse.from_settings(settings)
period = latest_period(warehouse, start=period_start, end=period_end, artist_id=artist_id)
data = load_artist_data(
    run,
    warehouse,
    artist_id=artist_id,
    start=period.start,
    end=period.end,
    quota_mode=quota_mode or None,
    language=language,
    cache_dir=settings.data_dir / "cache" / "reports",
)
warehouse.dispose()

# %%
sections.overview(data, language=language)

# %%
sections.streams(data, language=language)

# %%
sections.top_tracks(data, language=language)

# %%
sections_songs.sources(data, language=language)

# %%
sections_songs.release_week(data, language=language)

# %%
sections.countries(data, language=language)

# %%
sections.social(data, language=language)

# %%
sections.sound(data, language=language)

# %%
sections.playlists(data, language=language)

# %%
sections.featured(data, language=language)

# %%
sections.alerts(data, language=language)

# %%
sections.posts(data, language=language)

# %%
sections_songs.songs(data, language=language)

# %%
sections.data_quality(data, data_docs_href=data_docs_href, language=language)

# %%
sections.methods(
    data,
    run_id=run_id or str(run.manifest.get("run_id", run.run_dir.name)),
    code_version=code_version,
    language=language,
)
