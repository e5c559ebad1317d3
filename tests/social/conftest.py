"""Fixtures: the social sandbox on a loopback port, and connectors pointed at it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from pydantic import SecretStr

from analytics.config import Settings
from analytics.sandbox.social import SocialSandbox
from analytics.social.platforms.instagram import InstagramConnector
from analytics.social.platforms.tiktok import TikTokConnector
from analytics.social.platforms.x import XConnector
from analytics.social.platforms.youtube import YouTubeConnector

DAY = date(2026, 3, 1)
MAXSTACK = {"id": "YQhOGXX8g2pM1yHEFVFAjK", "name": "Maxstack"}
SECTOID = {"id": "C6rVeFm4k7WnQjMQx9CCLT", "name": "Sectoid"}


class Sleeps(list[float]):
    """A sleep that records how long the connector wanted to wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sandbox() -> Iterator[SocialSandbox]:
    with SocialSandbox(seed=7, today=DAY, token_ttl_s={"instagram": 3600, "tiktok": 600}).running() as sb:
        yield sb


@pytest.fixture
def sb_settings(sandbox: SocialSandbox, settings: Settings) -> Settings:
    configured: Settings = sandbox.configure(settings)
    return configured


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def secret(sandbox: SocialSandbox, name: str) -> SecretStr:
    return SecretStr(sandbox.credentials[name])


@pytest.fixture
def youtube(sandbox: SocialSandbox, sleeps: Sleeps) -> Iterator[YouTubeConnector]:
    conn = YouTubeConnector(
        secret(sandbox, "youtube_api_key"),
        base_url=sandbox.base_urls["youtube"],
        sleep=sleeps,
        now=sandbox.now,
    )
    yield conn
    conn.close()


@pytest.fixture
def x(sandbox: SocialSandbox, sleeps: Sleeps) -> Iterator[XConnector]:
    conn = XConnector(
        secret(sandbox, "x_bearer_token"), base_url=sandbox.base_urls["x"], sleep=sleeps, now=sandbox.now
    )
    yield conn
    conn.close()


@pytest.fixture
def instagram(sandbox: SocialSandbox, sb_settings: Settings, sleeps: Sleeps) -> Iterator[InstagramConnector]:
    from datetime import datetime, timedelta

    assert sb_settings.instagram_token_expires_at is not None
    conn = InstagramConnector(
        secret(sandbox, "instagram_access_token"),
        base_url=sandbox.base_urls["instagram"],
        token_expires_at=datetime.fromisoformat(sb_settings.instagram_token_expires_at),
        refresh_margin=timedelta(seconds=600),
        sleep=sleeps,
        now=sandbox.now,
    )
    yield conn
    conn.close()


@pytest.fixture
def tiktok(sandbox: SocialSandbox, sleeps: Sleeps) -> Iterator[TikTokConnector]:
    conn = TikTokConnector(
        secret(sandbox, "tiktok_access_token"),
        base_url=sandbox.base_urls["tiktok"],
        refresh_token=secret(sandbox, "tiktok_refresh_token"),
        client_key=sandbox.credentials["tiktok_client_key"],
        client_secret=secret(sandbox, "tiktok_client_secret"),
        sleep=sleeps,
        now=sandbox.now,
    )
    yield conn
    conn.close()
