"""One HTTP request to the Web API under encore's policy: auth, retries, ETags, accounting.

Every call of the client, and of the spotipy escape hatch, goes through
:meth:`Transport.request`; it is the only place that sleeps, refreshes tokens or raises
:class:`~analytics.spotify.errors.QuotaExhausted`.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from analytics.http.retry import (
    GiveUp,
    RetryPolicy,
    Throttled,
    Transient,
    call_with_retries,
    cut_short,
    parse_retry_after,
)
from analytics.observability.redaction import redact_client as redact
from analytics.spotify.accounting import RequestTally, endpoint_template
from analytics.spotify.auth import TokenEndpointUnavailable, TokenProvider
from analytics.spotify.errors import (
    AuthError,
    MalformedResponse,
    QuotaExhausted,
    RetriesExhausted,
    SpotifyHTTPError,
    WriteOutcomeUnknown,
)
from analytics.spotify.etags import ETagCache, cache_key
from analytics.spotify.redact import log


@dataclass(frozen=True)
class ApiResponse:
    """A decoded answer: ``not_modified`` is True when a 304 let us reuse the cached body."""

    status: int
    body: Any
    not_modified: bool = False
    etag: str | None = None


class AccountingAdapter(HTTPAdapter):
    """A requests adapter without urllib3 retries that counts every request it sends."""

    def __init__(self, *, tally: RequestTally, label: Callable[[str, str], str]) -> None:
        super().__init__(max_retries=0)
        self._tally = tally
        self._label = label

    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> requests.Response:
        endpoint = self._label(request.method or "GET", request.url or "")
        try:
            response = super().send(request, *args, **kwargs)
        except requests.Timeout:
            self._tally.record(endpoint, "timeout")
            raise
        except requests.ConnectionError:
            self._tally.record(endpoint, "connection_error")
            raise
        self._tally.record(endpoint, str(response.status_code))
        return response


def _not_sent(exc: BaseException) -> bool:
    """Whether a connection failure happened before the request could reach the server."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, NewConnectionError) or any(isinstance(a, NewConnectionError) for a in seen.args):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _error_message(response: requests.Response) -> tuple[str, str | None]:
    try:
        error = response.json().get("error", {})
    except (ValueError, AttributeError):
        return redact(response.text[:200]), None
    if isinstance(error, dict):
        return redact(str(error.get("message", ""))), error.get("reason")
    return redact(str(error)), None


class Transport:
    """Sends requests for one client: one session, one token provider, one ETag cache."""

    def __init__(
        self,
        *,
        api_url: str,
        accounts_url: str,
        tokens: TokenProvider,
        session: requests.Session,
        policy: RetryPolicy,
        etags: ETagCache,
        tally: RequestTally,
        sleep: Callable[[float], None] = time.sleep,
        seed: int | None = None,
        before_send: Callable[[], None] | None = None,
    ) -> None:
        self.before_send = before_send
        self.api_url = api_url.rstrip("/")
        self.accounts_url = accounts_url.rstrip("/")
        self.tokens = tokens
        self.session = session
        self.policy = policy
        self.etags = etags
        self.tally = tally
        self.sleep = sleep
        self._rng = random.Random(seed)
        adapter = AccountingAdapter(tally=tally, label=self.endpoint)
        session.mount("http://", adapter)
        session.mount("https://", adapter)

    def endpoint(self, method: str, url: str) -> str:
        """The endpoint template of a request, e.g. ``GET /albums/{id}/tracks``."""
        return endpoint_template(method, url, api_url=self.api_url, accounts_url=self.accounts_url)

    def url(self, path: str) -> str:
        return path if path.startswith(("http://", "https://")) else f"{self.api_url}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json_body: Any = None,
        idempotent: bool | None = None,
    ) -> ApiResponse:
        """Send one logical request, retrying under the policy; GETs are conditional.

        Raises
        ------
        QuotaExhausted : a Retry-After beyond ``policy.max_retry_wait_s``, or too many 429s.
        RetriesExhausted : transient failures outlasted ``policy.max_attempts``.
        WriteOutcomeUnknown : a non-idempotent write failed after it may have been applied.
        SpotifyHTTPError : a permanent 4xx.
        AuthError : credentials rejected, or a 401 right after a refresh.
        """
        url = self.url(path)
        method = method.upper()
        endpoint = self.endpoint(method, url)
        idempotent = method != "POST" if idempotent is None else idempotent
        key = cache_key(url, params, base=self.api_url) if method == "GET" else None

        def attempt() -> ApiResponse:
            try:
                return self._attempt(
                    method,
                    url,
                    endpoint=endpoint,
                    params=params,
                    json_body=json_body,
                    key=key,
                    idempotent=idempotent,
                )
            except Transient as failure:
                if failure.sent and not idempotent:
                    raise WriteOutcomeUnknown(endpoint=endpoint, error=failure.what) from None
                raise

        def before_retry(failure: Transient | Throttled, wait: float, attempts: int) -> None:
            if isinstance(failure, Throttled):
                log.warning("%s: rate limited (429); retrying in %.1f s", endpoint, wait)
                return
            log.warning(
                "%s: %s (attempt %d of %d); retrying in %.2f s",
                endpoint,
                failure.what,
                attempts,
                self.policy.max_attempts,
                wait,
            )

        return call_with_retries(
            attempt,
            policy=self.policy,
            give_up=lambda stop: self._give_up(stop, endpoint=endpoint),
            sleep=self.sleep,
            rng=self._rng,
            before_retry=before_retry,
        )

    def _attempt(
        self,
        method: str,
        url: str,
        *,
        endpoint: str,
        params: dict[str, Any] | None,
        json_body: Any,
        key: str | None,
        idempotent: bool,
    ) -> ApiResponse:
        """One attempt: a 401 refreshes the token and sends once more; failures are classified."""
        cached = self.etags.get(key) if key else None
        etag = cached.etag if cached else None
        response = self._send(method, url, params=params, json_body=json_body, etag=etag)
        if response.status_code == 401:
            log.info("%s: access token rejected (401); refreshing it once", endpoint)
            self._token(refresh=True)
            response = self._send(method, url, params=params, json_body=json_body, etag=etag)
            if response.status_code == 401:
                raise AuthError(f"{endpoint}: Spotify rejected a freshly refreshed token (HTTP 401).")
        if response.status_code == 429:
            raise Throttled("HTTP 429", retry_after_s=parse_retry_after(response.headers.get("Retry-After")))
        if response.status_code == 304 and cached is not None:
            return ApiResponse(304, cached.body, not_modified=True, etag=cached.etag)
        if response.status_code == 304 and key is not None:
            self.etags.drop(key)
            raise Transient("304 without a cached body", sent=False)
        if response.status_code >= 500:
            raise Transient(
                f"HTTP {response.status_code}",
                sent=response.status_code != 503,
                retry_after_s=parse_retry_after(response.headers.get("Retry-After")),
            )
        if response.status_code >= 400:
            message, reason = _error_message(response)
            raise SpotifyHTTPError(
                status=response.status_code, endpoint=endpoint, message=message, reason=reason
            )
        return self._decoded(response, key=key, idempotent=idempotent, endpoint=endpoint)

    def _token(self, *, refresh: bool = False) -> str:
        try:
            return self.tokens.refresh() if refresh else self.tokens.access_token()
        except TokenEndpointUnavailable as exc:
            # the API's own policy: a 429 is waited out or is a quota stop, the rest retried
            retry_after = parse_retry_after(exc.retry_after)
            what = f"token endpoint HTTP {exc.status}"
            if exc.status == 429:
                raise Throttled(what, retry_after_s=retry_after) from None
            raise Transient(what, sent=False, retry_after_s=retry_after) from None
        except (requests.RequestException, ValueError) as exc:
            raise Transient(f"token endpoint: {type(exc).__name__}", sent=False) from None

    def _send(
        self, method: str, url: str, *, params: dict[str, Any] | None, json_body: Any, etag: str | None
    ) -> requests.Response:
        headers = {"Authorization": f"Bearer {self._token()}", "Accept": "application/json"}
        if self.before_send is not None:  # e.g. a slot of the rate limit all workers share
            self.before_send()
        if etag:
            headers["If-None-Match"] = etag
        try:
            response = self.session.request(
                method, url, params=params, json=json_body, headers=headers, timeout=self.policy.timeout_s
            )
        except requests.Timeout as exc:
            raise Transient("timeout", sent=not _not_sent(exc)) from None
        except requests.ConnectionError as exc:
            raise Transient(f"connection error ({type(exc).__name__})", sent=not _not_sent(exc)) from None
        except requests.RequestException as exc:  # e.g. ChunkedEncodingError: body cut short
            raise Transient(f"truncated response ({type(exc).__name__})", sent=True) from None
        return response

    def _decoded(
        self, response: requests.Response, *, key: str | None, idempotent: bool, endpoint: str
    ) -> ApiResponse:
        etag = response.headers.get("ETag")
        if response.status_code == 204 or not response.content:
            return ApiResponse(response.status_code, None, etag=etag)
        try:
            body = response.json()
        except ValueError:
            if not idempotent:
                log.warning(
                    "%s: applied (HTTP %s) but its body is not valid JSON", endpoint, response.status_code
                )
                return ApiResponse(response.status_code, None, etag=etag)
            what = f"invalid JSON body ({len(response.content)} bytes)"
            if cut_short(response.text):  # cut in transit: another attempt may get all of it
                raise Transient(what, sent=True) from None
            raise MalformedResponse(endpoint=endpoint, last_error=what) from None
        if key is not None and etag:
            self.etags.put(key, etag=etag, body=body)
        return ApiResponse(response.status_code, body, etag=etag)

    def _give_up(self, stop: GiveUp, *, endpoint: str) -> Exception:
        if stop.reason == "attempts" and isinstance(stop.failure, Transient):
            return RetriesExhausted(endpoint=endpoint, attempts=stop.attempts, last_error=stop.failure.what)
        if stop.reason == "budget" and isinstance(stop.failure, Transient):
            return RetriesExhausted(
                endpoint=endpoint,
                attempts=stop.attempts,
                last_error=f"{stop.failure.what}; wait budget spent",
            )
        resume_at = datetime.now(UTC) + timedelta(seconds=stop.wait_s)
        log.warning("%s: quota exhausted; resume after %s", endpoint, resume_at.isoformat(timespec="seconds"))
        return QuotaExhausted(
            resume_at=resume_at,
            retry_after_s=stop.wait_s,
            endpoint=endpoint,
            max_wait_s=self.policy.max_retry_wait_s,
            rate_limited=stop.rate_limited if stop.reason == "rate_limited" else None,
        )
