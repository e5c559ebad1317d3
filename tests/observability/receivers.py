"""Loopback HTTP receivers that stand in for an OTLP collector, Sentry and a Pushgateway.

Each records every request (method, path, headers, body already decompressed) so a test can
assert what really went over the wire.
"""

from __future__ import annotations

import gzip
import threading
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    url: str
    requests: list[Request] = field(default_factory=list)

    def wait(self, *, count: int = 1, timeout_s: float = 10.0) -> list[Request]:
        """The requests, once at least ``count`` arrived (fails the test after ``timeout_s``)."""
        deadline = threading.Event()
        for _ in range(int(timeout_s * 20)):
            if len(self.requests) >= count:
                return list(self.requests)
            deadline.wait(0.05)
        raise AssertionError(f"{len(self.requests)} of {count} requests reached {self.url}")


def _decompress(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding:
        raise AssertionError(f"unexpected Content-Encoding {encoding!r}")
    return body


@contextmanager
def receiver(
    *, status: int = 200, content_type: str = "application/json", response: bytes = b"{}"
) -> Iterator[Receiver]:
    """An HTTP server on 127.0.0.1 (free port) answering every request with ``status``."""
    recorded: list[Request] = []

    class Handler(BaseHTTPRequestHandler):
        def _handle(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            headers = {k.lower(): v for k, v in self.headers.items()}
            body = _decompress(body, headers.get("content-encoding", ""))
            recorded.append(Request(self.command, self.path, headers, body))
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(response)))
            self.end_headers()
            self.wfile.write(response)

        do_GET = do_POST = do_PUT = do_DELETE = _handle

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the test asserts on the recorded requests instead."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Receiver(url=f"http://127.0.0.1:{server.server_port}", requests=recorded)
    finally:
        server.shutdown()
        server.server_close()
