"""Seeded fault injection for the social sandbox, the same rules as the Spotify sandbox's.

An outer ASGI layer picks a :class:`~analytics.sandbox.spotify.FaultRule` per request from the
Spotify sandbox's seeded :class:`~analytics.sandbox.spotify.controls.Controls` and carries it
out with :mod:`analytics.sandbox.faults`. A ``status`` 429 is answered the way the platform
itself answers a rate limit (its own body and headers, a ``retry_after_s`` wait); a request the
platform never rate-limits (token exchange) is then served normally and not counted as a fault.
"""

from __future__ import annotations

import time
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from analytics.sandbox.faults import apply_fault, call_captured, truncated
from analytics.sandbox.social.state import INJECTED_RATE_LIMIT
from analytics.sandbox.spotify.controls import Controls, RequestRecord


class SocialFaults:
    """Wraps the social app: injects the picked fault, logs every request with its fault."""

    def __init__(self, app: ASGIApp, *, controls: Controls, retry_after_s: int = 1) -> None:
        self.app = app
        self.controls = controls
        self.retry_after_s = retry_after_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        path: str = scope["path"]
        platform = path.strip("/").split("/", 1)[0]
        outcome: dict[str, Any] = {"status": 0, "fault": None}
        recorded = False

        def record() -> None:
            nonlocal recorded
            recorded = True
            self.controls.record(
                RequestRecord(
                    at=time.time(),
                    method=scope["method"],
                    path=path,
                    route=platform,
                    query="",  # the platforms take tokens in the query: never kept
                    status=outcome["status"],
                    duration_ms=(time.perf_counter() - started) * 1000.0,
                    fault=outcome["fault"],
                )
            )

        async def send_logged(message: Message) -> None:
            # logged before the answer's last bytes leave: a client that has its answer finds
            # the request in the log, without waiting for the server to catch up
            if message["type"] == "http.response.body" and not message.get("more_body") and not recorded:
                record()
            await send(message)

        try:
            await self._handle(scope, receive, send_logged, platform=platform, outcome=outcome)
        finally:
            if not recorded:  # a dropped connection, or no answer at all
                record()

    async def _handle(
        self, scope: Scope, receive: Receive, send: Send, *, platform: str, outcome: dict[str, Any]
    ) -> None:
        fault = self.controls.pick_fault(method=scope["method"], path=scope["path"], template=None)
        rate_limit: list[int] | None = None
        if fault is not None and fault.kind == "status" and fault.status == 429:
            rate_limit = [self.retry_after_s]
        elif fault is not None:
            outcome["fault"] = fault.kind
            if await apply_fault(fault, receive, send, outcome):
                return
        token = INJECTED_RATE_LIMIT.set(rate_limit)
        try:
            start, body = await call_captured(self.app, scope, receive)
        finally:
            INJECTED_RATE_LIMIT.reset(token)
        if rate_limit is not None and not rate_limit:  # the platform answered its rate limit
            outcome["fault"] = "rate_limit"
        if start is None:
            return
        if fault is not None and fault.kind == "truncate" and body:
            body = truncated(body)
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(body)).encode()))
        outcome["status"] = start["status"]
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": body})
