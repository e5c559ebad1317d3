"""Identity mapping: which accounts on which platforms belong to a Spotify artist, and why.

Three sources, each giving candidates with a confidence and an explanation:

- ``musicbrainz`` (0.95): the MusicBrainz artist that links the Spotify URL lists the profile
  (0.6 when several MusicBrainz artists claim the same Spotify URL);
- ``search`` (0.6 for an exact name, 0.45 for a close one): the platform's own search by name,
  asked only where MusicBrainz gave nothing (a YouTube search costs 100 quota units);
- ``override`` (1.0): what the user configured; it always wins, and the candidates it displaced
  are kept in ``overridden``.

Candidates for the same account (same platform id once resolved) merge, their confidences
combining as independent evidence. Two or more distinct accounts at or above
:data:`ACCEPT` make a ``conflict``: flagged with every candidate and never chosen silently.

A link resting on name search alone is *provisional* (:attr:`IdentityLink.provisional`, said in
its explanation): the fallback while MusicBrainz is down or silent. When MusicBrainz or an
override later decides otherwise, the sync retracts the provisional account (see
:func:`analytics.social.store.retract_provisional`).
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from rapidfuzz import fuzz

from analytics.social.base import SearchableConnector, SocialConnector, platform_for_url
from analytics.social.errors import AccountNotFound, SocialError
from analytics.social.models import SocialAccount
from analytics.social.musicbrainz import MusicBrainz

log = logging.getLogger(__name__)
ACCEPT = 0.5
MB_CONFIDENCE = 0.95
MB_SHARED_CONFIDENCE = 0.6
SEARCH_EXACT = 0.6
SEARCH_CLOSE = 0.45
AUTHORITATIVE_SOURCES = frozenset({"musicbrainz", "override"})
PROVISIONAL_NOTE = (
    "provisional: found by name search only; retracted if MusicBrainz or an override names another account"
)


def sources_of(source: str) -> frozenset[str]:
    """The sources of a link's ``source`` (``musicbrainz+search`` -> {musicbrainz, search})."""
    return frozenset(part for part in source.split("+") if part)


def is_provisional_source(source: str) -> bool:
    """Whether a link made from ``source`` rests on name search alone."""
    return sources_of(source) == {"search"}


@dataclass(frozen=True)
class ArtistRef:
    """The Spotify artist being mapped."""

    id: str
    name: str

    @classmethod
    def of(cls, artist: ArtistRef | Mapping[str, Any] | Any) -> ArtistRef:
        if isinstance(artist, ArtistRef):
            return artist
        if isinstance(artist, Mapping):
            return cls(id=str(artist.get("id") or artist["artist_id"]), name=str(artist["name"]))
        return cls(id=str(getattr(artist, "id", None) or artist.artist_id), name=str(artist.name))


@dataclass(frozen=True)
class Candidate:
    """One piece of evidence that ``handle`` on ``platform`` is the artist's."""

    platform: str
    handle: str
    source: str
    confidence: float
    explanation: str
    platform_id: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "platform": self.platform,
            "handle": self.handle,
            "platform_id": self.platform_id,
            "source": self.source,
            "confidence": self.confidence,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class IdentityLink:
    """The mapping decision for one artist on one platform.

    ``status`` is ``linked`` (one account accepted), ``override`` (the user's choice),
    ``conflict`` (several accounts, none chosen: review), ``unconfirmed`` (evidence too weak)
    or ``excluded`` (the user said the artist has no account there).
    """

    spotify_artist_id: str
    platform: str
    status: str
    handle: str | None
    source: str
    confidence: float
    explanation: str
    account: SocialAccount | None = None
    candidates: tuple[Candidate, ...] = ()
    overridden: tuple[Candidate, ...] = field(default=())

    @property
    def conflict(self) -> bool:
        return self.status == "conflict"

    @property
    def provisional(self) -> bool:
        """An accepted link resting on name search alone, to be retracted if an authority disagrees."""
        return self.status == "linked" and is_provisional_source(self.source)

    @property
    def authoritative(self) -> bool:
        """Whether MusicBrainz or an override took part in this decision (whatever its status)."""
        return bool(sources_of(self.source) & AUTHORITATIVE_SOURCES)

    @property
    def usable(self) -> bool:
        """Whether this link may be synced without a human looking at it."""
        return self.status in {"linked", "override"} and self.handle is not None


def normalize_name(name: str) -> str:
    """Lower case, accents and everything but letters and digits removed."""
    decomposed = unicodedata.normalize("NFKD", name)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


def load_overrides(source: Path | str | Mapping[str, Any] | None) -> dict[str, dict[str, str | None]]:
    """Overrides as ``{spotify_artist_id: {platform: handle-or-URL-or-None}}`` from YAML or a dict.

    ``None`` (YAML ``null``) for a platform means "this artist has no account there".
    """
    if source is None:
        return {}
    if isinstance(source, Mapping):
        raw: Any = source
    else:
        path = Path(source)
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ValueError(
                f"{path}: not valid YAML ({exc}); expected artist_id: {{platform: handle}}"
            ) from None
    if not isinstance(raw, Mapping) or not all(isinstance(v, Mapping) for v in raw.values()):
        raise ValueError(
            f"identity overrides {source!r}: expected a mapping of Spotify artist id to "
            "{platform: handle or URL}, e.g. {'4Z8W4fKeB5YxbusRsdQVPb': {'youtube': '@radiohead'}}"
        )
    return {str(k): {str(p): (None if h is None else str(h)) for p, h in v.items()} for k, v in raw.items()}


def map_identities(
    spotify_artist: ArtistRef | Mapping[str, Any] | Any,
    *,
    musicbrainz: MusicBrainz | None,
    connectors: Mapping[str, SocialConnector],
    overrides: Mapping[str, Mapping[str, str | None]] | None = None,
    search: bool = True,
    unavailable: dict[str, SocialError] | None = None,
) -> list[IdentityLink]:
    """Link a Spotify artist to its social accounts; one :class:`IdentityLink` per platform found.

    Parameters
    ----------
    spotify_artist : an :class:`ArtistRef`, a dict with ``id`` and ``name``, or an ``Artist`` row.
    musicbrainz : the MusicBrainz client (None: skip that source).
    connectors : configured connectors by platform; used to search and to resolve handles.
    overrides : ``{artist_id: {platform: handle}}`` (see :func:`load_overrides`).
    search : whether to search platforms by name where MusicBrainz gave nothing.
    unavailable : filled with ``{source: error}`` for every source that failed (``musicbrainz``,
        or a platform whose search failed), so that the caller can tell "no account" from
        "could not look".
    """
    artist = ArtistRef.of(spotify_artist)
    unavailable = {} if unavailable is None else unavailable
    found: list[Candidate] = []
    if musicbrainz is not None:
        try:
            found = _from_musicbrainz(artist, musicbrainz)
        except SocialError as exc:  # MusicBrainz down: the other sources still count
            log.warning("musicbrainz unavailable for identity mapping", extra={"error": str(exc)})
            unavailable["musicbrainz"] = exc
    if search:
        covered = {c.platform for c in found}
        for platform, connector in connectors.items():
            if platform not in covered and isinstance(connector, SearchableConnector):
                try:
                    found.extend(_from_search(artist, platform, connector))
                except SocialError as exc:
                    unavailable[platform] = exc
    mine = dict((overrides or {}).get(artist.id, {}))
    links = []
    for platform in sorted({c.platform for c in found} | set(mine)):
        candidates = [c for c in found if c.platform == platform]
        groups = _group(_resolve(candidates, connectors.get(platform), unavailable))
        if platform in mine:
            links.append(
                _override(artist, platform, mine[platform], groups, connectors.get(platform), unavailable)
            )
        else:
            links.append(_decide(artist, platform, groups))
    return links


def _from_musicbrainz(artist: ArtistRef, mb: MusicBrainz) -> list[Candidate]:
    mb_artists = mb.artists_for_url(f"https://open.spotify.com/artist/{artist.id}")
    shared = len(mb_artists) > 1
    out = []
    for mba in mb_artists:
        confidence = MB_SHARED_CONFIDENCE if shared else MB_CONFIDENCE
        note = f" (one of {len(mb_artists)} MusicBrainz artists linking this Spotify URL)" if shared else ""
        if fuzz.ratio(normalize_name(mba.name), normalize_name(artist.name)) < 90:
            confidence = min(confidence, 0.7)
            note += f"; MusicBrainz name {mba.name!r} differs from Spotify's {artist.name!r}"
        for url in mb.artist_urls(mba.mbid):
            hit = platform_for_url(url.resource)
            if hit is None or url.ended:
                continue
            out.append(
                Candidate(
                    platform=hit[0],
                    handle=hit[1],
                    source="musicbrainz",
                    confidence=confidence,
                    explanation=(
                        f"MusicBrainz artist {mba.name} ({mba.mbid}) links "
                        f"open.spotify.com/artist/{artist.id} and lists {url.resource} as '{url.type}'{note}"
                    ),
                )
            )
    return out


def _from_search(artist: ArtistRef, platform: str, connector: SearchableConnector) -> list[Candidate]:
    results = connector.search(artist.name)
    wanted = normalize_name(artist.name)
    out = []
    for acc in results:
        name = acc.display_name or acc.handle
        score = fuzz.ratio(wanted, normalize_name(name))
        if score < 90:
            continue
        exact = normalize_name(name) == wanted
        out.append(
            Candidate(
                platform=platform,
                handle=acc.handle,
                platform_id=acc.platform_id,
                source="search",
                confidence=SEARCH_EXACT if exact else SEARCH_CLOSE,
                explanation=(
                    f"{platform} search for {artist.name!r} found {name!r} "
                    f"({'exact name' if exact else f'name similarity {score:.0f}/100'})"
                ),
            )
        )
    return out


def _resolve(
    cands: list[Candidate],
    connector: SocialConnector | None,
    unavailable: dict[str, SocialError],
) -> list[tuple[Candidate, SocialAccount | None]]:
    """Look each distinct handle up once, so that an @handle and a channel id of one account merge.

    A platform that fails to answer (rate limited, down) is noted in ``unavailable`` and not
    asked again for this artist.
    """
    cache: dict[str, SocialAccount | None] = {}
    out: list[tuple[Candidate, SocialAccount | None]] = []
    for c in cands:
        key = c.platform_id or c.handle.lower()
        if connector is not None and key not in cache and c.platform not in unavailable:
            try:
                cache[key] = connector.account(c.platform_id or c.handle)
            except AccountNotFound:
                cache[key] = None
                c = replace(
                    c, confidence=0.0, explanation=c.explanation + "; the platform has no such account"
                )
            except SocialError as exc:
                cache[key] = None
                unavailable[c.platform] = exc
        out.append((c, cache.get(key)))
    return out


@dataclass
class _Group:
    key: str
    handle: str
    account: SocialAccount | None
    members: list[Candidate]

    @property
    def confidence(self) -> float:
        miss = 1.0
        for source in {m.source for m in self.members}:
            miss *= 1.0 - max(m.confidence for m in self.members if m.source == source)
        return round(1.0 - miss, 4)

    @property
    def source(self) -> str:
        return "+".join(sorted({m.source for m in self.members}))

    @property
    def explanation(self) -> str:
        return "; ".join(m.explanation for m in self.members)


def _group(resolved: list[tuple[Candidate, SocialAccount | None]]) -> list[_Group]:
    groups: dict[str, _Group] = {}
    for cand, account in resolved:
        key = account.platform_id if account else cand.handle.lower().lstrip("@")
        group = groups.setdefault(key, _Group(key, account.handle if account else cand.handle, account, []))
        group.members.append(
            cand if account is None else replace(cand, platform_id=account.platform_id, handle=account.handle)
        )
    return sorted(groups.values(), key=lambda g: (-g.confidence, g.key))


def _decide(artist: ArtistRef, platform: str, groups: list[_Group]) -> IdentityLink:
    everything = tuple(m for g in groups for m in g.members)
    strong = [g for g in groups if g.confidence >= ACCEPT]
    if len(strong) >= 2:
        listing = "; ".join(f"{g.handle} ({g.source}, {g.confidence:.2f})" for g in strong)
        return IdentityLink(
            artist.id, platform, "conflict", None, "+".join(sorted({g.source for g in strong})),
            strong[0].confidence,
            f"{len(strong)} different {platform} accounts are plausible for {artist.name}: {listing}. "
            "None was chosen; add an override to pick one",
            None, everything,
        )  # fmt: skip
    best = groups[0]
    status = "linked" if strong else "unconfirmed"
    why = (
        best.explanation
        if strong
        else f"evidence too weak ({best.confidence:.2f} < {ACCEPT}): {best.explanation}"
    )
    if strong and is_provisional_source(best.source):
        why += f"; {PROVISIONAL_NOTE}"
    return IdentityLink(
        artist.id, platform, status, best.handle, best.source, best.confidence, why, best.account, everything
    )


def _override(
    artist: ArtistRef,
    platform: str,
    value: str | None,
    groups: list[_Group],
    connector: SocialConnector | None,
    unavailable: dict[str, SocialError],
) -> IdentityLink:
    everything = tuple(m for g in groups for m in g.members)
    if value is None:
        return IdentityLink(
            artist.id, platform, "excluded", None, "override", 1.0,
            f"the user's overrides say {artist.name} has no {platform} account", None, everything, everything,
        )  # fmt: skip
    hit = platform_for_url(value) if "://" in value else None
    handle = hit[1] if hit else value
    account: SocialAccount | None = None
    if connector is not None and platform not in unavailable:
        try:
            account = connector.account(handle)
        except SocialError as exc:  # as in _resolve: noted, and not asked again in this run
            # a handle the platform says does not exist is noted too: asking again cannot help
            unavailable[platform] = exc
    key = account.platform_id if account else handle.lower().lstrip("@")
    displaced = tuple(m for g in groups if g.key != key for m in g.members)
    agreeing = [g for g in groups if g.key == key]
    why = f"set by the user's overrides ({value})"
    if agreeing:
        why += f"; agrees with {agreeing[0].source}"
    if displaced:
        listing = ", ".join(f"{m.handle} ({m.source}, {m.confidence:.2f})" for m in displaced)
        why += f"; overrides {listing}"
    return IdentityLink(
        artist.id, platform, "override", account.handle if account else handle, "override", 1.0, why,
        account, everything, displaced,
    )  # fmt: skip
