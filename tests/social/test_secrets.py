"""Tokens never reach logs, errors, outcomes or the warehouse."""

from __future__ import annotations

import logging

import pytest

from analytics.config import Settings
from analytics.observability.redaction import redact_client as redact
from analytics.sandbox.social import SocialSandbox
from analytics.social import connectors_from_settings, musicbrainz_from_settings, sync_artist
from analytics.warehouse import Warehouse
from tests.social.conftest import DAY, MAXSTACK


class RecordedLines(logging.Handler):
    """Keeps every line its logger hands it, as formatted text."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def every_secret(sandbox: SocialSandbox) -> set[str]:
    return set(sandbox.credentials.values()) | set(sandbox.state.tokens) | set(sandbox.state.refresh_tokens)


def test_a_sync_with_refreshes_and_failures_logs_no_token(
    sqlite_warehouse: Warehouse,
    sandbox: SocialSandbox,
    sb_settings: Settings,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> None:
    caplog.set_level(logging.DEBUG)
    # httpx's request lines are read on httpx's own logger, after its redacting filter: what
    # reaches the root handlers depends on what earlier tests in the process did to logging
    httpx_lines = RecordedLines()
    httpx_logger = logging.getLogger("httpx")
    monkeypatch.setattr(httpx_logger, "disabled", False)
    caplog.set_level(logging.DEBUG, logger="httpx")
    httpx_logger.addHandler(httpx_lines)
    request.addfinalizer(lambda: httpx_logger.removeHandler(httpx_lines))
    sandbox.advance(seconds=700)  # TikTok's token is invalid now; Instagram's is inside its refresh margin
    sandbox.force_rate_limit("x", times=1, reset_s=1)
    sandbox.set_down("youtube")
    connectors = connectors_from_settings(sb_settings, base_urls=sandbox.base_urls)
    mb = musicbrainz_from_settings(sb_settings, base_urls=sandbox.base_urls)
    report = sync_artist(
        sqlite_warehouse, MAXSTACK, connectors=connectors, musicbrainz=mb, day=DAY, run_id="r1"
    )
    connectors.close()

    statuses = {o.platform: o.status for o in report.outcomes}
    assert statuses == {"instagram": "ok", "tiktok": "ok", "x": "ok", "youtube": "failed"}
    assert sandbox.state.refreshes == {"instagram": 1, "tiktok": 1}
    assert (
        "refresh_access_token" in httpx_lines.text and "access_token=***" in httpx_lines.text
    )  # httpx's line, redacted

    secrets = every_secret(sandbox)
    assert len(secrets) >= 9
    stored = repr(
        [sqlite_warehouse.rows(t) for t in ("social_accounts", "social_snapshots", "social_identity_links")]
    )
    texts = {
        "logs": caplog.text + httpx_lines.text,
        "outcomes": repr(report),
        "warehouse": stored,
        "connectors": repr(connectors),
    }
    for where, text in texts.items():
        leaked = [s for s in secrets if s in text]
        assert leaked == [], f"secrets leaked into {where}"


def test_redaction_of_query_parameters() -> None:
    url = "https://graph.instagram.com/refresh_access_token?grant_type=ig_refresh_token&access_token=IGQVJabc123"
    assert redact(url).endswith("grant_type=ig_refresh_token&access_token=***")
    assert redact("GET /x?key=AIzaSy-1&part=id") == "GET /x?key=***&part=id"
