"""Sentry: events really reach a loopback endpoint, scrubbed, tagged with trace and run ids."""

from __future__ import annotations

import getpass
import json

from analytics import observability
from analytics.observability import bind_run, capture_exception
from analytics.observability.errors import scrub

from .conftest import CANARY, CANARY_TOKEN
from .receivers import receiver


def _events(requests) -> list[dict]:
    events = []
    for request in requests:
        assert request.method == "POST" and request.path == "/api/1/envelope/"
        lines = request.body.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


def _fail(email: str) -> None:
    token = CANARY_TOKEN
    raise PermissionError(f"user {email} from 198.51.100.23 refused; token {token}; secret {CANARY}")


def test_event_reaches_sentry_scrubbed_and_tagged(configured) -> None:
    with receiver(response=b'{"id": "0"}') as sentry:
        dsn = f"http://publickey@127.0.0.1:{sentry.url.rsplit(':', 1)[1]}/1"
        configured(sentry_dsn=dsn)
        with bind_run(run_id="r-sentry", flow="update_playlist") as run:
            try:
                _fail("fan@example.org")
            except PermissionError as exc:
                event_id = capture_exception(exc, tags={"task": "apply", "artist": CANARY})
        observability.flush()
        requests = sentry.wait()
    assert event_id
    wire = b"".join(r.body for r in requests)
    for leaked in (CANARY, CANARY_TOKEN, "fan@example.org", "198.51.100.23", dsn):
        assert leaked.encode() not in wire, leaked
    [event] = _events(requests)
    assert event["event_id"] == event_id
    assert event["tags"]["trace_id"] == run.trace_id and event["tags"]["run_id"] == "r-sentry"
    assert event["tags"]["task"] == "apply" and event["tags"]["artist"] == "[REDACTED]"
    assert event["fingerprint"] == ["builtins.PermissionError", f"{__name__}:_fail"]
    [exception] = event["exception"]["values"]
    assert exception["value"] == "user [EMAIL] from [IP] refused; token [REDACTED]; secret [REDACTED]"
    assert "user" not in event and event.get("server_name") in (None, "encore")
    assert "vars" not in exception["stacktrace"]["frames"][-1]


def test_without_dsn_nothing_is_sent(configured) -> None:
    configured()
    assert not observability.sentry_enabled()
    assert capture_exception(RuntimeError("x")) is None


def test_scrub_walks_the_whole_event(configured) -> None:
    configured()
    user = getpass.getuser()
    event = {
        "message": f"login for {CANARY}",
        "user": {"email": "a@b.org", "ip_address": "203.0.113.9", "username": "alice"},
        "server_name": "alices-laptop",
        "request": {
            "url": "https://api.example.com/v1?access_token=abcdef123",
            "headers": {"Authorization": "Bearer abcdefghijk"},
            "cookies": {"session": "s3cr3t-cookie"},
        },
        "extra": {"settings": {"client_secret": "plain", "list": [f"x {CANARY_TOKEN}", 3, None]}, CANARY: 1},
        "breadcrumbs": {"values": [{"message": "mailed ops@example.net", "data": {"password": "pw1234"}}]},
        "exception": {"values": [{"stacktrace": {"frames": [{"abs_path": f"/home/{user}/encore/x.py"}]}}]},
    }
    with bind_run(run_id="r-scrub") as run:
        scrubbed = scrub(event)
    text = json.dumps(scrubbed)
    for leaked in (CANARY, CANARY_TOKEN, "a@b.org", "203.0.113.9", "alice", "abcdef123", "s3cr3t", "pw1234"):
        assert leaked not in text, leaked
    assert "Authorization" not in text and "ops@example.net" not in text
    assert f"/home/{user}/" not in text and "/home/[USER]/encore/x.py" in text
    assert scrubbed["extra"]["settings"]["client_secret"] == "[REDACTED]"
    assert scrubbed["extra"]["settings"]["list"] == ["x [REDACTED]", 3, None]
    assert scrubbed["tags"] == {"trace_id": run.trace_id, "run_id": "r-scrub"}
