"""Results that say whether anything changed: :class:`Fetched` for one answer, :class:`Stream` for pages.

A :class:`Stream` fetches lazily, one page at a time, following each page's ``next`` URL with
encore's one paginator (:mod:`analytics.http.paging`), so a caller can stop early; once
consumed, ``not_modified`` tells whether every page came back 304.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, NamedTuple, TypeVar

from analytics.http.paging import Page, pages
from analytics.spotify.transport import ApiResponse

T = TypeVar("T")


class Fetched(NamedTuple, Generic[T]):
    """A decoded answer and whether it is unchanged since last time (every request got a 304).

    Unpacks as ``value, not_modified = client.artist(artist_id)``.
    """

    value: T
    not_modified: bool


@dataclass
class Stream(Generic[T]):
    """All pages of a paged endpoint, fetched on demand.

    Parameters
    ----------
    first : sends the request for the first page.
    follow : sends the request for a ``next`` URL.
    parse : turns a decoded body into a :class:`Page` (given the 304 flag).
    """

    first: Callable[[], ApiResponse]
    follow: Callable[[str], ApiResponse]
    parse: Callable[[Any, bool], Page[T]]
    pages_read: int = 0
    _all_unchanged: bool = True
    _done: bool = False
    _started: bool = field(default=False, repr=False)

    def pages(self) -> Iterator[Page[T]]:
        """Yield page after page until ``next`` is null (a stream is read once)."""
        if self._started:
            raise RuntimeError("this Stream was already read; ask the client again for a fresh one")
        self._started = True
        yield from pages(self._page)
        self._done = True

    def _page(self, next_url: str | None, _wanted: int | None) -> Page[T]:
        response = self.first() if next_url is None else self.follow(next_url)
        page = self.parse(response.body, response.not_modified)
        self.pages_read += 1
        self._all_unchanged = self._all_unchanged and page.not_modified
        return page

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    @property
    def not_modified(self) -> bool | None:
        """True when every page was a 304; None until the stream has been read to its end."""
        return self._all_unchanged if self._done else None

    def all(self) -> Fetched[list[T]]:
        """Read every page: the items and whether all of them were unchanged."""
        items = list(self)
        return Fetched(items, bool(self._all_unchanged))
