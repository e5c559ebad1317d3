"""What the platform connectors do alike: connect, sample recent posts, renew an expiring token.

A module of :mod:`analytics.social.platforms` keeps only what is its platform's own (URLs, field
names, payload models, how it renews a token, how it reads its rate limits) and subclasses
:class:`PlatformConnector`, or :class:`RenewingConnector` when its access tokens expire.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import Any, ClassVar, TypedDict, Unpack

from pydantic import SecretStr

from analytics.social.base import StoredToken, TokenStore
from analytics.social.http import PlatformHttp
from analytics.social.models import DEFAULT_SAMPLE_POSTS, SocialAccount, SocialPost


class HttpOptions(TypedDict, total=False):
    """The keywords a connector hands on to its :class:`~analytics.social.http.PlatformHttp`.

    Attributes
    ----------
    max_wait_s : the most time one call spends waiting for rate limits, in total.
    retry_base_delay_s : the first backoff delay after a 5xx or a network error.
    sleep, now : the clock, injectable so tests record waits instead of sleeping.
    """

    max_wait_s: float
    retry_base_delay_s: float
    sleep: Callable[[float], None]
    now: Callable[[], datetime]


class ConnectionOptions(HttpOptions, total=False):
    """The keywords every connector's constructor takes, whatever its platform.

    Attributes
    ----------
    base_url : the platform's API root (the real API or a loopback emulator); None: the
        connector's ``default_base_url``.
    sample_posts : how many recent posts a snapshot samples (0: none).
    page_size : how many posts to ask for a page; at most the platform's ``max_page_size``,
        which is also the default.
    """

    base_url: str | None
    sample_posts: int
    page_size: int


class TokenOptions(ConnectionOptions, total=False):
    """The keywords of a connector whose tokens expire: see :class:`RenewingConnector`."""

    token_expires_at: datetime | None
    refresh_margin: timedelta
    tokens: TokenStore | None


def options_from_settings(settings: Any, *, base_url: str) -> ConnectionOptions:
    """The connection options encore's settings give every platform, for the API root ``base_url``."""
    return ConnectionOptions(
        base_url=base_url,
        max_wait_s=settings.social_max_retry_wait_s,
        retry_base_delay_s=settings.social_retry_base_delay_s,
    )


class PlatformConnector(ABC):
    """HTTP to one platform with the shared retry policy, its clock, and the posts a snapshot samples.

    A subclass names its ``platform``, ``default_base_url``, ``max_page_size`` and
    ``profile_url`` and reads :meth:`recent_posts` in its platform's way.

    Parameters
    ----------
    headers : sent with every request (an API key or an app-only bearer token).
    base_url, sample_posts, page_size : see :class:`ConnectionOptions`.
    **http : see :class:`HttpOptions`; the defaults are :class:`~analytics.social.http.PlatformHttp`'s.
    """

    platform: ClassVar[str]
    default_base_url: ClassVar[str]
    max_page_size: ClassVar[int]
    profile_url: ClassVar[re.Pattern[str]]
    """A profile page's URL, the handle in its first group that matched."""
    reserved_paths: ClassVar[frozenset[str]] = frozenset()
    """The platform's own pages whose URLs look like profiles (``explore``, ``search``), lower case."""

    def __init__(
        self,
        *,
        headers: Mapping[str, str] | None = None,
        base_url: str | None = None,
        sample_posts: int = DEFAULT_SAMPLE_POSTS,
        page_size: int | None = None,
        **http: Unpack[HttpOptions],
    ) -> None:
        self.http = PlatformHttp(self.platform, base_url or self.default_base_url, headers=headers, **http)
        self.now = self.http.now
        self.sample_posts = sample_posts
        wanted = self.max_page_size if page_size is None else page_size
        self.page_size = max(1, min(wanted, self.max_page_size))

    @classmethod
    def handle_from_url(cls, url: str) -> str | None:
        """The handle in a profile ``url`` of the platform, as the URL spells it; None for any other URL."""
        match = cls.profile_url.match(url.strip())
        handle = next((group for group in match.groups() if group), None) if match else None
        if handle is None or handle.lower() in cls.reserved_paths:
            return None
        return handle

    @abstractmethod
    def recent_posts(self, account: SocialAccount, *, limit: int) -> list[SocialPost]:
        """Up to ``limit`` most recent posts, newest first, following the platform's paging."""

    def sampled_posts(self, account: SocialAccount) -> list[SocialPost]:
        """The ``sample_posts`` most recent posts a snapshot sums up; none asked for when it is 0."""
        return self.recent_posts(account, limit=self.sample_posts) if self.sample_posts else []

    def close(self) -> None:
        """Close the HTTP client's connections."""
        self.http.close()


class RenewingConnector(PlatformConnector):
    """A connector whose access token expires: renewed ahead of expiry, kept in the token store.

    The token is renewed once ``refresh_margin`` or less is left, or half of its lifetime for
    tokens that live shorter than the margin (not on every call). A token the store holds from
    an earlier run replaces the configured one, unless the configured one is known to expire later.

    Parameters
    ----------
    access_token : the configured access token.
    refresh_token : what the platform trades for a new access token, if it uses one.
    token_expires_at : when ``access_token`` expires; None: unknown, never renewed ahead.
    refresh_margin : how long before expiry to renew; None: the platform's ``default_refresh_margin``.
    tokens : where renewed tokens are kept between runs; None: in memory only.
    **options : see :class:`ConnectionOptions`.
    """

    default_refresh_margin: ClassVar[timedelta]

    def __init__(
        self,
        access_token: SecretStr,
        *,
        refresh_token: SecretStr | None = None,
        token_expires_at: datetime | None = None,
        refresh_margin: timedelta | None = None,
        tokens: TokenStore | None = None,
        **options: Unpack[ConnectionOptions],
    ) -> None:
        super().__init__(**options)
        self.tokens = tokens or TokenStore()
        stored = self.tokens.get(self.platform)
        if stored is not None and (
            token_expires_at is None or (stored.expires_at or self.now()) > token_expires_at
        ):
            access_token, token_expires_at = stored.access_token, stored.expires_at
            refresh_token = stored.refresh_token or refresh_token
        self._token = access_token
        self._refresh_token = refresh_token
        self.token_expires_at = token_expires_at
        self.refresh_margin = self.default_refresh_margin if refresh_margin is None else refresh_margin
        self._lifetime: timedelta | None = None
        self.refreshes = 0

    @abstractmethod
    def refresh(self) -> None:
        """Trade for a new access token at the platform and :meth:`_keep` it."""

    def _refresh_if_due(self) -> None:
        if self.token_expires_at is None:
            return
        margin = (
            self.refresh_margin if self._lifetime is None else min(self.refresh_margin, self._lifetime / 2)
        )
        if self.token_expires_at - self.now() <= margin:
            self.refresh()

    def _keep(self, access_token: str, *, expires_in: int, refresh_token: str | None = None) -> None:
        """Use the renewed token from now on, and store it for the runs to come."""
        self._token = SecretStr(access_token)
        if refresh_token:
            self._refresh_token = SecretStr(refresh_token)
        self._lifetime = timedelta(seconds=expires_in)
        self.token_expires_at = self.now() + self._lifetime
        self.tokens.put(self.platform, StoredToken(self._token, self.token_expires_at, self._refresh_token))
        self.refreshes += 1

    def _bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self._token.get_secret_value()}"}
