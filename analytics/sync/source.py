"""Where the sync reads from: the loopback sandbox (default) or the real Web API."""

from __future__ import annotations

import socket
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from pydantic import SecretStr

from analytics.config import Settings
from analytics.spotify import SpotifyClient

SANDBOX_TOKEN_CACHE = "sandbox-spotify-token.json"  # noqa: S105 - a file name, not a secret


@contextmanager
def spotify_client(settings: Settings, **client_options: Any) -> Iterator[SpotifyClient]:
    """A client for ``settings``: against an in-process sandbox when ``settings.spotify_sandbox``.

    The sandbox serves ``settings.catalog_file`` (default: the demo catalog) in
    ``settings.quota_mode``, with its own demo credentials (the user's are not sent to it);
    otherwise the client uses the real API with the configured credentials.
    ``client_options`` go to :meth:`SpotifyClient.from_settings` (``policy``, ``sleep``, ...).
    """
    if not settings.spotify_sandbox:
        with SpotifyClient.from_settings(settings, **client_options) as client:
            yield client
        return
    from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox

    options = SandboxOptions(
        quota_mode=settings.quota_mode.value,
        catalog_path=settings.catalog_file,
        port=stable_port(str(settings.data_dir)),
    )
    # the sandbox issues new tokens each time it starts: a cached one would only cost a 401
    (settings.data_dir / "cache" / SANDBOX_TOKEN_CACHE).unlink(missing_ok=True)
    with (
        SpotifySandbox(options).running() as sandbox,
        sandbox_client(settings, sandbox, **client_options) as c,
    ):
        yield c


def stable_port(seed: str, *, host: str = "127.0.0.1") -> int:
    """The same free loopback port for the same ``seed`` run after run, else any free port (0).

    The sandbox's bodies carry its URL, so a stable port lets the next run's conditional
    requests get 304s.
    """
    port = 20000 + zlib.crc32(seed.encode()) % 20000
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            sock.bind((host, port))
        except OSError:
            return 0
    return port


@contextmanager
def sandbox_client(settings: Settings, sandbox: Any, **client_options: Any) -> Iterator[SpotifyClient]:
    """A user-token client on a running :class:`~analytics.sandbox.spotify.SpotifySandbox`."""
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
