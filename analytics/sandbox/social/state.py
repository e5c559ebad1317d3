"""State shared by the social emulators: demo accounts, seeded daily numbers, tokens and knobs.

Numbers are a pure function of (seed, account, day): followers grow every day by at least one,
a new post appears every week, and each post's counts grow with its age, so two days differ and
a rerun on the same day sees the same numbers.
"""

from __future__ import annotations

import hashlib
import random
import secrets
import threading
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from analytics.demo import load_catalog

EPOCH = date(2026, 1, 1)
# A rate limit injected for the request being served (its Retry-After), set by the fault layer;
# a list so that the fault layer sees whether the route took it.
INJECTED_RATE_LIMIT: ContextVar[list[int] | None] = ContextVar("injected_rate_limit", default=None)


@dataclass(frozen=True)
class DemoAccount:
    """One emulated account: who owns it and how its numbers grow."""

    platform: str
    platform_id: str
    handle: str
    display_name: str
    artist: str
    base_followers: int
    daily_growth: int
    base_posts: int
    verified: bool = False
    authorized: bool = False  # the account the sandbox's Instagram and TikTok tokens belong to
    spotify_artist_id: str = ""  # links the account to its artist in the sandbox's MusicBrainz

    def key(self, seed: int) -> str:
        return f"{seed}:{self.platform}:{self.platform_id}"


def stable_id(*parts: object, length: int = 22, alphabet: str = "") -> str:
    """A deterministic id from ``parts`` (letters and digits, or ``alphabet``)."""
    chars = alphabet or "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return "".join(chars[b % len(chars)] for b in digest)[:length]


def demo_accounts() -> list[DemoAccount]:
    """The demo artists' accounts (Maxstack everywhere, Sectoid with two YouTube channels)."""
    names = {a["name"]: a for a in load_catalog()["artists"]}
    maxstack, sectoid = names["Maxstack"]["name"], names["Sectoid"]["name"]
    digits = "0123456789"
    return [
        DemoAccount("youtube", "UC" + stable_id("yt", "maxstack"), "@maxstack", "Maxstack", maxstack, 5200, 9, 40),
        DemoAccount("youtube", "UC" + stable_id("yt", "sectoid"), "@sectoid", "Sectoid", sectoid, 1400, 3, 18),
        DemoAccount(
            "youtube", "UC" + stable_id("yt", "sectoid-topic"), "@sectoid-topic", "Sectoid - Topic", sectoid, 90, 1, 4
        ),
        DemoAccount("youtube", "UC" + stable_id("yt", "fan"), "@maxstackfanuploads", "Maxstack Fan Uploads", "", 40, 1, 6),
        DemoAccount("instagram", "178414" + stable_id("ig", "maxstack", length=11, alphabet=digits), "maxstack",
                    "Maxstack", maxstack, 3100, 5, 120, authorized=True),
        DemoAccount("instagram", "178414" + stable_id("ig", "sectoid", length=11, alphabet=digits), "sectoid_band",
                    "Sectoid", sectoid, 800, 2, 60),
        DemoAccount("x", "15" + stable_id("x", "maxstack", length=17, alphabet=digits), "maxstack", "Maxstack",
                    maxstack, 2100, 2, 900, verified=False),
        DemoAccount("x", "15" + stable_id("x", "sectoid", length=17, alphabet=digits), "sectoid", "Sectoid",
                    sectoid, 650, 1, 300),
        DemoAccount("tiktok", stable_id("tt", "maxstack", length=32).lower(), "maxstack", "Maxstack", maxstack,
                    7400, 21, 55, authorized=True),
    ]  # fmt: skip


@dataclass
class Issued:
    platform: str
    owner: str  # platform_id of the account the token was issued for
    expires_at: datetime


@dataclass
class SandboxState:
    """Everything the emulators share; knobs are plain attributes guarded by ``lock``."""

    seed: int = 7
    token_ttl_s: dict[str, float] = field(
        default_factory=lambda: {"instagram": 60 * 24 * 3600.0, "tiktok": 24 * 3600.0}
    )
    youtube_daily_quota: int = 10_000
    accounts: list[DemoAccount] = field(default_factory=demo_accounts)
    today: date | None = None
    clock_offset: timedelta = timedelta(0)
    rate_limits: dict[str, int] = field(default_factory=dict)
    rate_limit_reset_s: int = 2
    down: set[str] = field(default_factory=set)
    malformed: dict[str, tuple[str, str]] = field(default_factory=dict)
    tokens: dict[str, Issued] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)
    quota_used: dict[tuple[str, date], int] = field(default_factory=dict)
    requests: list[tuple[str, str, str]] = field(default_factory=list)
    refreshes: dict[str, int] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    _posts: dict[tuple[str, date], list[dict[str, Any]]] = field(default_factory=dict, repr=False)
    credentials: dict[str, str] = field(
        default_factory=lambda: {
            "youtube_api_key": "AIza" + secrets.token_urlsafe(26),
            "x_bearer_token": "AAAA" + secrets.token_urlsafe(40),
            "tiktok_client_key": "aw" + secrets.token_hex(8),
            "tiktok_client_secret": secrets.token_urlsafe(24),
        }
    )

    # -- time ------------------------------------------------------------------------------
    def now(self) -> datetime:
        return datetime.now(UTC) + self.clock_offset

    def day(self) -> date:
        return self.today or self.now().date()

    # -- accounts and numbers --------------------------------------------------------------
    def authorized(self, platform: str) -> str:
        """Platform id of the account the sandbox's token for ``platform`` belongs to ("" if none)."""
        mine = [acc for acc in self.accounts if acc.platform == platform]
        chosen = next((acc for acc in mine if acc.authorized), mine[0] if mine else None)
        return chosen.platform_id if chosen else ""

    def find(
        self, platform: str, *, handle: str | None = None, platform_id: str | None = None
    ) -> DemoAccount | None:
        for acc in self.accounts:
            if acc.platform != platform:
                continue
            if platform_id is not None and acc.platform_id == platform_id:
                return acc
            if handle is not None and acc.handle.lower().lstrip("@") == handle.lower().lstrip("@"):
                return acc
        return None

    def followers(self, acc: DemoAccount, day: date | None = None) -> int:
        d = ((day or self.day()) - EPOCH).days
        noise = random.Random(f"{acc.key(self.seed)}:f:{d}").randint(0, max(acc.daily_growth - 1, 0))
        return max(0, acc.base_followers + acc.daily_growth * d + noise)

    def created(self, acc: DemoAccount) -> date:
        return EPOCH - timedelta(days=7 * acc.base_posts)

    def post_count(self, acc: DemoAccount, day: date | None = None) -> int:
        return max(0, ((day or self.day()) - self.created(acc)).days // 7 + 1)

    def posts(self, acc: DemoAccount, day: date | None = None) -> list[dict[str, Any]]:
        """Every post up to ``day``, newest first, with counts as of that day (cached)."""
        day = day or self.day()
        cached = self._posts.get((acc.platform_id, day))
        if cached is not None:
            return cached
        out = []
        for seq in range(self.post_count(acc, day) - 1, -1, -1):
            rng = random.Random(f"{acc.key(self.seed)}:post:{seq}")
            published = self.created(acc) + timedelta(days=7 * seq)
            age = (day - published).days + 1
            scale = max(acc.base_followers // 100, 1)
            likes = rng.randint(2, 9) * scale + age * rng.randint(0, 2)
            out.append(
                {
                    "seq": seq,
                    "id": stable_id(acc.platform, acc.platform_id, seq, length=11),
                    "published": datetime(published.year, published.month, published.day, 17, 0, tzinfo=UTC),
                    "likes": likes,
                    "comments": likes // rng.randint(8, 15),
                    "shares": likes // rng.randint(10, 30),
                    "views": likes * rng.randint(12, 30),
                }
            )
        self._posts[(acc.platform_id, day)] = out
        return out

    # -- tokens ----------------------------------------------------------------------------
    def issue(
        self, platform: str, owner: str, *, token: str | None = None, ttl_s: float | None = None
    ) -> str:
        value = token or f"{platform[:2]}-{secrets.token_urlsafe(24)}"
        ttl = self.token_ttl_s.get(platform, 3600.0) if ttl_s is None else ttl_s
        self.tokens[value] = Issued(platform, owner, self.now() + timedelta(seconds=ttl))
        return value

    def check(self, platform: str, token: str | None) -> tuple[str, Issued | None]:
        """``("ok", issued)``, ``("expired", issued)`` or ``("invalid", None)``."""
        issued = self.tokens.get(token or "")
        if issued is None or issued.platform != platform:
            return "invalid", None
        if issued.expires_at <= self.now():
            return "expired", issued
        return "ok", issued

    # -- knobs -----------------------------------------------------------------------------
    def take_rate_limit(self, platform: str) -> int | None:
        """The Retry-After (seconds) to answer this request's rate limit with, or None: not limited."""
        injected = INJECTED_RATE_LIMIT.get()
        if injected:
            return injected.pop()
        with self.lock:
            left = self.rate_limits.get(platform, 0)
            if left > 0:
                self.rate_limits[platform] = left - 1
                return self.rate_limit_reset_s
        return None

    def corrupt(self, platform: str, payload: Any) -> Any:
        """Apply an injected malformation (``corrupt`` a value's type or ``drop`` the key)."""
        spec = self.malformed.get(platform)
        if spec is None:
            return payload
        name, mode = spec

        def walk(node: Any) -> Any:
            if isinstance(node, dict):
                out = {}
                for k, v in node.items():
                    if k == name:
                        if mode == "drop":
                            continue
                        out[k] = "not-a-number" if not isinstance(v, dict | list) else "not-an-object"
                    else:
                        out[k] = walk(v)
                return out
            if isinstance(node, list):
                return [walk(v) for v in node]
            return node

        return walk(payload)
