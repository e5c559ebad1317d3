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
run_dir: str = ""  # a run with audio features (analyze_tracks' own, say); empty: the latest main run
language: str = "en"  # en, fr or de: headings, notes, tables and charts, number format

# %%
# One artist's sound, measured from their own audio files: the features of every recording,
# key and tempo, loudness against Spotify's -14 LUFS playback level, which tracks sound alike
# and why, groups and outliers. Every part reads through `analytics.reports.tracks` (features
# from `analytics.audio`, similarity and groups from `analytics.ml`). The warehouse comes from
# the environment (ENCORE_DATABASE_URL or ENCORE_DATA_DIR), never from a parameter.
from analytics.config import Settings
from analytics.reports import contents
from analytics.reports import tracks as page
from analytics.reports.explore import latest_run_dir
from analytics.reports.texts import check_language
from analytics.warehouse import Warehouse

check_language(language)  # an unsupported language fails here, before anything is read
settings = Settings()
warehouse = Warehouse.from_settings(settings)
data = page.load_track_analysis(latest_run_dir(settings, run_dir), warehouse, artist_id=artist_id)
warehouse.dispose()
contents(page.contents_of(language=language))

# %%
page.summary(data, language=language)

# %%
page.features_table(data, language=language)

# %%
page.key_and_tempo(data, language=language)

# %%
page.loudness(data, language=language)

# %%
points = page.sounds_like(data, language=language)

# %%
page.groups(data, points, language=language)

# %%
page.methods(data, language=language)
