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
# # Streaming explorer
#
# One artist's streaming tables: which sources cover which days, daily metrics with the rolling
# 7- and 28-day sums and their deltas, listening rates, tracks, countries, and every anomaly
# with the facts that drove it. Everything reads through `analytics.reports.streaming_explorer`
# over the tables `analytics.streaming` writes; `view` keeps the frames for your own analysis
# (`view.metrics`, `view.artist_daily("history")`, `view.track_daily()`, `view.anomalies`).
# The warehouse comes from the environment (`ENCORE_DATABASE_URL` or `ENCORE_DATA_DIR`).

# %% tags=["parameters"]
artist_id: str = "YQhOGXX8g2pM1yHEFVFAjK"  # Spotify artist id (default: the demo's Maxstack)
start: str = ""  # first day to look at, ISO date (UTC), inclusive; empty: the latest 28 days with data
end: str = ""  # last day to look at, ISO date (UTC), inclusive; empty: the latest day with data

# %%

from analytics.config import Settings
from analytics.reports import streaming_explorer as explorer
from analytics.reports.explore import latest_period
from analytics.warehouse import Warehouse

warehouse = Warehouse.from_settings(Settings())
period = latest_period(warehouse, start=start, end=end, artist_id=artist_id)
view = explorer.load_streaming(warehouse, artist_id=artist_id, start=period.start, end=period.end)
warehouse.dispose()

# %%
explorer.coverage(view)

# %%
explorer.daily_metrics(view)

# %%
explorer.track_table(view)

# %%
explorer.countries(view)

# %%
explained = explorer.anomalies(view)
