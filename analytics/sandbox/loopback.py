"""An ASGI app served by uvicorn in a daemon thread on a loopback port: every sandbox and receiver.

::

    server = LoopbackServer(app, name="the social sandbox")   # a free port on 127.0.0.1
    with server.running():
        httpx.get(f"{server.url}/health")

The server binds its socket itself before uvicorn starts, so the port it reports is the one it
holds (no race between picking a free port and listening on it). Stopped and started again, it
listens on the same port unless told to let it go: a receiver taken down and brought back up is
found where it was.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn


class LoopbackServer:
    """Serve ``app`` with uvicorn in a daemon thread, started and stopped at will.

    Parameters
    ----------
    app : the ASGI application.
    host : the address to listen on; loopback unless an operator asks otherwise.
    port : the port; 0 picks a free one at the first start.
    name : what the server is, for its thread and its errors ("the Spotify sandbox").
    graceful_shutdown_s : how long uvicorn waits for open connections at stop (``None``: until
        they close).
    """

    def __init__(
        self,
        app: Any,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        name: str = "the loopback server",
        graceful_shutdown_s: int | None = None,
    ) -> None:
        self.app = app
        self.host = host
        self.port = port
        self.name = name
        self.graceful_shutdown_s = graceful_shutdown_s
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._sock: socket.socket | None = None

    @property
    def is_running(self) -> bool:
        return self._thread is not None

    @property
    def url(self) -> str:
        """``http://host:port`` of the running (or last run) server."""
        if not self.port:
            raise RuntimeError(f"{self.name} has no port yet: start it first")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self, *, timeout_s: float = 10.0) -> LoopbackServer:
        """Listen and serve; returns once uvicorn accepts connections."""
        if self._thread is not None:
            raise RuntimeError(f"{self.name} is already running")
        # The protocol named explicitly: asyncio sets TCP_NODELAY only on sockets whose ``proto``
        # is IPPROTO_TCP, and accepted connections inherit the listener's. Without it, Nagle's
        # algorithm holds a response's body behind its headers until the client's delayed ACK,
        # about 40 ms on every request.
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((self.host, self.port))
        except OSError:
            sock.close()
            raise
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            # No logging.config.dictConfig of uvicorn's: it would flush and close every handler of
            # the process (a flow run's API log handler among them, which can deadlock) each time a
            # server starts. uvicorn's loggers keep their level and go through the process's handlers.
            log_config=None,
            log_level="warning",
            access_log=False,
            lifespan="off",
            timeout_graceful_shutdown=self.graceful_shutdown_s,
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(
            target=server.run, kwargs={"sockets": [sock]}, name=f"{self.name} on {self.port}", daemon=True
        )
        self._server, self._thread, self._sock = server, thread, sock
        thread.start()
        deadline = time.monotonic() + timeout_s
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not start within {timeout_s:g} s on {self.url}")
            time.sleep(0.01)
        return self

    def stop(self, *, keep_port: bool = True, timeout_s: float = 10.0) -> None:
        """Stop answering (connections are refused); ``keep_port=False`` lets the next start pick anew."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=timeout_s)
        if self._sock is not None:
            self._sock.close()
        self._server = self._thread = self._sock = None
        if not keep_port:
            self.port = 0

    @contextmanager
    def running(self, *, keep_port: bool = True) -> Iterator[LoopbackServer]:
        """Served for the duration of the block."""
        self.start()
        try:
            yield self
        finally:
            self.stop(keep_port=keep_port)
