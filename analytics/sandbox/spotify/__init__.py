"""A loopback emulator of the Spotify Web API (2026 surface) and its accounts service.

Public interface::

    from analytics.sandbox.spotify import SpotifySandbox, SandboxOptions, FaultRule, SyntheticCatalogSpec

    with SpotifySandbox(SandboxOptions(quota_mode="development")).running() as sb:
        sb.api_url, sb.accounts_url, sb.client_id, sb.client_secret, sb.user_refresh_token
        sb.stats(); sb.requests; sb.state
        sb.set_faults([FaultRule(route="/v1/artists/*", kind="status", status=503)])
        sb.force_rate_limit(retry_after_s=3600, count=1)

See ``docs/sandbox.md``.

The exports are listed in ``__init__.pyi`` and loaded on first use (lazy_loader): the command
line and a module that needs only the options import no web framework.
"""

import lazy_loader as lazy

__getattr__, __dir__, __all__ = lazy.attach_stub(__name__, __file__)
