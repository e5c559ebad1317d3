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
# # Exploring the warehouse
#
# A starting point for analysis: what the warehouse holds, which streaming sources cover which
# artists and days, one artist's numbers through the same functions the report uses, and the
# audio features of the run. The warehouse comes from the environment (`ENCORE_DATABASE_URL` or
# `ENCORE_DATA_DIR`); nothing secret goes into parameters.

# %% tags=["parameters"]
run_dir: str = ""  # run folder with the validated datasets; empty: the main job's latest run
artist_id: str = ""  # artist to look at closely; empty: the run's first artist
period_start: str = ""  # first day of the period, ISO date, inclusive; empty: the latest 28 days with data
period_end: str = ""  # last day of the period, ISO date, inclusive; empty: the latest day with data
top_n: int = 10  # rows to show in rankings

# %%

from analytics.config import Settings
from analytics.reports import figures, heading, load_artist_data, load_run, note, show, table
from analytics.reports.explore import inventory, latest_period, latest_run_dir, stream_coverage
from analytics.reports.measures import track_momentum
from analytics.warehouse import Warehouse

settings = Settings()
warehouse = Warehouse.from_settings(settings)
run = load_run(latest_run_dir(settings, run_dir))
period = latest_period(warehouse, start=period_start, end=period_end)
start, end = period.start, period.end

# %% [markdown]
# ## What the warehouse holds

# %%
table(inventory(warehouse), max_rows=60, caption="Rows per table")

# %%
coverage = stream_coverage(warehouse)
if coverage.empty:
    note("No streaming metrics yet: run collect_streaming_metrics.", kind="missing")
else:
    table(coverage, max_rows=60, caption="Streaming coverage by artist, source and level")

# %% [markdown]
# ## One artist

# %%
artist = artist_id or str(run.artists["artist_id"].iloc[0])
data = load_artist_data(run, warehouse, artist_id=artist, start=start, end=end)
heading(data.name, level=3)
for section, why in data.missing.items():
    note(f"{section}: {why}", kind="missing")

# %%
if data.has("streaming"):
    show(figures.streams_over_time(data.artist_daily, anomalies=data.anomalies, title="Streams a day"))
    table(track_momentum(data.track_daily, data.tracks, start=start, end=end, top=top_n), max_rows=top_n)

# %% [markdown]
# ## Audio features of the run

# %%
if "audio_features" in run.datasets:
    features = run.datasets["audio_features"]
    numeric = features.select_dtypes("number")
    table(numeric.describe().T.reset_index().round(3), max_rows=80, caption=f"{len(features)} analysed files")
else:
    note("This run has no audio_features dataset: run analyze_tracks.", kind="missing")

# %%
warehouse.dispose()
