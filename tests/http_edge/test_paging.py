"""The one paginator over a real cursor-paged API on loopback: all pages, no page too many."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest

from analytics.http.paging import Page, collect, pages
from analytics.sandbox.loopback import LoopbackServer

ITEMS = [f"post-{n}" for n in range(7)]


class CursorApi:
    """``GET /posts?cursor=N&count=K``: up to K items from position N and the next cursor."""

    def __init__(self) -> None:
        self.asked: list[dict[str, str]] = []

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        query = {k: v[0] for k, v in parse_qs(scope["query_string"].decode()).items()}
        self.asked.append(query)
        start, count = int(query.get("cursor", "0")), int(query.get("count", "3"))
        end = min(start + count, len(ITEMS))
        page = {"data": ITEMS[start:end], "next_cursor": str(end) if end < len(ITEMS) else None}
        body = json.dumps(page).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})


@pytest.fixture
def api() -> Iterator[tuple[CursorApi, httpx.Client, str]]:
    app = CursorApi()
    with LoopbackServer(app, name="the cursor API").running() as server, httpx.Client() as client:
        yield app, client, server.url


def fetcher(client: httpx.Client, url: str, *, page_size: int = 3) -> Any:
    def fetch(cursor: str | None, wanted: int | None) -> Page[str]:
        params = {"count": str(min(page_size, wanted or page_size))}
        if cursor is not None:
            params["cursor"] = cursor
        body = client.get(f"{url}/posts", params=params).json()
        return Page(body["data"], next=body["next_cursor"])

    return fetch


def test_every_page_is_followed_to_the_last(api: tuple[CursorApi, httpx.Client, str]) -> None:
    app, client, url = api
    assert collect(fetcher(client, url)) == ITEMS
    assert [q.get("cursor") for q in app.asked] == [None, "3", "6"]


def test_a_limit_asks_for_no_more_than_it_uses(api: tuple[CursorApi, httpx.Client, str]) -> None:
    app, client, url = api
    assert collect(fetcher(client, url), limit=5) == ITEMS[:5]
    assert app.asked == [{"count": "3"}, {"count": "2", "cursor": "3"}]
    app.asked.clear()
    assert collect(fetcher(client, url), limit=0) == [] and app.asked == []


def test_pages_are_read_lazily(api: tuple[CursorApi, httpx.Client, str]) -> None:
    app, client, url = api
    first = next(pages(fetcher(client, url)))
    assert first.items == ITEMS[:3] and first.next == "3" and len(app.asked) == 1


def test_an_api_that_repeats_an_empty_page_does_not_loop_forever() -> None:
    asked: list[str | None] = []

    def stuck(cursor: str | None, wanted: int | None) -> Page[str]:
        asked.append(cursor)
        return Page([], next="same")

    assert collect(stuck) == [] and asked == [None, "same"]
