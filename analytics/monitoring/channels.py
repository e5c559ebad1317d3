"""Alert channels: the payload of each protocol (pure) and a small sender per channel.

- Sentry: a message event in an envelope POSTed to the DSN's envelope endpoint, with tags,
  the trace id and a fingerprint; its ``event_id`` lets Sentry drop a resend.
- PagerDuty Events API v2: ``trigger`` and ``resolve`` with the alert's ``dedup_key``; the
  routing key is added only when sending (it is never stored in the outbox).
- Webhook: Slack-compatible JSON (``text`` and ``blocks``) plus an ``encore`` object with the
  machine-readable alert; an ``Idempotency-Key`` header lets the receiver drop a resend.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx
from pydantic import SecretStr

from analytics.http.retry import parse_retry_after, retryable_status
from analytics.observability.redaction import Redactor, redact

SENTRY_LEVELS = {"critical": "fatal", "error": "error", "warning": "warning", "info": "info"}
SEVERITY_EMOJI = {"critical": ":red_circle:", "error": ":large_orange_circle:", "warning": ":warning:"}


@dataclass(frozen=True)
class AlertMessage:
    """What every channel says about one alert event (a trigger, a resolve or a notice)."""

    alert_id: str
    action: str  # trigger | resolve | notice
    dedup_key: str
    rule_id: str
    kind: str
    severity: str
    artist_id: str
    subject: str
    summary: str
    facts: Mapping[str, Any]
    rule: Mapping[str, Any]
    at: datetime
    trace_id: str
    run_id: str


def sentry_event(message: AlertMessage, *, event_id: str, span_id: str) -> dict[str, Any]:
    """A Sentry message event: level from severity, tags, trace context, fingerprint."""
    return {
        "event_id": event_id,
        "timestamp": message.at.astimezone(UTC).isoformat(),
        "platform": "python",
        "logger": "encore.monitoring",
        "level": SENTRY_LEVELS.get(message.severity, "info"),
        "message": {"formatted": f"[{message.rule_id}] {message.summary}"},
        "fingerprint": ["encore-alert", message.dedup_key],
        "tags": {
            "rule_id": message.rule_id,
            "kind": message.kind,
            "severity": message.severity,
            "artist_id": message.artist_id,
            "action": message.action,
            "trace_id": message.trace_id,
            "run_id": message.run_id,
        },
        "contexts": {"trace": {"trace_id": message.trace_id, "span_id": span_id, "op": "encore.alert"}},
        "extra": {"dedup_key": message.dedup_key, "facts": dict(message.facts), "rule": dict(message.rule)},
    }


def pagerduty_event(message: AlertMessage) -> dict[str, Any]:
    """A PagerDuty Events v2 body without its routing key (added by the sender)."""
    if message.action == "resolve":
        return {"event_action": "resolve", "dedup_key": message.dedup_key}
    severity = message.severity if message.severity in SENTRY_LEVELS else "info"
    return {
        "event_action": "trigger",
        "dedup_key": message.dedup_key,
        "payload": {
            "summary": f"[{message.rule_id}] {message.summary}"[:1024],
            "source": f"encore:{message.artist_id}",
            "severity": severity,
            "timestamp": message.at.astimezone(UTC).isoformat(),
            "component": message.artist_id,
            "group": message.kind,
            "class": message.rule_id,
            "custom_details": {
                "facts": dict(message.facts),
                "rule": dict(message.rule),
                "trace_id": message.trace_id,
            },
        },
        "client": "encore",
    }


def slack_escape(text: str) -> str:
    """``text`` as literal Slack mrkdwn: ``&``, ``<`` and ``>`` as the entities Slack documents.

    Slack reads ``<!channel>``, ``<@U123>`` and ``<https://x|label>`` as mentions and links;
    escaped, a track called ``<!channel>`` is shown as written and pings no one.
    """
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def webhook_message(message: AlertMessage) -> dict[str, Any]:
    """Slack-compatible JSON: ``text`` (fallback), ``blocks``, and the alert under ``encore``."""
    verb = {"trigger": "FIRING", "resolve": "RESOLVED", "notice": "NOTICE"}.get(
        message.action, message.action
    )
    head = slack_escape(
        f"{SEVERITY_EMOJI.get(message.severity, ':information_source:')} {verb} [{message.rule_id}] {message.summary}"
    )
    facts = slack_escape(", ".join(f"{k}={v}" for k, v in list(message.facts.items())[:12]))
    return {
        "text": head,
        "blocks": [
            {"type": "section", "text": {"type": "mrkdwn", "text": f"*{head}*"}},
            {
                "type": "context",
                "elements": [
                    {
                        "type": "mrkdwn",
                        "text": slack_escape(f"artist `{message.artist_id}` · rule kind `{message.kind}`"),
                    },
                    {"type": "mrkdwn", "text": f"facts: {facts or 'none'}"[:2000]},
                ],
            },
        ],
        "encore": {
            "alert_id": message.alert_id,
            "action": message.action,
            "dedup_key": message.dedup_key,
            "severity": message.severity,
            "artist_id": message.artist_id,
            "subject": message.subject,
            "summary": message.summary,
            "facts": dict(message.facts),
            "rule": dict(message.rule),
            "trace_id": message.trace_id,
            "run_id": message.run_id,
            "at": message.at.astimezone(UTC).isoformat(),
        },
    }


class DeliveryError(RuntimeError):
    """A channel refused or could not be reached; ``retryable`` says whether to try again.

    ``retry_after_s`` is the receiver's ``Retry-After``, when it sent one: the outbox waits at
    least that long before the next attempt.
    """

    def __init__(self, message: str, *, retryable: bool, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retryable = retryable
        self.retry_after_s = retry_after_s


class Channel(Protocol):
    """One way out: sends a stored payload with its idempotency key."""

    name: str

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None: ...


def _post(
    client: httpx.Client, url: str, *, body: bytes, headers: dict[str, str], what: str, secrets: Redactor
) -> httpx.Response:
    try:
        response = client.post(url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryError(
            _hide(f"{what} unreachable: {type(exc).__name__}: {exc}", secrets), retryable=True
        ) from None
    if response.status_code >= 300:
        text = _hide(f"{what} answered {response.status_code}: {response.text[:300]}", secrets)
        raise DeliveryError(
            text,
            retryable=retryable_status(response.status_code),
            retry_after_s=parse_retry_after(response.headers.get("Retry-After")),
        )
    return response


def _hide(text: str, secrets: Redactor) -> str:
    """``text`` without the channel's own secrets (in any form or case) nor the process's."""
    return redact(secrets.hide_values(text))


class SentryChannel:
    """Posts events as envelopes to ``<scheme>://<host>/api/<project>/envelope/`` of a DSN."""

    name = "sentry"

    def __init__(self, dsn: SecretStr, *, timeout_s: float = 5.0) -> None:
        raw = dsn.get_secret_value()
        parts = urlsplit(raw)
        project = parts.path.rstrip("/").rsplit("/", 1)[-1]
        if not parts.username or not project or not parts.hostname:
            raise ValueError("ENCORE_SENTRY_DSN is not a Sentry DSN; expected https://<key>@<host>/<project>")
        prefix = parts.path.rstrip("/").rsplit("/", 1)[0]
        port = f":{parts.port}" if parts.port else ""
        self._url = f"{parts.scheme}://{parts.hostname}{port}{prefix}/api/{project}/envelope/"
        self._key = parts.username
        self._secrets = Redactor([raw, parts.username])
        self._client = httpx.Client(timeout=timeout_s)

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        event = dict(payload)
        event["event_id"] = idempotency_key
        item = json.dumps(event, separators=(",", ":")).encode()
        header = json.dumps({"event_id": idempotency_key, "sent_at": datetime.now(UTC).isoformat()}).encode()
        item_header = json.dumps(
            {"type": "event", "length": len(item), "content_type": "application/json"}
        ).encode()
        body = b"\n".join([header, item_header, item]) + b"\n"
        auth = f"Sentry sentry_version=7, sentry_key={self._key}, sentry_client=encore-monitoring/1"
        headers = {"Content-Type": "application/x-sentry-envelope", "X-Sentry-Auth": auth}
        _post(self._client, self._url, body=body, headers=headers, what="Sentry", secrets=self._secrets)

    def close(self) -> None:
        self._client.close()


class PagerDutyChannel:
    """Events API v2: ``POST {"routing_key": …, "event_action": …, "dedup_key": …}``."""

    name = "pagerduty"

    def __init__(self, url: str, routing_key: SecretStr, *, timeout_s: float = 5.0) -> None:
        self._url, self._key = url, routing_key
        self._secrets = Redactor([routing_key.get_secret_value()])
        self._client = httpx.Client(timeout=timeout_s)

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        secret = self._key.get_secret_value()
        body = json.dumps({**payload, "routing_key": secret}).encode()
        headers = {"Content-Type": "application/json"}
        _post(self._client, self._url, body=body, headers=headers, what="PagerDuty", secrets=self._secrets)

    def close(self) -> None:
        self._client.close()


class WebhookChannel:
    """A JSON POST with an ``Idempotency-Key`` header (Slack incoming webhooks accept the body)."""

    name = "webhook"

    def __init__(self, url: SecretStr, *, timeout_s: float = 5.0) -> None:
        self._url = url
        self._secrets = Redactor([url.get_secret_value()])
        self._client = httpx.Client(timeout=timeout_s)

    def send(self, payload: Mapping[str, Any], *, idempotency_key: str) -> None:
        url = self._url.get_secret_value()
        headers = {"Content-Type": "application/json", "Idempotency-Key": idempotency_key}
        body = json.dumps(payload).encode()
        _post(self._client, url, body=body, headers=headers, what="the alert webhook", secrets=self._secrets)

    def close(self) -> None:
        self._client.close()


def channels_from_settings(settings: Any) -> dict[str, Channel]:
    """The configured channels: Sentry with a DSN, PagerDuty with a routing key, the webhook with a URL."""
    out: dict[str, Channel] = {}
    if settings.sentry_dsn and settings.sentry_dsn.get_secret_value():
        out["sentry"] = SentryChannel(settings.sentry_dsn)
    if settings.pagerduty_routing_key and settings.pagerduty_routing_key.get_secret_value():
        out["pagerduty"] = PagerDutyChannel(settings.pagerduty_url, settings.pagerduty_routing_key)
    if settings.alert_webhook_url and settings.alert_webhook_url.get_secret_value():
        out["webhook"] = WebhookChannel(settings.alert_webhook_url)
    return out
