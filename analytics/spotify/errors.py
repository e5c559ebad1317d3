"""What can go wrong when encore talks to Spotify, each error saying what, where and what to do."""

from __future__ import annotations

from datetime import datetime


class SpotifyError(Exception):
    """Base class of every error raised by :mod:`analytics.spotify`."""


class CapabilityUnavailable(SpotifyError):
    """The configured quota mode cannot give what was asked for.

    Attributes
    ----------
    feature : the capability name, e.g. ``"several_tracks"``.
    mode : the quota mode in use.
    available_in : the modes that would give it (empty: no app can use it any more).
    """

    def __init__(self, message: str, *, feature: str, mode: str, available_in: tuple[str, ...]) -> None:
        super().__init__(message)
        self.feature = feature
        self.mode = mode
        self.available_in = available_in


class QuotaExhausted(SpotifyError):
    """Spotify asked us to wait longer than ``spotify_max_retry_wait_s``; stop now, resume later.

    Attributes
    ----------
    resume_at : the earliest time (UTC) at which the call may succeed.
    retry_after_s : the wait Spotify asked for, in seconds.
    endpoint : the endpoint template that was refused, e.g. ``"GET /artists/{id}/albums"``.
    """

    def __init__(
        self,
        *,
        resume_at: datetime,
        retry_after_s: float,
        endpoint: str,
        max_wait_s: float,
        rate_limited: int | None = None,
    ) -> None:
        why = (
            f"it answered 429 {rate_limited} times in a row"
            if rate_limited
            else f"it asked to retry after {retry_after_s:.0f} s (longer than spotify_max_retry_wait_s="
            f"{max_wait_s:.0f} s)"
        )
        super().__init__(
            f"Spotify quota exhausted on {endpoint}: {why}, so encore stopped instead of sleeping. "
            f"Resume after {resume_at.isoformat(timespec='seconds')}; the sync's checkpoint keeps what "
            "was already fetched."
        )
        self.resume_at = resume_at
        self.retry_after_s = retry_after_s
        self.endpoint = endpoint


class RetriesExhausted(SpotifyError):
    """A transient failure (5xx, reset, timeout, invalid body) outlasted the bounded retries."""

    def __init__(self, *, endpoint: str, attempts: int, last_error: str) -> None:
        super().__init__(
            f"{endpoint} still failed after {attempts} attempts (last: {last_error}). Spotify or the "
            "network is unwell; the task may be retried later, already fetched data is kept."
        )
        self.endpoint = endpoint
        self.attempts = attempts
        self.last_error = last_error


class MalformedResponse(RetriesExhausted):
    """A whole answer that is not JSON (an error page, plain text): not retried, it would repeat."""

    def __init__(self, *, endpoint: str, last_error: str) -> None:
        super().__init__(endpoint=endpoint, attempts=1, last_error=last_error)


class SpotifyHTTPError(SpotifyError):
    """A permanent HTTP error (4xx other than 401/429): retrying the same request cannot help."""

    def __init__(self, *, status: int, endpoint: str, message: str, reason: str | None = None) -> None:
        hint = {
            400: "the request was malformed (check ids and parameters)",
            403: "the app or user may not do this (quota mode, scopes, or a playlist the user does not own)",
            404: "no such object (check the id)",
        }.get(status, "see Spotify's message")
        text = f"{endpoint} returned HTTP {status}: {message or 'no message'}"
        if reason:
            text += f" (reason {reason})"
        super().__init__(f"{text}; {hint}.")
        self.status = status
        self.endpoint = endpoint
        self.message = message
        self.reason = reason


class WriteOutcomeUnknown(SpotifyError):
    """A non-idempotent write failed in a way that leaves unknown whether Spotify applied it."""

    def __init__(self, *, endpoint: str, error: str) -> None:
        super().__init__(
            f"{endpoint} failed ({error}) after the request may have reached Spotify; encore does not "
            "repeat a write that might have been applied. Re-read the playlist and reconcile."
        )
        self.endpoint = endpoint


class AuthError(SpotifyError):
    """Credentials are missing or were rejected."""


class NeedsUserToken(AuthError):
    """The call needs a user's authorisation but only app credentials are configured."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} acts on behalf of a Spotify user, but no user authorisation is configured. Set "
            "ENCORE_SPOTIFY_REFRESH_TOKEN (authorisation code with PKCE; see docs/spotify-client.md) "
            "or log in once so the token cache holds a refresh token."
        )
