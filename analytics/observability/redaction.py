"""Redaction of secrets and personal data from any text encore writes.

One :class:`Redactor` is active per process. :func:`configure` in this package installs one that
knows the values of every secret in the settings; before that, the patterns alone apply. The log
processors, the Sentry scrubber and anything else that writes text (audit records, reports) call
:func:`redact` or :func:`redact_value` so that they all hide the same things.
"""

from __future__ import annotations

import ipaddress
import json
import re
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any
from urllib.parse import quote, quote_plus

REDACTED = "[REDACTED]"
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
    r"""|token|code_verifier|routing_key|signature|sig)(["']?\s*[=:]\s*["']?)(?!\[REDACTED\])([^&\s"',;}\]]+)"""
)
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


def redact_patterns(text: str) -> str:
    """Hide what looks secret or personal in ``text``, without knowing any secret value.

    Bearer tokens, ``Authorization``/``Cookie`` header values, ``access_token=…`` style pairs,
    passwords in URLs, e-mail addresses and IP addresses (except loopback and unspecified).
    Each pattern runs only where a cheap test says it could match.
    """
    lower = text.lower()
    if "@" in text:
        if "://" in text:
            text = _URL_PASSWORD.sub(rf"\g<1>{REDACTED}\g<3>", text)
        text = _EMAIL.sub(EMAIL, text)
    if "authorization" in lower or "cookie" in lower or "api-key" in lower:
        text = _AUTH_HEADER.sub(rf"\g<1>\g<2>{REDACTED}", text)
    if "bearer" in lower:
        text = _BEARER.sub(rf"\g<1>\g<2>{REDACTED}", text)
    if ("=" in text or ":" in text) and any(word in lower for word in _KEY_WORDS):
        text = _KEY_VALUE.sub(rf"\g<1>\g<2>{REDACTED}", text)
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

    @staticmethod
    def usable(secrets: Iterable[str]) -> list[str]:
        """The distinct values of ``secrets`` long enough to hide (4 characters or more), sorted."""
        return sorted({value for value in secrets if len(value) >= 4})

    def _redact(self, text: str) -> str:
        if self._secrets is not None:
            text = self._secrets.sub(REDACTED, text)
        return redact_patterns(text)

    def redact(self, text: str) -> str:
        """``text`` with every secret value and secret-looking or personal pattern hidden.

        Texts shorter than 4 characters cannot hold anything to hide and come back as they
        are; short texts (log keys, ids, event names) are remembered, since they repeat.
        """
        if len(text) < 4:
            return text
        if len(text) <= 256:
            return self._cached(text)
        return self._redact(text)

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


def redact(text: str) -> str:
    """The same redaction as the log processor, for anything else that writes text.

    Parameters
    ----------
    text : any text: a message, a report paragraph, an audit field, a traceback.

    Returns
    -------
    ``text`` with every configured secret value (and its URL-encoded forms), Bearer
    tokens, Authorization headers, ``access_token=…``-style pairs, URL passwords, e-mail and
    non-loopback IP addresses replaced by ``[REDACTED]``, ``[EMAIL]`` or ``[IP]``.
    """
    return _active.redact(text)


def redact_value(value: Any) -> Any:
    """:func:`redact` applied to every string inside ``value`` (dicts, lists, tuples, sets)."""
    return _active.redact_value(value)
