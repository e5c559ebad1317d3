"""MusicBrainz web service (``/ws/2``): which artist links a Spotify URL, and that artist's URLs.

MusicBrainz asks for a meaningful User-Agent and at most one request per second; the client
keeps both. A 503 is its rate-limit answer and is waited out within the wait budget.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx
from pydantic import model_validator

from analytics.social.errors import PlatformError
from analytics.social.http import PlatformHttp, Verdict, json_body, retry_after
from analytics.social.payloads import Payload, Text, parse

SOURCE = "musicbrainz"
USER_AGENT = "encore/0.1 ( https://github.com/encore-analytics/encore )"


@dataclass(frozen=True)
class MBArtist:
    mbid: str
    name: str
    disambiguation: str = ""


@dataclass(frozen=True)
class MBUrl:
    """One URL relationship of an artist (``type`` as MusicBrainz names it, e.g. 'youtube')."""

    type: str
    resource: str
    ended: bool = False


class MusicBrainz(Protocol):
    def artists_for_url(self, resource: str) -> list[MBArtist]: ...

    def artist_urls(self, mbid: str) -> list[MBUrl]: ...


class MusicBrainzClient:
    """The real adapter; point ``base_url`` at the loopback emulator for the sandbox."""

    def __init__(
        self,
        *,
        base_url: str = "https://musicbrainz.org/ws/2",
        min_interval_s: float = 1.0,
        max_wait_s: float = 30.0,
        retry_base_delay_s: float = 0.4,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http = PlatformHttp(
            SOURCE,
            base_url,
            max_wait_s=max_wait_s,
            retry_base_delay_s=retry_base_delay_s,
            sleep=sleep,
            headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
            classify_statuses=frozenset({503}),
        )
        self.min_interval_s = min_interval_s
        self._sleep = sleep
        self._monotonic = monotonic
        self._last: float | None = None

    @classmethod
    def from_settings(cls, settings: Any, *, base_url: str | None = None) -> MusicBrainzClient:
        return cls(
            base_url=base_url or settings.musicbrainz_url,
            min_interval_s=settings.musicbrainz_min_interval_s if base_url is None else 0.0,
            max_wait_s=settings.social_max_retry_wait_s,
            retry_base_delay_s=settings.social_retry_base_delay_s,
        )

    def _get(self, path: str, params: dict[str, str]) -> Any:
        if self._last is not None:
            gap = self.min_interval_s - (self._monotonic() - self._last)
            if gap > 0:
                self._sleep(gap)
        try:
            return self.http.call("GET", path, _classify, params={**params, "fmt": "json"})
        finally:
            self._last = self._monotonic()

    def artists_for_url(self, resource: str) -> list[MBArtist]:
        """Artists related to the URL entity ``resource`` (empty when MusicBrainz has no such URL)."""
        body = self._get("url", {"resource": resource, "inc": "artist-rels"})
        if body is None:
            return []
        return [
            MBArtist(mbid=rel.artist.id, name=rel.artist.name, disambiguation=rel.artist.disambiguation or "")
            for rel in parse(SOURCE, _ArtistRelations, body).relations or []
            if rel.artist is not None
        ]

    def artist_urls(self, mbid: str) -> list[MBUrl]:
        body = self._get(f"artist/{mbid}", {"inc": "url-rels"})
        if body is None:
            return []
        return [
            MBUrl(type=rel.type or "", resource=rel.url.resource, ended=bool(rel.ended))
            for rel in parse(SOURCE, _UrlRelations, body).relations or []
            if rel.url is not None
        ]

    def close(self) -> None:
        self.http.close()


class _Artist(Payload):
    id: Text
    name: Text
    disambiguation: str | None = None


class _ArtistRelation(Payload):
    artist: _Artist | None

    @model_validator(mode="before")
    @classmethod
    def _artists_only(cls, data: Any) -> Any:
        # relations to other kinds of entities are skipped, whatever they hold
        return data if not isinstance(data, dict) or data.get("target-type") == "artist" else {"artist": None}


class _ArtistRelations(Payload):
    relations: list[_ArtistRelation] | None = None


class _Url(Payload):
    resource: Text


class _UrlRelation(Payload):
    type: str | None = None
    url: _Url | None
    ended: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _urls_only(cls, data: Any) -> Any:
        return data if not isinstance(data, dict) or data.get("target-type") == "url" else {"url": None}


class _UrlRelations(Payload):
    relations: list[_UrlRelation] | None = None


def _classify(response: httpx.Response) -> Verdict:
    if response.status_code == 404:
        return Verdict.ok(None)
    if response.status_code == 503:  # MusicBrainz's answer when the rate limit is exceeded
        return Verdict.wait(retry_after(response), "HTTP 503 rate limit")
    body = json_body(SOURCE, response)
    if response.status_code == 200:
        return Verdict.ok(body)
    message = str(body.get("error", "")) if isinstance(body, dict) else ""
    return Verdict.fail(PlatformError(SOURCE, f"HTTP {response.status_code}: {message[:200]}"))
