"""A client on a running Spotify sandbox, with the sandbox's own demo credentials.

Which world a run talks to (the real Web API or the loopback sandbox) is decided by the flows'
world assembly, not here: library code receives a :class:`~analytics.spotify.SpotifyApi`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import SecretStr

from analytics.config import Settings
from analytics.spotify import SpotifyClient

SANDBOX_TOKEN_CACHE = "sandbox-spotify-token.json"  # noqa: S105 - a file name, not a secret


@contextmanager
def sandbox_client(settings: Settings, sandbox: Any, **client_options: Any) -> Iterator[SpotifyClient]:
    """A user-token client on a running :class:`~analytics.sandbox.spotify.SpotifySandbox`.

    The sandbox's credentials replace the user's (those are never sent to it); its token cache
    lives in ``settings.data_dir/cache``. ``client_options`` go to
    :meth:`SpotifyClient.from_settings` (``policy``, ``sleep``, ``before_request``, ...).
    """
    local = settings.model_copy(
        update={
            "spotify_client_id": sandbox.client_id,
            "spotify_client_secret": SecretStr(sandbox.client_secret),
            "spotify_refresh_token": SecretStr(sandbox.user_refresh_token),
            "spotify_token_cache": settings.data_dir / "cache" / SANDBOX_TOKEN_CACHE,
        }
    )
    with SpotifyClient.from_settings(
        local, api_url=sandbox.api_url, accounts_url=sandbox.accounts_url, **client_options
    ) as client:
        yield client
