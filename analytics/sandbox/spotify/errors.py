"""Errors in the shapes the Spotify Web API and accounts service answer with."""

from __future__ import annotations

from typing import Any


class ApiError(Exception):
    """A Web API error: ``{"error": {"status": ..., "message": ...}}`` (``reason`` where Spotify adds one)."""

    def __init__(self, status: int, message: str, *, reason: str | None = None) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status
        self.message = message
        self.reason = reason

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"status": self.status, "message": self.message}
        if self.reason:
            error["reason"] = self.reason
        return {"error": error}


class AccountsError(Exception):
    """An accounts-service error: ``{"error": "invalid_client", "error_description": "..."}``."""

    def __init__(self, error: str, description: str, *, status: int = 400) -> None:
        super().__init__(f"{error}: {description}")
        self.error = error
        self.description = description
        self.status = status

    def body(self) -> dict[str, str]:
        return {"error": self.error, "error_description": self.description}


NOT_FOUND = "Resource not found"
FORBIDDEN = "Forbidden"
