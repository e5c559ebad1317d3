"""Social accounts from a file (``encore-social/1``), for a sandbox that serves another world.

The format, one JSON document::

    {
      "format": "encore-social/1",
      "accounts": [
        {"platform": "youtube", "handle": "@kestrelavenue", "display_name": "Kestrel Avenue",
         "artist": "Kestrel Avenue", "spotify_artist_id": "N5KaGCbAmIaPQDrr4NX4M6",
         "base_followers": 8200, "daily_growth": 11, "base_posts": 64,
         "platform_id": "UC…", "verified": false, "authorized": false}
      ]
    }

``platform`` is ``youtube``, ``instagram``, ``x`` or ``tiktok``; ``handle``, ``display_name``,
``base_followers``, ``daily_growth`` and ``base_posts`` are required. ``artist`` is the owner's
name (empty: a fan account), ``spotify_artist_id`` links the account to the artist in the
sandbox's MusicBrainz. Without ``platform_id`` one is derived from the handle, shaped like the
platform's own. ``authorized`` marks the account the sandbox's Instagram and TikTok tokens
belong to (default: the first account of that platform). Numbers are then a pure function of
(seed, platform, platform id, day), as for the demo accounts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from analytics.sandbox.social.state import DemoAccount, stable_id

ACCOUNTS_FORMAT = "encore-social/1"
PLATFORMS = ("youtube", "instagram", "x", "tiktok")
_REQUIRED = {
    "handle": str,
    "display_name": str,
    "base_followers": int,
    "daily_growth": int,
    "base_posts": int,
}
PROFILE_URLS = {
    "youtube": "https://www.youtube.com/@{handle}",
    "instagram": "https://www.instagram.com/{handle}/",
    "x": "https://x.com/{handle}",
    "tiktok": "https://www.tiktok.com/@{handle}",
}


class AccountsFormatError(ValueError):
    """An accounts file that does not follow ``encore-social/1``."""


def derived_platform_id(platform: str, handle: str) -> str:
    """A stable id shaped like the platform's (``UC…`` channel, numeric Instagram and X ids, TikTok open id)."""
    key = handle.lower().lstrip("@")
    digits = "0123456789"
    if platform == "youtube":
        return "UC" + stable_id("yt", key)
    if platform == "instagram":
        return "178414" + stable_id("ig", key, length=11, alphabet=digits)
    if platform == "x":
        return "15" + stable_id("x", key, length=17, alphabet=digits)
    return stable_id("tt", key, length=32).lower()


def parse_accounts(data: Any, *, source: str = "accounts") -> list[DemoAccount]:
    """The accounts of an ``encore-social/1`` document, checked field by field.

    Raises
    ------
    AccountsFormatError
        naming the entry and the field at fault.
    """
    if not isinstance(data, dict) or data.get("format") != ACCOUNTS_FORMAT:
        found = data.get("format") if isinstance(data, dict) else type(data).__name__
        raise AccountsFormatError(f"{source}: format is {found!r}, expected {ACCOUNTS_FORMAT!r}")
    entries = data.get("accounts")
    if not isinstance(entries, list) or not entries:
        raise AccountsFormatError(f"{source}: 'accounts' must be a non-empty list")
    accounts = [_account(entry, where=f"{source} account {n}") for n, entry in enumerate(entries, start=1)]
    seen: set[tuple[str, str]] = set()
    for acc in accounts:
        for key in ((acc.platform, "id:" + acc.platform_id), (acc.platform, acc.handle.lower().lstrip("@"))):
            if key in seen:
                raise AccountsFormatError(f"{source}: two {acc.platform} accounts share {key[1]!r}")
            seen.add(key)
    return accounts


def _account(entry: Any, *, where: str) -> DemoAccount:
    if not isinstance(entry, dict):
        raise AccountsFormatError(f"{where}: expected an object, got {type(entry).__name__}")
    platform = entry.get("platform")
    if platform not in PLATFORMS:
        raise AccountsFormatError(f"{where}: platform {platform!r} is not one of {', '.join(PLATFORMS)}")
    for key, kind in _REQUIRED.items():
        value = entry.get(key)
        if kind is int:
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise AccountsFormatError(
                    f"{where} ({platform}): field {key!r} must be a non-negative integer, got {value!r}"
                )
        elif not isinstance(value, str):
            raise AccountsFormatError(f"{where} ({platform}): field {key!r} must be a string, got {value!r}")
    if not entry["handle"].strip():
        raise AccountsFormatError(f"{where} ({platform}): field 'handle' is empty")
    return DemoAccount(
        platform=platform,
        platform_id=str(entry.get("platform_id") or derived_platform_id(platform, entry["handle"])),
        handle=entry["handle"],
        display_name=entry["display_name"],
        artist=str(entry.get("artist", "")),
        base_followers=entry["base_followers"],
        daily_growth=entry["daily_growth"],
        base_posts=entry["base_posts"],
        verified=bool(entry.get("verified", False)),
        authorized=bool(entry.get("authorized", False)),
        spotify_artist_id=str(entry.get("spotify_artist_id", "")),
    )


def load_accounts(path: Path | str) -> list[DemoAccount]:
    """The accounts of the file at ``path``, with a clear error when it is missing or malformed."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise AccountsFormatError(f"accounts file {path} does not exist") from exc
    except json.JSONDecodeError as exc:
        raise AccountsFormatError(f"accounts file {path} is not valid JSON: {exc}") from exc
    return parse_accounts(data, source=str(path))


def profile_url(account: DemoAccount) -> str:
    """The account's public profile URL, as MusicBrainz lists it."""
    return PROFILE_URLS[account.platform].format(handle=account.handle.lstrip("@"))
