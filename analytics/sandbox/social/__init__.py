"""Loopback emulators of the social platforms (YouTube, Instagram, X, TikTok) and MusicBrainz.

The exports are listed in ``__init__.pyi`` and loaded on first use (lazy_loader): the command
line and a module that needs only the options import no web framework.
"""

import lazy_loader as lazy

__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
