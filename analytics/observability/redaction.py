"""Redaction of secrets and personal data from any text encore writes: encore's one redactor.

One :class:`Redactor` is active per process. :func:`configure` in this package installs one that
knows the values of every secret in the settings; before that, the patterns alone apply. Secrets
learnt at run time (access tokens, refreshed tokens) are added with :func:`register_secret`. The
log processors, the Sentry scrubber, the HTTP clients (their errors and the loggers of spotipy,
httpx and urllib3, through :class:`RedactingFilter`) and anything else that writes text (audit
records, reports) call :func:`redact` or :func:`redact_value` so that they all hide the same
things; a client may ask for its own ``mask`` (``***`` in URLs) but never hides less.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import re
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[REDACTED]"
# what the HTTP clients write for a secret in a URL or a header, so the line stays readable
CLIENT_MASK = "***"
EMAIL = "[EMAIL]"
IP = "[IP]"

# Keys whose values are secret whatever they look like (matched on the lowercased key, "-" as "_").
SECRET_KEYS = frozenset(
    {
        "password",
        "passwd",
        "secret",
        "client_secret",
        "token",
        "access_token",
        "refresh_token",
        "id_token",
        "api_key",
        "apikey",
        "authorization",
        "proxy_authorization",
        "cookie",
        "set_cookie",
        "dsn",
        "sentry_dsn",
        "routing_key",
        "private_key",
        "credentials",
    }
)

_BEARER = re.compile(r"(?i)\b(bearer)(\s+)[A-Za-z0-9\-._~+/]{8,}=*")
_AUTH_HEADER = re.compile(
    r"""(?ix)\b((?:proxy-)?authorization|x-api-key|api-key|cookie)(["']?\s*[:=]\s*["']?)"""
    r"""(?!\[REDACTED\])((?:[A-Za-z]+\s+)?[^"'\s,;}\]]+)"""
)
_KEY_VALUE = re.compile(
    r"""(?ix)\b(access_token|refresh_token|id_token|client_secret|api_key|apikey|password|passwd|secret"""
    r"""|token|code_verifier|routing_key|signature|sig|input_token|fb_exchange_token)"""
    r"""(["']?\s*[=:]\s*["']?)(?!\[REDACTED\]|\*\*\*)([^&\s"',;}\]]+)"""
)
# Basic credentials: base64 of "id:secret"; a digit, "+", "/" or "=" tells them from an English word
_BASIC = re.compile(r"(?<![\w-])(Basic)(\s+)(?=[A-Za-z0-9+/]*[0-9+/=])[A-Za-z0-9+/]{8,}={0,2}")
# names secret only as a query or form parameter (``?key=…``, ``&code=…``) or a quoted JSON key,
# since in prose "key: value" and "code: 404" are not secrets
_PARAM = re.compile(r"""(?i)((?<![\w.\-])(?:code|key)=)(?!\[REDACTED\]|\*\*\*)([^&\s"'#]+)""")
_QUOTED_CODE = re.compile(r"""(["']code["']\s*:\s*["'])([^"']*)""")
_URL_PASSWORD = re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^:/\s@]*:)([^@\s/]+)(@)")
_EMAIL = re.compile(r"(?i)(?<![\w.+\-])[a-z0-9._%+\-]+@[a-z0-9\-]+(?:\.[a-z0-9\-]+)*\.[a-z]{2,}\b")
_IPV4 = re.compile(r"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?!\w|\.\d)")
_IPV6 = re.compile(r"(?i)(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?:%\w+)?(?![\w:])")


def _ip_replacement(match: re.Match[str]) -> str:
    text = match.group(0)
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return text  # a time of day, a version or a MAC-like string, not an address
    if address.is_loopback or address.is_unspecified:
        return text  # 127.0.0.1, ::1 and 0.0.0.0 identify nobody
    return IP


_KEY_WORDS = ("token", "secret", "passw", "passwd", "key", "signature", "sig", "code_verifier")
_IPV4_HINT = re.compile(r"\d\.\d{1,3}\.\d")


def redact_patterns(text: str, *, mask: str = REDACTED) -> str:
    """Hide what looks secret or personal in ``text``, without knowing any secret value.

    Bearer and Basic credentials, ``Authorization``/``Cookie`` header values,
    ``access_token=…`` style pairs, ``key=``/``code=`` query parameters, passwords in URLs,
    e-mail addresses and IP addresses (except loopback and unspecified). Each pattern runs only
    where a cheap test says it could match. Secrets are replaced by ``mask``.
    """
    lower = text.lower()
    if "@" in text:
        if "://" in text:
            text = _URL_PASSWORD.sub(rf"\g<1>{mask}\g<3>", text)
        text = _EMAIL.sub(EMAIL, text)
    if "authorization" in lower or "cookie" in lower or "api-key" in lower:
        text = _AUTH_HEADER.sub(lambda m: f"{m[1]}{m[2]}{mask}", text)
    if "bearer" in lower:
        text = _BEARER.sub(lambda m: f"{m[1]}{m[2]}{mask}", text)
    if "Basic" in text:
        text = _BASIC.sub(lambda m: f"{m[1]}{m[2]}{mask}", text)
    if ("=" in text or ":" in text) and any(word in lower for word in _KEY_WORDS):
        text = _KEY_VALUE.sub(lambda m: f"{m[1]}{m[2]}{mask}", text)
    if "code" in lower or "key=" in lower:
        text = _PARAM.sub(lambda m: f"{m[1]}{mask}", text)
        text = _QUOTED_CODE.sub(lambda m: f"{m[1]}{mask}", text)
    if _IPV4_HINT.search(text):
        text = _IPV4.sub(_ip_replacement, text)
    if "::" in text or text.count(":") >= 7:
        text = _IPV6.sub(_ip_replacement, text)
    return text


def secret_forms(value: str) -> set[str]:
    """``value`` as encore's parsers and encoders may write it (case aside: matched without it).

    URL-encoded (``quote``, ``quote_plus``), JSON-escaped, with its whitespace collapsed, and
    with spaces and underscores swapped as header normalisation does.
    """
    collapsed = " ".join(value.split())
    forms = {
        value,
        quote(value, safe=""),
        quote_plus(value),
        json.dumps(value, ensure_ascii=False)[1:-1],
        json.dumps(value)[1:-1],
        collapsed,
        collapsed.replace(" ", "_"),
        collapsed.replace("_", " "),
    }
    return {form for form in forms if len(form) >= 4}


class Redactor:
    """Replaces known secret values (also URL-encoded) and the patterns of :func:`redact_patterns`.

    Parameters
    ----------
    secrets : the secret values to hide; values shorter than 4 characters are ignored, since
        hiding them would mangle ordinary text.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self.secrets = self.usable(secrets)
        self.secret_count = len(self.secrets)
        variants: set[str] = set()
        for value in self.secrets:
            variants.update(secret_forms(value))
        ordered = sorted(variants, key=len, reverse=True)
        # case-insensitive: a parser that lower-cases a header (or a log that upper-cases a
        # code) must not turn a secret into text that no longer matches it
        self._secrets = re.compile("|".join(map(re.escape, ordered)), re.IGNORECASE) if ordered else None
        self._cached = lru_cache(maxsize=8192)(self._redact)

    def hide_values(self, text: str, *, mask: str = REDACTED) -> str:
        """``text`` with this redactor's secret values (in every form) replaced, patterns left alone."""
        return self._secrets.sub(lambda _: mask, text) if self._secrets is not None else text

    @staticmethod
    def usable(secrets: Iterable[str]) -> list[str]:
        """The distinct values of ``secrets`` long enough to hide (4 characters or more), sorted."""
        return sorted({value for value in secrets if len(value) >= 4})

    def _redact(self, text: str, mask: str = REDACTED) -> str:
        return redact_patterns(self.hide_values(text, mask=mask), mask=mask)

    def redact(self, text: str, *, mask: str = REDACTED) -> str:
        """``text`` with every secret value and secret-looking or personal pattern hidden.

        Texts shorter than 4 characters cannot hold anything to hide and come back as they
        are; short texts (log keys, ids, event names) are remembered, since they repeat.
        """
        if len(text) < 4:
            return text
        if len(text) <= 256:
            return self._cached(text, mask)
        return self._redact(text, mask)

    def redact_value(self, value: Any, *, _depth: int = 0) -> Any:
        """A copy of ``value`` (str, mapping, list, tuple, set, scalar) with every string redacted.

        Values under secret-looking keys (:data:`SECRET_KEYS`) are replaced whole. Numbers,
        booleans and ``None`` keep their type; any other object becomes its redacted ``str``
        (what a JSON log line would show of it anyway).
        """
        kind = type(value)
        if kind is str:
            return self.redact(value)
        if value is None or kind in _SCALARS:
            return value
        if _depth > 20:
            return REDACTED
        if isinstance(value, Mapping):
            out: dict[Any, Any] = {}
            for key, item in value.items():
                if type(key) is str:
                    if item and _is_secret_name(key):
                        out[self.redact(key)] = REDACTED
                        continue
                    key = self.redact(key)
                out[key] = item if type(item) in _SCALARS else self.redact_value(item, _depth=_depth + 1)
            return out
        if isinstance(value, list | tuple | set | frozenset):
            items = [self.redact_value(item, _depth=_depth + 1) for item in value]
            return tuple(items) if isinstance(value, tuple) else items
        if isinstance(value, str):  # a str subclass such as a StrEnum member
            return self.redact(str.__str__(value))
        if isinstance(value, int | float):
            return value
        if isinstance(value, bytes | bytearray):
            return self.redact(bytes(value).decode("utf-8", "replace"))
        return self.redact(str(value))


_SCALARS = (bool, int, float, type(None))


def is_secret_key(key: object) -> bool:
    """Whether a mapping key names a secret (``password``, ``api_key``, ``Authorization``, …)."""
    return isinstance(key, str) and _is_secret_name(key)


@lru_cache(maxsize=4096)
def _is_secret_name(key: str) -> bool:
    normal = key.lower().replace("-", "_")
    return normal in SECRET_KEYS or normal.endswith(("_token", "_secret", "_password", "_api_key"))


_active = Redactor()


def set_active(redactor: Redactor) -> None:
    """Make ``redactor`` the one :func:`redact` and the log processors use."""
    global _active
    _active = redactor


def active() -> Redactor:
    """The redactor in use."""
    return _active


def redact(text: str, *, mask: str = REDACTED) -> str:
    """The same redaction as the log processor, for anything else that writes text.

    Parameters
    ----------
    text : any text: a message, a report paragraph, an audit field, a traceback.
    mask : what a secret becomes (``[REDACTED]``; the HTTP clients write ``***`` in URLs).

    Returns
    -------
    ``text`` with every configured secret value (and its URL-encoded forms), Bearer
    tokens, Authorization headers, ``access_token=…``-style pairs, URL passwords, e-mail and
    non-loopback IP addresses replaced by ``[REDACTED]``, ``[EMAIL]`` or ``[IP]``; the secrets
    registered with :func:`register_secret` too.
    """
    return _active.redact(_registered.hide_values(text, mask=mask), mask=mask)


def redact_client(text: str) -> str:
    """:func:`redact` with :data:`CLIENT_MASK`, for the HTTP clients' errors and log lines."""
    return redact(text, mask=CLIENT_MASK)


_registered = Redactor()
_register_lock = threading.Lock()


def register_secret(value: str | None) -> None:
    """Hide ``value`` wherever :func:`redact` runs from now on (tokens learnt at run time).

    Values shorter than 4 characters are ignored, as in :class:`Redactor`.
    """
    global _registered
    if not value or len(value) < 4 or value in _registered.secrets:
        return
    with _register_lock:
        _registered = Redactor([*_registered.secrets, value])


class RedactingFilter(logging.Filter):
    """Rewrites a record's message (and exception text) with :func:`redact`; never drops it.

    Parameters
    ----------
    mask : what a secret becomes in these loggers' lines.
    """

    def __init__(self, *, mask: str = REDACTED) -> None:
        super().__init__()
        self.mask = mask

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            message = str(record.msg)
        record.msg = redact(message, mask=self.mask)
        record.args = None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = redact(logging.Formatter().formatException(record.exc_info), mask=self.mask)
            record.exc_info = None
        return True


def install_log_filter(names: Iterable[str], *, mask: str = REDACTED) -> None:
    """Attach one :class:`RedactingFilter` (per mask) to each named logger (idempotent).

    For the loggers of libraries that print URLs, headers or token bodies (spotipy, httpx,
    urllib3), whose records do not pass through encore's own log processors.
    """
    with _register_lock:
        log_filter = _FILTERS.setdefault(mask, RedactingFilter(mask=mask))
        for name in names:
            logger = logging.getLogger(name)
            if log_filter not in logger.filters:
                logger.addFilter(log_filter)


_FILTERS: dict[str, RedactingFilter] = {}


def redact_value(value: Any) -> Any:
    """:func:`redact` applied to every string inside ``value`` (dicts, lists, tuples, sets)."""
    return _active.redact_value(value)
