"""Fixtures: Spotify sandboxes in both quota modes and HTTP clients whose every response is checked
against the Spotify OpenAPI spec (tests/sandbox/conformance.py)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox
from tests.conftest import TEST_HTTP_TIMEOUT_S
from tests.sandbox import conformance

MAXSTACK = "YQhOGXX8g2pM1yHEFVFAjK"
SECTOID = "C6rVeFm4k7WnQjMQx9CCLT"
VARIOUS = "v4RH0AFTrFWEtQCVVOcaUa"
SOUNDTRACK = "BNHkI8hBgDXl9S7kSoUooy"  # album, 10 tracks
SAMPLER = "3ih716Egkv5DhRxtYve04v"  # compilation with Maxstack and Sectoid tracks
ADVANCED_SIMULACRA = "fo5gJDtPCnbCesUtaAhLuw"  # track 1 of SOUNDTRACK, ISRC ZZENC2600001
THIS_IS_MAXSTACK = "y73Jp9KsyZXEMUvUv8ugYj"  # owned by the demo user, 8 tracks
NIGHT_DRIVE = "uFjwziLPcufB4E79MBqowV"  # owned by the demo user, collaborative, private
SOMEONE_ELSES = "yjWWdZTFeyMJS1UIwlrdAc"  # owned by another-user, public
UNKNOWN_ID = "0000000000000000000000"


def fetch_token(sb: SpotifySandbox, *, user: bool = True) -> str:
    """An access token from the sandbox's accounts service: the demo user's, or the app's."""
    data = (
        {"grant_type": "refresh_token", "refresh_token": sb.user_refresh_token}
        if user
        else {"grant_type": "client_credentials"}
    )
    response = httpx.post(
        sb.token_url, data=data, auth=(sb.client_id, sb.client_secret), timeout=TEST_HTTP_TIMEOUT_S
    )
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


class Api:
    """An httpx client on ``sb.api_url``; every response is validated against the spec for its operation."""

    def __init__(self, sb: SpotifySandbox, token: str | None) -> None:
        self.sb = sb
        self.validated = 0
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        self.client = httpx.Client(
            base_url=sb.api_url, headers=headers, event_hooks={"response": [self._check]}, timeout=10
        )

    def _check(self, response: httpx.Response) -> None:
        response.read()
        if response.status_code in (204, 304) or not response.content:
            return
        if "fields" in response.request.url.params and response.status_code == 200:
            return  # a fields filter returns a partial object by design
        body = json.loads(response.content)
        mode = self.sb.runtime.quota_mode
        if conformance.validate(
            response.request.method, response.request.url.path, response.status_code, body, mode=mode
        ):
            self.validated += 1

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.request(method, path, **kwargs)

    def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.client.get(path, **kwargs)

    def json(self, path: str, **kwargs: Any) -> Any:
        response = self.client.get(path, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()

    def close(self) -> None:
        self.client.close()


@pytest.fixture
def dev_sb() -> Iterator[SpotifySandbox]:
    with SpotifySandbox(SandboxOptions(quota_mode="development")).running() as sb:
        yield sb


@pytest.fixture
def ext_sb() -> Iterator[SpotifySandbox]:
    with SpotifySandbox(SandboxOptions(quota_mode="extended")).running() as sb:
        yield sb


@pytest.fixture
def api_for() -> Iterator[Callable[..., Api]]:
    """``api_for(sb, user=True)``: a validating client with the demo user's (or the app's) token."""
    made: list[Api] = []

    def make(sb: SpotifySandbox, *, user: bool = True, token: str | None = "fetch") -> Api:
        api = Api(sb, fetch_token(sb, user=user) if token == "fetch" else token)
        made.append(api)
        return api

    yield make
    for api in made:
        api.close()


@pytest.fixture
def dev(dev_sb: SpotifySandbox, api_for: Callable[..., Api]) -> Api:
    return api_for(dev_sb)


@pytest.fixture
def ext(ext_sb: SpotifySandbox, api_for: Callable[..., Api]) -> Api:
    return api_for(ext_sb)
