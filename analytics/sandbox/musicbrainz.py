"""Emulator of the MusicBrainz web service (``/ws/2``): URL lookups with artist relationships and
artist lookups with URL relationships, in MusicBrainz's JSON shapes, for the demo artists.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from analytics.demo import load_catalog
from analytics.sandbox.social.state import DemoAccount, SandboxState, demo_accounts

NAMESPACE = uuid.UUID("6ba7b811-9dad-11d1-80b4-00c04fd430c8")
TYPE_IDS = {
    "free streaming": "769085a1-c2f7-4c24-a532-2375a77693bd",
    "youtube": "6a540e5b-58c6-4192-b6ba-dbc71ec8fcf0",
    "social network": "99429741-f3f6-484b-84f8-23af51991770",
    "bandcamp": "c550166e-0548-4a18-b1d4-e2ae423a3e88",
}
NOT_FOUND = {"error": "Not Found", "help": "For usage, please see: https://musicbrainz.org/development/mmd"}


def mbid(*parts: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


@dataclass
class MBEntry:
    mbid: str
    name: str
    urls: list[tuple[str, str]]  # (relationship type, resource)
    type: str = "Group"
    disambiguation: str = ""


@dataclass
class MusicBrainzData:
    """Artists with their URL relationships; tests may add entries."""

    artists: dict[str, MBEntry] = field(default_factory=dict)

    def add(self, name: str, urls: list[tuple[str, str]], *, disambiguation: str = "") -> MBEntry:
        entry = MBEntry(mbid(name, disambiguation), name, urls, disambiguation=disambiguation)
        self.artists[entry.mbid] = entry
        return entry

    def by_resource(self, resource: str) -> list[MBEntry]:
        wanted = resource.rstrip("/")
        return [a for a in self.artists.values() if any(r.rstrip("/") == wanted for _, r in a.urls)]

    @classmethod
    def demo(cls) -> MusicBrainzData:
        """Maxstack (one YouTube channel) and Sectoid (two channels: the band's and a Topic one)."""
        ids = {a["name"]: a["id"] for a in load_catalog()["artists"]}
        yt = {a.display_name: a.platform_id for a in demo_accounts() if a.platform == "youtube"}
        data = cls()
        data.add("Maxstack", [
            ("free streaming", f"https://open.spotify.com/artist/{ids['Maxstack']}"),
            ("youtube", "https://www.youtube.com/@maxstack"),
            ("social network", "https://www.instagram.com/maxstack/"),
            ("social network", "https://twitter.com/maxstack"),
            ("social network", "https://www.tiktok.com/@maxstack"),
            ("bandcamp", "https://maxstack.bandcamp.com/"),
        ])  # fmt: skip
        data.add("Sectoid", [
            ("free streaming", f"https://open.spotify.com/artist/{ids['Sectoid']}"),
            ("youtube", f"https://www.youtube.com/channel/{yt['Sectoid']}"),
            ("youtube", f"https://www.youtube.com/channel/{yt['Sectoid - Topic']}"),
            ("social network", "https://www.instagram.com/sectoid_band/"),
            ("social network", "https://x.com/sectoid"),
        ], disambiguation="Fretsonfire metal band")  # fmt: skip
        return data

    @classmethod
    def from_accounts(cls, accounts: Iterable[DemoAccount]) -> MusicBrainzData:
        """One artist per ``spotify_artist_id``, linking its Spotify URL and its accounts' profiles."""
        from analytics.sandbox.social.accounts import profile_url

        grouped: dict[str, list[DemoAccount]] = {}
        for acc in accounts:
            if acc.spotify_artist_id:
                grouped.setdefault(acc.spotify_artist_id, []).append(acc)
        data = cls()
        for spotify_id, owned in grouped.items():
            urls = [("free streaming", f"https://open.spotify.com/artist/{spotify_id}")]
            urls += [
                ("youtube" if a.platform == "youtube" else "social network", profile_url(a)) for a in owned
            ]
            data.add(owned[0].artist or owned[0].display_name, urls)
        return data


def _artist(entry: MBEntry) -> dict[str, Any]:
    return {
        "id": entry.mbid,
        "name": entry.name,
        "sort-name": entry.name,
        "type": entry.type,
        "type-id": "e431f5f6-b5d2-343d-8b36-72607fffb74b",
        "disambiguation": entry.disambiguation,
    }


def _relation(kind: str, target_type: str, direction: str) -> dict[str, Any]:
    return {
        "type": kind,
        "type-id": TYPE_IDS.get(kind, mbid("type", kind)),
        "direction": direction,
        "target-type": target_type,
        "source-credit": "",
        "target-credit": "",
        "begin": None,
        "end": None,
        "ended": False,
        "attributes": [],
        "attribute-ids": {},
        "attribute-values": {},
    }


def musicbrainz_router(data: MusicBrainzData, state: SandboxState) -> APIRouter:
    router = APIRouter()

    def guard(request: Request) -> JSONResponse | None:
        if not request.headers.get("user-agent") or "python-httpx" in request.headers.get("user-agent", ""):
            return JSONResponse({"error": "Please provide a meaningful User-Agent."}, status_code=403)
        if state.take_rate_limit("musicbrainz") is not None:
            message = "Your requests are exceeding the allowable rate limit. Please see https://wiki.musicbrainz.org/XMLWebService for more information."
            return JSONResponse({"error": message}, status_code=503, headers={"Retry-After": "1"})
        return None

    @router.get("/ws/2/url")
    def url(request: Request) -> JSONResponse:
        if (denied := guard(request)) is not None:
            return denied
        resource = request.query_params.get("resource", "")
        owners = data.by_resource(resource)
        if not owners:
            return JSONResponse(NOT_FOUND, status_code=404)
        body: dict[str, Any] = {"id": mbid("url", resource), "resource": resource}
        if "artist-rels" in request.query_params.get("inc", ""):
            body["relations"] = []
            for owner in owners:
                kind = next(k for k, r in owner.urls if r.rstrip("/") == resource.rstrip("/"))
                body["relations"].append({**_relation(kind, "artist", "backward"), "artist": _artist(owner)})
        return JSONResponse(state.corrupt("musicbrainz", body))

    @router.get("/ws/2/artist/{artist_id}")
    def artist(artist_id: str, request: Request) -> JSONResponse:
        if (denied := guard(request)) is not None:
            return denied
        entry = data.artists.get(artist_id)
        if entry is None:
            return JSONResponse(NOT_FOUND, status_code=404)
        body = {**_artist(entry), "country": None, "life-span": {"begin": None, "end": None, "ended": False}}
        if "url-rels" in request.query_params.get("inc", ""):
            body["relations"] = [
                {
                    **_relation(kind, "url", "forward"),
                    "url": {"id": mbid("url", resource), "resource": resource},
                }
                for kind, resource in entry.urls
            ]
        return JSONResponse(state.corrupt("musicbrainz", body))

    return router
