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
period_start: str = "2026-10-26"  # first day of the period, ISO date, inclusive
period_end: str = "2026-11-22"  # last day of the period, ISO date, inclusive
run_dir: str = "data/runs/latest"  # where the flow left this run's validated datasets
quota_mode: str = ""  # development | extended; empty: the run's own
language: str = "en"  # en, fr or de: headings and notes, number and date format, drafts in it first
data_docs_href: str = ""  # relative link to the run's Data Docs beside the report; empty: none
run_id: str = ""  # run shown under Methods; empty: the run manifest's
code_version: str = ""  # code version shown under Methods; empty: this checkout's

# %%
# One artist's report for one period: streams, top tracks, countries, social audience, the sound
# of the catalog, playlist changes, alerts, posts ready to copy, data quality, methods and limits.
# Every section reads through `analytics.reports`; a section without data says what is missing
# and why. The warehouse comes from the environment (ENCORE_DATABASE_URL or ENCORE_DATA_DIR),
# never from a parameter.
from datetime import date

from analytics.config import Settings
from analytics.reports import load_artist_data, load_run, sections
from analytics.reports.texts import check_language
from analytics.warehouse import Warehouse

check_language(language)
if not code_version:
    from analytics.audit import code_version as checkout_version

    code_version = checkout_version()
run = load_run(run_dir, artist_id=artist_id)
settings = Settings()
warehouse = Warehouse.from_settings(settings)
data = load_artist_data(
    run,
    warehouse,
    artist_id=artist_id,
    start=date.fromisoformat(period_start),
    end=date.fromisoformat(period_end),
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
sections.countries(data, language=language)

# %%
sections.social(data, language=language)

# %%
sections.sound(data, language=language)

# %%
sections.playlists(data, language=language)

# %%
sections.alerts(data, language=language)

# %%
sections.posts(data, language=language)

# %%
sections.data_quality(data, data_docs_href=data_docs_href, language=language)

# %%
sections.methods(
    data,
    run_id=run_id or str(run.manifest.get("run_id", run.run_dir.name)),
    code_version=code_version,
    language=language,
)
