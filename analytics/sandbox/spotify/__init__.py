"""A loopback emulator of the Spotify Web API (2026 surface) and its accounts service.

Public interface::

    from analytics.sandbox.spotify import SpotifySandbox, SandboxOptions, FaultRule, SyntheticCatalogSpec

    with SpotifySandbox(SandboxOptions(quota_mode="development")).running() as sb:
        sb.api_url, sb.accounts_url, sb.client_id, sb.client_secret, sb.user_refresh_token
        sb.stats(); sb.requests; sb.state
        sb.set_faults([FaultRule(route="/v1/artists/*", kind="status", status=503)])
        sb.force_rate_limit(retry_after_s=3600, count=1)

See ``docs/sandbox.md``.
"""

from __future__ import annotations

from analytics.sandbox.spotify.catalog import CatalogFormatError
from analytics.sandbox.spotify.controls import RequestRecord, Stats
from analytics.sandbox.spotify.options import (
    DEMO_CLIENT_ID,
    DEMO_CLIENT_SECRET,
    DEMO_REFRESH_TOKEN,
    DEMO_USER_ID,
    FaultRule,
    SandboxOptions,
    SyntheticCatalogSpec,
)
from analytics.sandbox.spotify.server import SpotifySandbox
from analytics.sandbox.spotify.state import CatalogState
from analytics.sandbox.spotify.synthetic import generate_catalog

__all__ = [
    "DEMO_CLIENT_ID",
    "DEMO_CLIENT_SECRET",
    "DEMO_REFRESH_TOKEN",
    "DEMO_USER_ID",
    "CatalogFormatError",
    "CatalogState",
    "FaultRule",
    "RequestRecord",
    "SandboxOptions",
    "SpotifySandbox",
    "Stats",
    "SyntheticCatalogSpec",
    "generate_catalog",
]
