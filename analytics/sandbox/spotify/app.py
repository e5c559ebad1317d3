"""The sandbox as one ASGI app: accounts service, ``/v1`` Web API, ``/_sandbox`` admin, behind the controls."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp

from analytics.sandbox.spotify import routes_catalog, routes_me, routes_playlists, search
from analytics.sandbox.spotify.auth import accounts_router
from analytics.sandbox.spotify.errors import AccountsError, ApiError
from analytics.sandbox.spotify.middleware import SandboxMiddleware
from analytics.sandbox.spotify.options import FaultRule
from analytics.sandbox.spotify.runtime import Runtime

logger = logging.getLogger(__name__)
HTTP_MESSAGES = {404: "Service not found", 405: "Method not allowed"}


def admin_router(rt: Runtime) -> APIRouter:
    """``/_sandbox/…``: what tests and benchmarks read and change over HTTP (no token needed)."""
    router = APIRouter(prefix="/_sandbox")

    @router.get("/health")
    async def health() -> dict[str, Any]:
        return {"ok": True, "quota_mode": rt.quota_mode}

    @router.get("/stats")
    async def stats() -> dict[str, Any]:
        return rt.controls.stats().to_json()

    @router.get("/requests")
    async def requests_log() -> list[dict[str, Any]]:
        return [vars(r) for r in list(rt.controls.requests)]

    @router.post("/reset-stats")
    async def reset_stats() -> dict[str, Any]:
        rt.controls.reset_stats()
        return {"ok": True}

    @router.get("/faults")
    async def get_faults() -> list[dict[str, Any]]:
        return [vars(f) for f in rt.controls.faults]

    @router.put("/faults")
    async def put_faults(request: Request) -> dict[str, Any]:
        body = await request.json()
        try:
            rules = [FaultRule(**rule) for rule in body.get("faults", [])]
        except (TypeError, ValueError) as exc:
            raise ApiError(400, f"invalid fault rule: {exc}") from exc
        rt.controls.set_faults(rules, seed=body.get("seed"))
        return {"faults": len(rules)}

    @router.post("/rate-limit")
    async def rate_limit(request: Request) -> dict[str, Any]:
        body = await request.json()
        rt.controls.set_rate_limit(body.get("per_30s"), retry_after_s=body.get("retry_after_s"))
        return {"ok": True}

    @router.post("/force-rate-limit")
    async def force_rate_limit(request: Request) -> dict[str, Any]:
        body = await request.json()
        rt.controls.force_rate_limit(
            retry_after_s=int(body.get("retry_after_s", 3600)), count=int(body.get("count", 1))
        )
        return {"ok": True}

    @router.post("/expire-tokens")
    async def expire_tokens() -> dict[str, Any]:
        rt.tokens.expire_all()
        return {"ok": True}

    @router.post("/quota-mode")
    async def quota_mode(request: Request) -> dict[str, Any]:
        mode = (await request.json()).get("quota_mode")
        if mode not in ("development", "extended"):
            raise ApiError(400, "quota_mode must be development or extended")
        rt.quota_mode = mode
        return {"quota_mode": mode}

    return router


def create_app(rt: Runtime) -> ASGIApp:
    """The ASGI app uvicorn serves for ``rt``."""
    app = FastAPI(
        title="encore Spotify sandbox",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        redirect_slashes=False,  # the Web API never redirects; the middleware drops a trailing slash
    )
    app.state.runtime = rt
    templates: list[tuple[str, set[str]]] = []
    for prefix, router in [
        ("", accounts_router(rt.tokens)),
        *[("/v1", module.router) for module in (routes_catalog, search, routes_me, routes_playlists)],
        ("", admin_router(rt)),
    ]:
        app.include_router(router, prefix=prefix)
        templates += [
            (prefix + r.path, set(r.methods or ())) for r in router.routes if isinstance(r, APIRoute)
        ]

    @app.exception_handler(ApiError)
    async def api_error(_: Request, exc: ApiError) -> Response:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(AccountsError)
    async def accounts_error(_: Request, exc: AccountsError) -> Response:
        return JSONResponse(exc.body(), status_code=exc.status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> Response:
        message = HTTP_MESSAGES.get(exc.status_code, str(exc.detail))
        return JSONResponse(
            {"error": {"status": exc.status_code, "message": message}}, status_code=exc.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> Response:
        return JSONResponse({"error": {"status": 400, "message": "Bad request."}}, status_code=400)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        logger.error("sandbox error on %s %s", request.method, request.url.path, exc_info=exc)
        return JSONResponse({"error": {"status": 500, "message": "Server error."}}, status_code=500)

    return SandboxMiddleware(app, controls=rt.controls, routes=templates)
