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
# # Playlist curation
#
# How one playlist definition is curated from the stored catalog, streaming metrics and audio
# features, exactly as `update_playlist` does it but without talking to Spotify: every
# candidate's score in its parts, what the rules left out and why, the order with the reason for
# each place, the energy arc, each transition's cost, and the order's total cost against
# nearest neighbour, random orders and the lower bound no order goes below. Everything reads
# through `analytics.reports.curation_explorer`; `view` keeps the objects for your own analysis
# (`view.curated`, `view.scores`, `view.problem`). The warehouse comes from the environment
# (`ENCORE_DATABASE_URL` or `ENCORE_DATA_DIR`).

# %% tags=["parameters"]
definition: str = "maxstack-essentials"  # a name in config/playlists/ or a path to a YAML definition
today: str = ""  # the day recency is measured from, ISO date; empty: today (UTC)

# %%
from datetime import UTC, date, datetime

from analytics.config import Settings
from analytics.reports import curation_explorer as explorer
from analytics.warehouse import Warehouse

settings = Settings()
warehouse = Warehouse.from_settings(settings)
view = explorer.load_curation(
    warehouse,
    definition,
    today=date.fromisoformat(today) if today else datetime.now(UTC).date(),
)
warehouse.dispose()

# %%
explorer.scores(view)

# %%
explorer.order(view)

# %%
found = explorer.sequencing(view)
