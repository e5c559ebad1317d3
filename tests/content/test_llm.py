"""The OpenAI-compatible backend over real HTTP to a loopback chat-completions server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from analytics.config import Settings
from analytics.content import (
    FactSheet,
    GroundedGenerator,
    OpenAICompatibleBackend,
    backend_from_settings,
    generate_drafts,
)
from analytics.content.facts import StreamingFact

Answer = Callable[[dict[str, Any]], tuple[int, dict[str, Any] | str, dict[str, str]]]


class ChatServer:
    """A tiny /v1/chat/completions server on 127.0.0.1 whose answers a test decides."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, Any], dict[str, str]]] = []
        self.answer: Answer = lambda body: (200, _completion("Hello."), {})
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", "0"))
                body = json.loads(self.rfile.read(length))
                server.requests.append((body, dict(self.headers)))
                if self.path != "/v1/chat/completions":
                    status, payload, headers = 404, {"error": "not found"}, {}
                else:
                    status, payload, headers = server.answer(body)
                data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
                self.send_response(status)
                for k, v in {"Content-Type": "application/json", **headers}.items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *_: object) -> None:
                return

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> ChatServer:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def _completion(text: str) -> dict[str, Any]:
    return {
        "id": "c1",
        "object": "chat.completion",
        "model": "loopback-7b",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
    }


@pytest.fixture
def chat() -> Iterator[ChatServer]:
    with ChatServer() as server:
        yield server


def _backend(chat: ChatServer, **kwargs: Any) -> OpenAICompatibleBackend:
    waits: list[float] = []
    backend = OpenAICompatibleBackend(
        chat.url,
        model="loopback-7b",
        api_key="sk-test-secret-123",
        timeout_s=5.0,
        sleep=waits.append,
        **kwargs,
    )
    backend.waits = waits  # type: ignore[attr-defined]
    return backend


def test_invented_numbers_are_rejected_and_replaced_with_the_reason(
    chat: ChatServer, weekly_sheet: FactSheet
) -> None:
    name = weekly_sheet.artist.name
    chat.answer = lambda body: (
        200,
        _completion(f"{name} hit 2.5M streams this week, up 340%! #Maxstack"),
        {},
    )
    with _backend(chat) as backend:
        drafts = generate_drafts(
            weekly_sheet, kinds=["weekly_recap"], languages=["en"], platforms=["x"], seed=3, backend=backend
        )
    (draft,) = drafts
    assert draft.backend == "grounded" and draft.validation.ok
    assert draft.fallback is not None and draft.fallback.backend == "openai-compatible"
    assert draft.fallback.model == "loopback-7b"
    assert "invented_number: number '2.5M'" in draft.fallback.reason and "'340%'" in draft.fallback.reason
    assert "2.5M" in (draft.fallback.rejected_text or "")
    expected = generate_drafts(
        weekly_sheet, kinds=["weekly_recap"], languages=["en"], platforms=["x"], seed=3
    )
    assert draft.text == expected[0].text


def test_the_model_sees_the_fact_sheet_only_and_a_grounded_answer_is_kept(
    chat: ChatServer, weekly_sheet: FactSheet
) -> None:
    streams = next(f for f in weekly_sheet.of(StreamingFact) if f.metric == "streams")
    text = f"{weekly_sheet.artist.name} drew {streams.value:,} streams this week. Thank you for listening!"
    chat.answer = lambda body: (200, _completion(text), {})
    with _backend(chat) as backend:
        (draft,) = generate_drafts(
            weekly_sheet,
            kinds=["weekly_recap"],
            languages=["en"],
            platforms=["instagram"],
            seed=9,
            backend=backend,
        )
    assert draft.backend == "openai-compatible" and draft.model == "loopback-7b" and draft.fallback is None
    assert draft.text == text and draft.validation.ok and draft.template_version.startswith("prompt-1+")
    body, headers = chat.requests[0]
    assert headers["Authorization"] == "Bearer sk-test-secret-123"
    assert body["model"] == "loopback-7b" and body["seed"] == 9
    user = body["messages"][1]["content"]
    facts = json.loads(user.split("Facts:\n", 1)[1])
    assert facts["artist_id"] == weekly_sheet.artist_id and len(facts["facts"]) == len(weekly_sheet.facts)
    assert "source" not in facts["facts"][0]
    assert "sk-test-secret-123" not in draft.model_dump_json()


def test_retries_are_bounded_and_honour_retry_after(chat: ChatServer, weekly_sheet: FactSheet) -> None:
    calls = {"n": 0}
    good = f"{weekly_sheet.artist.name}, handpicked."

    def flaky(body: dict[str, Any]) -> tuple[int, dict[str, Any] | str, dict[str, str]]:
        calls["n"] += 1
        if calls["n"] == 1:
            return 429, {"error": "slow down"}, {"Retry-After": "3"}
        if calls["n"] == 2:
            return 503, "overloaded", {}
        return 200, _completion(good), {}

    chat.answer = flaky
    with _backend(chat) as backend:
        (draft,) = generate_drafts(
            weekly_sheet, kinds=["playlist_description"], languages=["en"], seed=1, backend=backend
        )
        assert backend.waits == [3.0, 1.0]  # type: ignore[attr-defined]
    assert draft.backend == "openai-compatible" and draft.text == good

    chat.requests.clear()
    chat.answer = lambda body: (503, "down", {})
    with _backend(chat, max_retries=2) as backend:
        (draft,) = generate_drafts(
            weekly_sheet, kinds=["playlist_description"], languages=["en"], seed=1, backend=backend
        )
    assert len(chat.requests) == 3
    assert draft.backend == "grounded" and draft.fallback is not None
    assert draft.fallback.reason.startswith("backend error:") and "after 3 attempts" in draft.fallback.reason


def test_a_refused_request_is_not_retried_and_the_key_is_not_leaked(
    chat: ChatServer, weekly_sheet: FactSheet
) -> None:
    chat.answer = lambda body: (401, {"error": "bad key sk-test-secret-123"}, {})
    with _backend(chat) as backend:
        (draft,) = generate_drafts(
            weekly_sheet, kinds=["short_bio"], languages=["de"], platforms=["web"], seed=2, backend=backend
        )
    assert len(chat.requests) == 1
    assert draft.fallback is not None and "HTTP 401" in draft.fallback.reason
    assert "sk-test-secret-123" not in draft.fallback.reason and draft.validation.ok


def test_settings_choose_the_backend(settings: Settings, chat: ChatServer) -> None:
    assert isinstance(backend_from_settings(settings), GroundedGenerator)
    configured = settings.model_copy(update={"llm_base_url": chat.url, "llm_model": "loopback-7b"})
    backend = backend_from_settings(configured)
    assert isinstance(backend, OpenAICompatibleBackend) and backend.url == f"{chat.url}/chat/completions"
    backend.close()
