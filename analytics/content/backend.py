"""The one interface every text backend implements, and what it is asked and answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from analytics.content.facts import FactSheet
from analytics.content.kinds import ContentKind
from analytics.content.lang import Language


@dataclass(frozen=True)
class DraftRequest:
    """One draft to write: which facts, what kind, for which language and platform, which seed."""

    facts: FactSheet
    kind: ContentKind
    language: Language
    platform: str
    seed: int
    limit: int


@dataclass(frozen=True)
class BackendText:
    """What a backend wrote, and exactly what wrote it."""

    text: str
    backend: str
    model: str
    template_version: str
    hashtags: tuple[str, ...] = ()


class ContentBackend(Protocol):
    """Writes one draft from a fact sheet. Implementations: the grounded generator (default) and
    any OpenAI-compatible chat API."""

    name: str

    def write(self, request: DraftRequest) -> BackendText: ...


class MissingFactsError(ValueError):
    """The fact sheet cannot support the requested content type."""


class BackendError(RuntimeError):
    """A backend could not produce text (network, HTTP status, malformed answer)."""
