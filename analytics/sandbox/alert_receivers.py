"""Loopback receivers that speak each alert protocol: Sentry envelopes, PagerDuty Events v2, a webhook.

Each receiver checks the request the way the real service does (auth, required fields,
formats) and, like the real one, drops a resend by its idempotency key: Sentry's
``event_id``, PagerDuty's ``dedup_key`` (a trigger of an open incident is deduplicated, a
resolve of a resolved one is a no-op), the webhook's ``Idempotency-Key`` header.

::

    with AlertReceivers().running() as rx:
        settings = rx.configure(Settings())        # DSN, routing key, URLs pointing here
        ...
        rx.state.pages          # incidents that paged (PagerDuty triggers that opened one)
        rx.down()  / rx.up()    # the port stops / starts answering (connection refused)
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import SecretStr

from analytics.sandbox.loopback import LoopbackServer

PD_SEVERITIES = {"critical", "error", "warning", "info"}
PD_ACTIONS = {"trigger", "acknowledge", "resolve"}


@dataclass
class ReceiverState:
    """Everything the receivers accepted, as the real services would show it."""

    sentry_key: str
    sentry_project: str
    routing_key: str
    webhook_token: str
    lock: threading.Lock = field(default_factory=threading.Lock)
    sentry_events: dict[str, dict[str, Any]] = field(default_factory=dict)
    sentry_requests: int = 0
    pd_events: list[dict[str, Any]] = field(default_factory=list)
    pd_incidents: dict[str, str] = field(default_factory=dict)  # dedup_key -> triggered | resolved
    pages: list[str] = field(default_factory=list)
    resolves: list[str] = field(default_factory=list)
    webhooks: dict[str, dict[str, Any]] = field(default_factory=dict)
    webhook_requests: int = 0
    received_at: dict[str, float] = field(default_factory=dict)

    def record_time(self, key: str) -> None:
        self.received_at.setdefault(key, time.time())


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"status": "invalid event", "message": message, "errors": [message]}, status_code=status
    )


def build_app(state: ReceiverState) -> FastAPI:
    """The three receivers on one app."""
    app = FastAPI(title="encore alert receivers", docs_url=None, redoc_url=None, openapi_url=None)

    @app.post("/api/{project}/envelope/")
    async def sentry_envelope(project: str, request: Request) -> Response:
        auth = request.headers.get("x-sentry-auth", "")
        fields = dict(p.strip().split("=", 1) for p in auth.removeprefix("Sentry ").split(",") if "=" in p)
        if project != state.sentry_project or fields.get("sentry_key") != state.sentry_key:
            return JSONResponse({"detail": "invalid DSN or key"}, status_code=401)
        lines = (await request.body()).split(b"\n")
        try:
            header = json.loads(lines[0])
            item_header = json.loads(lines[1])
            event = json.loads(lines[2])
        except (IndexError, ValueError):
            return JSONResponse({"detail": "malformed envelope"}, status_code=400)
        if item_header.get("type") != "event" or int(item_header.get("length", -1)) != len(lines[2]):
            return JSONResponse({"detail": "bad item header"}, status_code=400)
        event_id = event.get("event_id")
        if not isinstance(event_id, str) or len(event_id) != 32 or header.get("event_id") != event_id:
            return JSONResponse(
                {"detail": "event_id must be 32 hex characters, in both headers"}, status_code=400
            )
        with state.lock:
            state.sentry_requests += 1
            state.sentry_events.setdefault(event_id, event)
            state.record_time(f"sentry:{event_id}")
        return JSONResponse({"id": event_id})

    @app.post("/v2/enqueue")
    async def pagerduty(request: Request) -> Response:
        try:
            body = json.loads(await request.body())
        except ValueError:
            return _error(400, "Event object is invalid")
        if body.get("routing_key") != state.routing_key:
            return _error(400, "Invalid routing key")
        action, key = body.get("event_action"), body.get("dedup_key")
        if action not in PD_ACTIONS:
            return _error(400, "'event_action' is invalid (must be one of: trigger, acknowledge, resolve)")
        if action != "trigger" and not key:
            return _error(400, "'dedup_key' is required for acknowledge and resolve")
        if action == "trigger":
            payload = body.get("payload") or {}
            missing = [f for f in ("summary", "source", "severity") if not payload.get(f)]
            if missing:
                return _error(400, f"'payload.{missing[0]}' is missing or blank")
            if payload["severity"] not in PD_SEVERITIES or len(payload["summary"]) > 1024:
                return _error(400, "'payload.severity' or 'payload.summary' is invalid")
            key = key or secrets.token_hex(16)
        with state.lock:
            state.pd_events.append({k: v for k, v in body.items() if k != "routing_key"})
            current = state.pd_incidents.get(key)
            if action == "trigger" and current != "triggered":
                state.pd_incidents[key] = "triggered"
                state.pages.append(key)
                state.record_time(f"pagerduty:{key}:{len(state.pages)}")
            elif action == "resolve" and current == "triggered":
                state.pd_incidents[key] = "resolved"
                state.resolves.append(key)
        return JSONResponse(
            {"status": "success", "message": "Event processed", "dedup_key": key}, status_code=202
        )

    @app.post("/hooks/{token}")
    async def webhook(token: str, request: Request) -> Response:
        if token != state.webhook_token:
            return Response("no_team", status_code=404)
        key = request.headers.get("idempotency-key")
        try:
            body = json.loads(await request.body())
        except ValueError:
            return Response("invalid_payload", status_code=400)
        if not isinstance(body, dict) or not isinstance(body.get("text"), str) or not body["text"]:
            return Response("no_text", status_code=400)
        if "blocks" in body and not isinstance(body["blocks"], list):
            return Response("invalid_blocks", status_code=400)
        if not key:
            return Response("missing Idempotency-Key", status_code=400)
        with state.lock:
            state.webhook_requests += 1
            state.webhooks.setdefault(key, body)
            state.record_time(f"webhook:{key}")
        return Response("ok", status_code=200)

    return app


class AlertReceivers:
    """The three receivers on one loopback port, with a switch to take the port down and up."""

    def __init__(self) -> None:
        self.state = ReceiverState(
            sentry_key=secrets.token_hex(16),
            sentry_project=str(secrets.randbelow(900_000) + 100_000),
            routing_key=secrets.token_hex(16),
            webhook_token=secrets.token_urlsafe(18),
        )
        self.app = build_app(self.state)
        self._server = LoopbackServer(self.app, name="the alert receivers")

    @property
    def port(self) -> int | None:
        """The receivers' port (kept while they are down), ``None`` outside :meth:`running`."""
        return self._server.port or None

    @property
    def base_url(self) -> str:
        if self.port is None:
            raise RuntimeError("the alert receivers are not running; use `with AlertReceivers().running():`")
        return self._server.url

    @property
    def sentry_dsn(self) -> str:
        return f"http://{self.state.sentry_key}@127.0.0.1:{self.port}/{self.state.sentry_project}"

    @property
    def pagerduty_url(self) -> str:
        return f"{self.base_url}/v2/enqueue"

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url}/hooks/{self.state.webhook_token}"

    def configure(self, settings: Any) -> Any:
        """A copy of ``settings`` whose alert channels all point at these receivers."""
        return settings.model_copy(
            update={
                "sentry_dsn": SecretStr(self.sentry_dsn),
                "pagerduty_routing_key": SecretStr(self.state.routing_key),
                "pagerduty_url": self.pagerduty_url,
                "alert_webhook_url": SecretStr(self.webhook_url),
            }
        )

    def env(self) -> dict[str, str]:
        """The same configuration as ``ENCORE_*`` environment variables (for subprocesses)."""
        return {
            "ENCORE_SENTRY_DSN": self.sentry_dsn,
            "ENCORE_PAGERDUTY_ROUTING_KEY": self.state.routing_key,
            "ENCORE_PAGERDUTY_URL": self.pagerduty_url,
            "ENCORE_ALERT_WEBHOOK_URL": self.webhook_url,
        }

    def up(self) -> None:
        """Start answering (on the same port as before, if there was one)."""
        self._server.app = self.app  # what is served now (a layer put in front of the receivers too)
        self._server.start()

    def down(self) -> None:
        """Stop answering: connections to the port are refused until :meth:`up`."""
        self._server.stop()

    @contextmanager
    def running(self) -> Iterator[AlertReceivers]:
        """Serve on a free loopback port until the block ends."""
        self._server.app = self.app  # what is served now (a layer put in front of the receivers too)
        with self._server.running(keep_port=False):
            yield self
