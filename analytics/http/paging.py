"""encore's one paginator: follow an API's pages, by cursor, token, ``next`` URL or offset.

An API client says how to fetch one page from a position (None: the first page) and how many
items it still wants; :func:`pages` does the rest: it asks page after page, stops where the
API says there is no more (``next`` is None), where a page comes back empty, or once
``limit`` items were read, and never asks for a page it would not use.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page: its items, the position of the next page (None: the last), and what the API said.

    Attributes
    ----------
    items : the page's entries, parsed.
    next : where the following page starts, as the API gives it (a URL, a cursor, a token,
        an offset as text); None on the last page.
    not_modified : True when a 304 let the client reuse its cached copy of this page.
    total, offset : the API's count of all entries and this page's offset, when it says them.
    """

    items: list[T]
    not_modified: bool = False
    total: int | None = None
    offset: int | None = None
    next: str | None = None


FetchPage = Callable[[str | None, int | None], Page[T]]


def pages(fetch: FetchPage[T], *, limit: int | None = None) -> Iterator[Page[T]]:
    """Yield page after page from ``fetch(position, wanted)`` until the last (or ``limit`` items).

    Parameters
    ----------
    fetch : sends the request for the page at ``position`` (None: the first) and parses it;
        ``wanted`` is how many items are still wanted (None: all), for APIs whose page size
        can be asked for.
    limit : the most items to read; pages stop once this many were yielded (the last page may
        hold more: :func:`collect` trims).
    """
    position: str | None = None
    read = 0
    while limit is None or read < limit:
        page = fetch(position, None if limit is None else limit - read)
        read += len(page.items)
        yield page
        if not page.next or (not page.items and page.next == position):
            return
        position = page.next


def collect(fetch: FetchPage[T], *, limit: int | None = None) -> list[T]:
    """Every item of every page (at most ``limit``), in the API's order."""
    items = [item for page in pages(fetch, limit=limit) for item in page.items]
    return items if limit is None else items[:limit]
