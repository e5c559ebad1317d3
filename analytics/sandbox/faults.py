"""Injected HTTP faults shared by the sandboxes: error answers, dropped connections, cut bodies.

The sandboxes pick a :class:`~analytics.sandbox.spotify.options.FaultRule` per request from a
seeded generator (:class:`~analytics.sandbox.spotify.controls.Controls`); the functions here
carry it out at the ASGI level, under uvicorn, so that the client sees what a real network
would show it: a status, a connection reset (TCP RST, no bytes), a timeout, or half a body.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import struct
from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

if TYPE_CHECKING:  # the Spotify sandbox imports this module: no import cycle at run time
    from analytics.sandbox.spotify.options import FaultRule

STATUS_MESSAGES = {
    500: "Server error.",
    502: "Bad gateway.",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def abort_connection(receive: Receive) -> bool:
    """Drop the connection under uvicorn: RST, no response bytes. False if the server is not uvicorn."""
    cycle = getattr(receive, "__self__", None)
    transport = getattr(cycle, "transport", None)
    if transport is None:
        return False
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    cycle.disconnected = True  # type: ignore[union-attr]
    return True


async def send_json(
    send: Send, status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]]
) -> None:
    """One complete JSON response."""
    payload = json.dumps(body).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json; charset=utf-8"),
                (b"content-length", str(len(payload)).encode()),
                *headers,
            ],
        }
    )
    await send({"type": "http.response.body", "body": payload})


async def apply_fault(fault: FaultRule, receive: Receive, send: Send, outcome: dict[str, Any]) -> bool:
    """Carry out ``fault``; True when the request is finished (no normal response follows).

    ``outcome`` gets the status sent (``status``) and, when the connection could not be
    dropped, a ``fault`` naming the fallback used. ``truncate`` and ``delay`` return False: the
    caller forwards the request (and cuts the body for ``truncate``).
    """
    if fault.kind in ("delay", "timeout"):
        await asyncio.sleep(fault.delay_s)
        if fault.kind == "delay":
            return False
    if fault.kind in ("reset", "timeout"):
        if not abort_connection(receive):  # not under uvicorn: promise more bytes than are sent
            outcome["fault"] = f"{fault.kind} (incomplete body)"
            await send(
                {"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]}
            )
            await send({"type": "http.response.body", "body": b"{", "more_body": True})
        return True
    if fault.kind == "status":
        outcome["status"] = fault.status
        message = STATUS_MESSAGES.get(fault.status, "Injected failure")
        headers = [] if fault.retry_after_s is None else [(b"retry-after", str(fault.retry_after_s).encode())]
        await send_json(send, fault.status, {"error": {"status": fault.status, "message": message}}, headers)
        return True
    return False


async def call_captured(app: ASGIApp, scope: Scope, receive: Receive) -> tuple[Message | None, bytes]:
    """Run ``app`` on the request and return its response start message and whole body."""
    start: Message | None = None
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        nonlocal start
        if message["type"] == "http.response.start":
            start = message
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    try:
        await app(scope, receive, capture)
    except Exception:
        if start is None:  # nothing answered: let the server send its own 500
            raise
    return start, b"".join(chunks)


def truncated(body: bytes) -> bytes:
    """The first half of ``body`` (a JSON document cut mid-way)."""
    return body[: len(body) // 2]
