"""Playlist curation: definitions as data, scoring, selection, sequencing and safe apply.

>>> definition = load_definition("config/playlists/essentials.yaml")      # doctest: +SKIP
>>> curated = curate(definition, candidates, today=date.today())          # doctest: +SKIP
>>> plan = make_plan(client, curated)                                     # doctest: +SKIP
>>> print(plan.render())                                                  # dry run  # doctest: +SKIP
>>> result = apply_plan(client, plan)                                     # doctest: +SKIP

See docs/curation.md. The names (``__init__.pyi``) load on first use, so that a command
refusing a wrong definition does not load the solver, pandas or the Spotify client.
"""

import lazy_loader as lazy

__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
