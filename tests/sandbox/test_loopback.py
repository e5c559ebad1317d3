"""LoopbackServer: an ASGI app served by uvicorn in a thread on a loopback port, stopped and restarted."""

from __future__ import annotations

import logging
import socket
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from analytics.sandbox.loopback import LoopbackServer


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


def test_it_serves_on_a_free_loopback_port_and_refuses_once_stopped() -> None:
    server = LoopbackServer(_app(), name="the test server")
    with server.running():
        assert server.is_running and server.port > 0
        assert server.url == f"http://127.0.0.1:{server.port}"
        assert httpx.get(f"{server.url}/hello", timeout=5).json() == {"hello": "world"}
        with pytest.raises(RuntimeError, match="the test server is already running"):
            server.start()
    assert not server.is_running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{server.url}/hello", timeout=5)


def test_a_restarted_server_is_found_on_its_port_unless_it_let_it_go() -> None:
    server = LoopbackServer(_app())
    server.start()
    port = server.port
    server.stop()
    server.start()
    try:
        assert server.port == port
        assert httpx.get(f"http://127.0.0.1:{port}/hello", timeout=5).status_code == 200
    finally:
        server.stop(keep_port=False)
    assert server.port == 0
    with pytest.raises(RuntimeError, match="no port yet"):
        _ = server.url


def test_a_port_held_by_another_listener_is_an_error_not_a_silent_second_server() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = LoopbackServer(_app(), port=taken.getsockname()[1])
        with pytest.raises(OSError):
            server.start()
        assert not server.is_running


def test_its_connections_send_without_waiting_for_an_ack() -> None:
    """TCP_NODELAY on every accepted connection: with Nagle's algorithm on, a response's body
    waits behind its headers for the client's delayed ACK (about 40 ms a request)."""
    seen: list[int] = []

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        transport = receive.__self__.transport  # uvicorn's connection, as the sandbox faults reach it
        sock = transport.get_extra_info("socket")
        seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    with LoopbackServer(app).running() as server:
        assert httpx.get(server.url, timeout=5).status_code == 204
    assert seen and all(seen)


class _CountingHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.flushes = self.closes = 0

    def emit(self, record: logging.LogRecord) -> None:
        pass

    def flush(self) -> None:
        self.flushes += 1

    def close(self) -> None:
        self.closes += 1
        super().close()


def test_starting_a_server_leaves_the_process_s_log_handlers_alone() -> None:
    """uvicorn's own logging set-up would flush and close every handler of the process (a flow
    run's API log handler among them) each time a sandbox starts inside a run."""
    handler = _CountingHandler()
    logger = logging.getLogger("tests.loopback.handlers")
    logger.addHandler(handler)
    try:
        with LoopbackServer(_app()).running():
            pass
        assert (handler.flushes, handler.closes) == (0, 0)
        assert handler in logger.handlers
    finally:
        logger.removeHandler(handler)
