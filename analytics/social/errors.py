"""Errors of the social connectors: each names the platform, what went wrong and what to do."""

from __future__ import annotations

from datetime import datetime


class SocialError(Exception):
    """Base of every social error; ``platform`` says which connector raised it."""

    def __init__(self, platform: str, message: str) -> None:
        super().__init__(f"{platform}: {message}")
        self.platform = platform


class NotConfigured(SocialError):
    """A platform has no credentials; the message names the settings to set."""


class AccountNotFound(SocialError):
    """The platform answered that the handle or id does not exist."""


class PlatformUnavailable(SocialError):
    """The platform did not answer usefully (5xx, network) after the bounded retries."""


class RateLimited(SocialError):
    """The platform throttles us longer than we are willing to wait."""

    def __init__(self, platform: str, message: str, *, resumes_at: datetime | None = None) -> None:
        super().__init__(platform, message)
        self.resumes_at = resumes_at


class QuotaExhausted(SocialError):
    """A daily quota would be exceeded by the next call; nothing more is sent today."""


class TokenExpired(SocialError):
    """The access token is expired or revoked and cannot be refreshed: re-authorize."""


class PlatformError(SocialError):
    """Any other error answer of the platform, with its own code and message."""


class MalformedPayload(SocialError):
    """A response lacks a field or carries a value of the wrong type."""

    def __init__(self, platform: str, field: str, problem: str) -> None:
        super().__init__(
            platform,
            f"malformed payload: field '{field}' {problem}; the response was rejected and nothing "
            "was stored (if this persists, the platform changed its API: check the connector)",
        )
        self.field = field


class UnreadableBody(MalformedPayload):
    """The body is not JSON at all: most often cut short in transit, so the request is retried."""
