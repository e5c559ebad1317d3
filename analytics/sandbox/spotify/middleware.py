"""The outermost ASGI layer: rate limit, injected faults, ETag/304, and the request log.

It wraps the FastAPI app (it is what uvicorn serves), so it sees uvicorn's own ``receive``: a
connection reset aborts that request's transport with SO_LINGER 0, which sends a TCP RST and no
bytes of a response at all.
"""

from __future__ import annotations

import hashlib
import time
from typing import Any

from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from analytics.sandbox.faults import apply_fault, call_captured, send_json, truncated
from analytics.sandbox.spotify.controls import Controls, RequestRecord

ADMIN_PREFIX = "/_sandbox"
API_PREFIX = "/v1/"


def without_trailing_slash(scope: Scope) -> Scope:
    """``scope`` with one trailing ``/`` dropped from an API path, as Spotify serves ``artists/?ids=…``.

    spotipy sends ``artists/?ids=…`` and ``albums/{id}/tracks/``; the Web API answers them as the
    paths without the slash (no redirect), so the sandbox routes them the same way.
    """
    path: str = scope["path"]
    if not (path.startswith(API_PREFIX) and path.endswith("/") and len(path) > len(API_PREFIX)):
        return scope
    raw: bytes = scope.get("raw_path") or path.encode()
    return {**scope, "path": path[:-1], "raw_path": raw[:-1] if raw.endswith(b"/") else raw}


def etag_of(body: bytes) -> str:
    """A strong ETag: a stable hash of the response body."""
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _if_none_match_hits(header: str | None, etag: str) -> bool:
    if not header:
        return False
    candidates = {c.strip().removeprefix("W/") for c in header.split(",")}
    return "*" in candidates or etag in candidates


class SandboxMiddleware:
    """Wraps the FastAPI app; ``routes`` are that app's routes, used to name the route template."""

    def __init__(self, app: ASGIApp, *, controls: Controls, routes: list[tuple[str, set[str]]]) -> None:
        self.app = app
        self.controls = controls
        self.routes = [(compile_path(path)[0], path, methods) for path, methods in routes]

    def template(self, scope: Scope) -> str | None:
        """The route template of the request (a method mismatch still names the path's template)."""
        partial = None
        for regex, path, methods in self.routes:
            if regex.match(scope["path"]):
                if scope["method"] in methods:
                    return path
                partial = partial or path
        return partial

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith(ADMIN_PREFIX):
            await self.app(scope, receive, send)
            return
        scope = without_trailing_slash(scope)
        started = time.perf_counter()
        method: str = scope["method"]
        path: str = scope["path"]
        template = self.template(scope)
        outcome: dict[str, Any] = {"status": 0, "fault": None, "recorded": False}

        def record() -> None:
            if outcome["recorded"]:
                return
            outcome["recorded"] = True
            self.controls.record(
                RequestRecord(
                    at=time.time(),
                    method=method,
                    path=path,
                    route=template or "<unmatched>",
                    query=scope.get("query_string", b"").decode("latin-1"),
                    status=outcome["status"],
                    duration_ms=(time.perf_counter() - started) * 1000.0,
                    fault=outcome["fault"],
                )
            )

        async def send_and_record(message: Message) -> None:
            # Record before the last byte leaves, so a client that has its response sees it counted.
            if message["type"] == "http.response.start":
                outcome["status"] = message["status"]
            elif message["type"] == "http.response.body" and not message.get("more_body", False):
                record()
            await send(message)

        try:
            await self._handle(
                scope, receive, send_and_record, method=method, path=path, template=template, outcome=outcome
            )
        finally:
            record()

    async def _handle(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        *,
        method: str,
        path: str,
        template: str | None,
        outcome: dict[str, Any],
    ) -> None:
        if path.startswith("/v1"):
            retry_after = self.controls.rate_limited()
            if retry_after is not None:
                outcome.update(status=429, fault="rate_limit")
                body = {"error": {"status": 429, "message": "Too many requests", "reason": "QUOTA_EXCEEDED"}}
                await send_json(send, 429, body, [(b"retry-after", str(retry_after).encode())])
                return
        fault = self.controls.pick_fault(method=method, path=path, template=template)
        if fault is not None:
            outcome["fault"] = fault.kind
            if await apply_fault(fault, receive, send, outcome):
                return
        await self._forward(
            scope,
            receive,
            send,
            method=method,
            truncate=fault is not None and fault.kind == "truncate",
            outcome=outcome,
        )

    async def _forward(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        *,
        method: str,
        truncate: bool,
        outcome: dict[str, Any],
    ) -> None:
        start, body = await call_captured(self.app, scope, receive)
        if start is None:
            return
        status: int = start["status"]
        headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
        if method == "GET" and body:
            etag = etag_of(body)
            headers.append((b"etag", etag.encode()))
            request_headers = dict(scope.get("headers", []))
            inm = request_headers.get(b"if-none-match")
            if status == 200 and _if_none_match_hits(inm.decode("latin-1") if inm else None, etag):
                status, body = 304, b""
                headers = [(k, v) for k, v in headers if k.lower() in (b"etag", b"cache-control")]
        if truncate and body:
            body = truncated(body)
        if status != 304:
            headers.append((b"content-length", str(len(body)).encode()))
        outcome["status"] = status
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
