"""The shared core of :class:`~analytics.spotify.client.SpotifyClient`: requests, parsing, streams."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pydantic import BaseModel

from analytics.spotify.capabilities import Capabilities
from analytics.spotify.errors import CapabilityUnavailable, NeedsUserToken
from analytics.spotify.paging import Page, Stream
from analytics.spotify.transport import ApiResponse, Transport

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


class ClientCore:
    """Holds the transport and the capability matrix; the mixins build on its helpers."""

    def __init__(self, transport: Transport, *, capabilities: Capabilities) -> None:
        self._transport = transport
        self.capabilities = capabilities

    # -- requests ----------------------------------------------------------------------------
    def _get(self, path: str, params: dict[str, Any] | None = None) -> ApiResponse:
        return self._transport.request("GET", path, params=params)

    def _write(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: Any = None,
        idempotent: bool | None = None,
    ) -> ApiResponse:
        return self._transport.request(method, path, params=params, json_body=body, idempotent=idempotent)

    def _require_user(self, what: str) -> None:
        if self._transport.tokens.kind != "user":
            raise NeedsUserToken(what)

    def _require_limit(self, endpoint: str, limit: int) -> None:
        most = self.capabilities.page_limit(endpoint)
        if limit > most:
            mode = self.capabilities.mode.value
            others = [m for m in ("development", "extended") if m != mode]
            raise CapabilityUnavailable(
                f"{endpoint} limit={limit} is more than quota mode {mode!r} gives ({most} a page); "
                f"ask for at most {most}, or page through the results"
                + (f" (quota mode {others[0]!r} gives more)" if mode == "development" else ""),
                feature=f"{endpoint}_limit",
                mode=mode,
                available_in=tuple(others) if mode == "development" else (),
            )

    # -- parsing -----------------------------------------------------------------------------
    def _parse(self, model: type[M], data: Any, *, kind: str | None = None) -> M:
        """Validate ``data`` as ``model``; fields this mode does not give are set to None."""
        obj = model.model_validate(data)
        hidden = self.capabilities.hidden_fields(kind) if kind else ()
        update = {name: None for name in hidden if name in type(obj).model_fields}
        if not update:
            return obj
        return obj.model_copy(update=update)

    def _stream(
        self,
        path: str,
        params: dict[str, Any],
        item: Callable[[Any], T | None],
        *,
        unwrap: str | None = None,
    ) -> Stream[T]:
        """A lazy :class:`Stream` over an offset- or cursor-paged endpoint.

        ``unwrap`` names the key holding the paging object (``"artists"`` for followed artists);
        ``item`` turns one raw entry into a model (None drops it).
        """

        def parse(body: Any, not_modified: bool) -> Page[T]:
            paging = (body or {}).get(unwrap, {}) if unwrap else (body or {})
            items = [parsed for raw in paging.get("items") or [] if (parsed := item(raw)) is not None]
            return Page(
                items=items,
                not_modified=not_modified,
                total=paging.get("total"),
                offset=paging.get("offset"),
                next=paging.get("next"),
            )

        return Stream(first=lambda: self._get(path, params), follow=lambda url: self._get(url), parse=parse)
