"""The connector interface, the registry of platforms, and the store of refreshed tokens.

Adding a platform means adding one module to :mod:`analytics.social.platforms` whose connector
class is decorated with :func:`register`; :func:`platforms` discovers it.
"""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol, TypeVar, runtime_checkable

from pydantic import SecretStr

from analytics.social.models import SocialAccount, SocialPost, SocialSnapshot


@runtime_checkable
class SocialConnector(Protocol):
    """What encore asks of every platform."""

    platform: ClassVar[str]

    def account(self, handle: str) -> SocialAccount:
        """The account behind ``handle`` (a handle, an id, or whatever the platform accepts)."""
        ...

    def snapshot(self, account: SocialAccount, *, day: date) -> SocialSnapshot:
        """Today's numbers of ``account``, labelled ``day``."""
        ...

    def recent_posts(self, account: SocialAccount, *, limit: int) -> list[SocialPost]:
        """Up to ``limit`` most recent posts, newest first, following the platform's paging."""
        ...


@runtime_checkable
class SearchableConnector(SocialConnector, Protocol):
    """A platform that can find accounts by name (used by identity mapping)."""

    def search(self, name: str, *, limit: int = 5) -> list[SocialAccount]: ...


class ConnectorClass(Protocol):
    """The class-level side of a connector, used by the registry."""

    platform: ClassVar[str]

    @classmethod
    def from_settings(cls, settings: Any, *, base_url: str | None, tokens: TokenStore) -> SocialConnector: ...

    @staticmethod
    def handle_from_url(url: str) -> str | None: ...


_REGISTRY: dict[str, ConnectorClass] = {}
C = TypeVar("C")


def register(cls: C) -> C:
    """Class decorator: make a connector class known under its ``platform`` name."""
    name = cls.platform  # type: ignore[attr-defined]
    _REGISTRY[name] = cls  # type: ignore[assignment]
    return cls


def platforms() -> dict[str, ConnectorClass]:
    """Every registered platform, after importing each module of ``analytics.social.platforms``."""
    package = importlib.import_module("analytics.social.platforms")
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{info.name}")
    return dict(sorted(_REGISTRY.items()))


def platform_for_url(url: str) -> tuple[str, str] | None:
    """``(platform, handle)`` for a profile URL any registered platform recognises."""
    for name, cls in platforms().items():
        handle = cls.handle_from_url(url)
        if handle:
            return name, handle
    return None


@dataclass
class StoredToken:
    """A token a connector obtained by refreshing, with its expiry."""

    access_token: SecretStr
    expires_at: datetime | None = None
    refresh_token: SecretStr | None = None


class TokenStore:
    """Refreshed tokens kept between runs in a JSON file written with 0600 permissions.

    ``path=None`` keeps them in memory only (tests, sandbox).
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path
        self._memory: dict[str, dict[str, Any]] = {}

    def _read(self) -> dict[str, dict[str, Any]]:
        if self.path is None or not self.path.exists():
            return dict(self._memory)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def get(self, key: str) -> StoredToken | None:
        raw = self._read().get(key)
        if not raw or not raw.get("access_token"):
            return None
        return StoredToken(
            access_token=SecretStr(raw["access_token"]),
            expires_at=datetime.fromisoformat(raw["expires_at"]) if raw.get("expires_at") else None,
            refresh_token=SecretStr(raw["refresh_token"]) if raw.get("refresh_token") else None,
        )

    def put(self, key: str, token: StoredToken) -> None:
        data = self._read()
        data[key] = {
            "access_token": token.access_token.get_secret_value(),
            "expires_at": token.expires_at.isoformat() if token.expires_at else None,
            "refresh_token": token.refresh_token.get_secret_value() if token.refresh_token else None,
        }
        if self.path is None:
            self._memory = data
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh)
        tmp.replace(self.path)
