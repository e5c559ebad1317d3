"""Storing snapshots: one per account and day, on SQLite and PostgreSQL; failures per platform."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from analytics.config import Settings
from analytics.sandbox.social import SocialSandbox
from analytics.social import (
    ConnectorSet,
    MalformedPayload,
    MusicBrainzClient,
    audience,
    connectors_from_settings,
    musicbrainz_from_settings,
    sync_account,
    sync_artist,
)
from analytics.warehouse import Warehouse
from tests.social.conftest import DAY, MAXSTACK, SECTOID


@pytest.fixture
def connectors(sb_settings: Settings, sandbox: SocialSandbox) -> Iterator[ConnectorSet]:
    found = connectors_from_settings(sb_settings, base_urls=sandbox.base_urls)
    for connector in found.connectors.values():
        connector.http.sleep = lambda _s: None  # type: ignore[attr-defined]
    yield found
    found.close()


def sync(warehouse: Warehouse, sandbox: SocialSandbox, settings: Settings, connectors: ConnectorSet, artist, *,
         day=DAY, run_id="run-1", overrides=None):  # fmt: skip
    return sync_artist(
        warehouse, artist, connectors=connectors, musicbrainz=quick_musicbrainz(sandbox, settings), day=day,
        run_id=run_id, overrides=overrides,
    )  # fmt: skip


def quick_musicbrainz(sandbox: SocialSandbox, settings: Settings) -> MusicBrainzClient:
    """The MusicBrainz client on the sandbox, recording instead of waiting between retries."""
    mb = musicbrainz_from_settings(settings, base_urls=sandbox.base_urls)
    mb.http.sleep = lambda _s: None  # type: ignore[method-assign]
    return mb


def test_two_syncs_on_the_same_day_keep_one_snapshot_per_account(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    first = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK)
    assert {o.platform: o.status for o in first.outcomes} == dict.fromkeys(
        ["instagram", "tiktok", "x", "youtube"], "ok"
    )
    assert {o.result.written for o in first.outcomes if o.result} == {"inserted"}
    before = warehouse.content_hash(tables=["social_snapshots", "social_accounts"])

    again = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK, run_id="run-2")
    assert {o.result.written for o in again.outcomes if o.result} == {"unchanged"}
    assert warehouse.content_hash(tables=["social_snapshots", "social_accounts"]) == before

    sandbox.set_today(DAY + timedelta(days=1))  # numbers move on, but the run is labelled the same day
    third = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK, run_id="run-3")
    assert {o.result.written for o in third.outcomes if o.result} == {"updated"}
    rows = warehouse.rows("social_snapshots", order_by=["platform"])
    assert len(rows) == 4 and {r["day"] for r in rows} == {DAY}
    assert {r["last_changed_run"] for r in rows} == {"run-3"} and {r["first_seen_run"] for r in rows} == {
        "run-1"
    }
    yt = next(r for r in rows if r["platform"] == "youtube")
    channel = sandbox.state.find("youtube", handle="@maxstack")
    assert channel is not None and yt["followers"] == sandbox.state.followers(
        channel, DAY + timedelta(days=1)
    )
    accounts = warehouse.rows("social_accounts")
    assert len(accounts) == 4 and {a["artist_id"] for a in accounts} == {MAXSTACK["id"]}
    assert {a["link_source"] for a in accounts} == {"musicbrainz"}


def test_a_new_day_adds_a_row_and_audience_grows(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK)
    sandbox.set_today(DAY + timedelta(days=1))
    sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK, day=DAY + timedelta(days=1), run_id="run-2")
    rows = warehouse.rows("social_snapshots")
    assert len(rows) == 8
    frame = audience(warehouse, MAXSTACK["id"])
    assert list(frame["day"]) == [DAY, DAY + timedelta(days=1)]
    totals = [sum(r["followers"] for r in rows if r["day"] == d) for d in (DAY, DAY + timedelta(days=1))]
    assert list(frame["audience_total"]) == totals and list(frame["platforms"]) == [4, 4]
    assert frame["growth_1d"].iloc[1] == pytest.approx(totals[1] / totals[0] - 1)
    assert totals[1] > totals[0]


def test_one_platform_down_the_others_are_stored_and_the_failure_reported(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    sandbox.set_down("instagram")
    report = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK)
    outcomes = {o.platform: o for o in report.outcomes}
    assert (
        outcomes["instagram"].status == "failed" and outcomes["instagram"].error_type == "PlatformUnavailable"
    )
    assert "instagram: the API answered HTTP 503 3 times in a row" in outcomes["instagram"].detail
    assert [o.platform for o in report.failed] == ["instagram"]
    assert {p for p, o in outcomes.items() if o.status == "ok"} == {"tiktok", "x", "youtube"}
    assert sorted(r["platform"] for r in warehouse.rows("social_snapshots")) == ["tiktok", "x", "youtube"]


def test_conflicts_and_missing_configuration_are_outcomes_not_crashes(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings
) -> None:
    partial = connectors_from_settings(
        sb_settings.model_copy(update={"x_bearer_token": None}), base_urls=sandbox.base_urls
    )
    report = sync(warehouse, sandbox, sb_settings, partial, SECTOID)
    outcomes = {o.platform: o for o in report.outcomes}
    assert outcomes["youtube"].status == "conflict"
    assert outcomes["x"].status == "not_configured" and "ENCORE_X_BEARER_TOKEN" in outcomes["x"].detail
    assert outcomes["tiktok"].status == "no_account"
    assert outcomes["instagram"].status == "ok"
    assert [r["platform"] for r in warehouse.rows("social_snapshots")] == ["instagram"]
    links = {r["platform"]: r for r in warehouse.rows("social_identity_links")}
    assert links["youtube"]["status"] == "conflict" and len(links["youtube"]["candidates"]) == 2
    partial.close()


def test_malformed_payload_stores_nothing_for_that_platform(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    youtube = connectors.connectors["youtube"]
    account = youtube.account("@maxstack")
    sandbox.inject_malformed("youtube", "videoCount")
    with pytest.raises(MalformedPayload, match=r"youtube: malformed payload: field 'statistics\.videoCount'"):
        sync_account(warehouse, youtube, account, day=DAY, run_id="run-1", artist_id=MAXSTACK["id"])
    assert warehouse.rows("social_snapshots") == [] and warehouse.rows("social_accounts") == []
    sandbox.inject_malformed("youtube", None)
    result = sync_account(warehouse, youtube, account, day=DAY, run_id="run-2", artist_id=MAXSTACK["id"])
    assert result.written == "inserted"
    assert warehouse.rows("social_accounts")[0]["link_source"] == "manual"


def test_a_search_link_made_while_musicbrainz_was_down_is_retracted_when_it_is_back(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    sandbox.set_down("musicbrainz")
    down = sync(warehouse, sandbox, sb_settings, connectors, SECTOID)
    yt = next(link for link in down.links if link.platform == "youtube")
    assert yt.provisional and yt.source == "search" and "provisional" in yt.explanation
    assert yt.account is not None
    searched = ("youtube", yt.account.platform_id)
    (row,) = [a for a in warehouse.rows("social_accounts") if a["platform"] == "youtube"]
    assert (row["link_source"], row["artist_id"]) == ("search", SECTOID["id"])
    assert "youtube" in set(audience(warehouse, SECTOID["id"]).columns.str.removeprefix("followers_"))

    sandbox.set_down("musicbrainz", False)
    back = sync(warehouse, sandbox, sb_settings, connectors, SECTOID, run_id="run-2")
    assert {o.platform: o.status for o in back.outcomes}["youtube"] == "conflict"
    assert back.retracted == [searched]
    kept = {(r["platform"], r["platform_id"]): r for r in warehouse.rows("social_accounts")}
    assert kept[searched]["removed_run"] == "run-2" and kept[searched]["removed_at"] is not None
    assert all(r["removed_run"] is None for k, r in kept.items() if k != searched)
    snapshots = warehouse.rows("social_snapshots")
    assert [(s["platform"], s["removed_run"]) for s in snapshots if s["platform"] == "youtube"] == [
        ("youtube", "run-2")
    ]
    removals = [v for v in warehouse.rows("entity_versions") if v["change"] == "removed"]
    assert {(v["entity_type"], v["run_id"]) for v in removals} == {
        ("social_accounts", "run-2"),
        ("social_snapshots", "run-2"),
    }
    frame = audience(warehouse, SECTOID["id"])
    assert "followers_youtube" not in frame.columns and list(frame["platforms"]) == [2]

    versions = len(warehouse.rows("entity_versions"))
    again = sync(warehouse, sandbox, sb_settings, connectors, SECTOID, run_id="run-3")
    assert again.retracted == [] and len(warehouse.rows("entity_versions")) == versions

    overrides = {SECTOID["id"]: {"youtube": yt.account.handle}}
    chosen = sync(warehouse, sandbox, sb_settings, connectors, SECTOID, run_id="run-4", overrides=overrides)
    assert {o.platform: o.status for o in chosen.outcomes}["youtube"] == "ok" and chosen.retracted == []
    revived = {(r["platform"], r["platform_id"]): r for r in warehouse.rows("social_accounts")}[searched]
    assert (revived["removed_run"], revived["link_source"]) == (None, "override")
    assert [s["removed_run"] for s in warehouse.rows("social_snapshots") if s["platform"] == "youtube"] == [
        None
    ]
    assert "followers_youtube" in audience(warehouse, SECTOID["id"]).columns


def test_musicbrainz_down_keeps_the_decisions_it_made_and_a_failed_search_is_a_failure(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    first = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK)
    before = {r["platform"]: r for r in warehouse.rows("social_identity_links")}
    assert all(r["source"] == "musicbrainz" for r in before.values()) and len(before) == 4
    snapshot_days = len(warehouse.rows("social_snapshots"))

    sandbox.set_down("musicbrainz")
    sandbox.set_down("tiktok")  # its search fails too: nothing else says where the artist is there
    down = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK, run_id="run-2", day=DAY + timedelta(1))
    outcomes = {o.platform: o for o in down.outcomes}
    assert {p: o.status for p, o in outcomes.items()} == {
        "instagram": "ok", "tiktok": "failed", "x": "ok", "youtube": "ok"
    }  # fmt: skip
    assert all(
        link.source == "musicbrainz" and "kept from an earlier run" in link.explanation for link in down.links
    )
    assert down.retracted == [] and {o.platform for o in down.failed} == {"tiktok"}
    after = {r["platform"]: r for r in warehouse.rows("social_identity_links")}
    assert {p: (r["status"], r["handle"], r["source"]) for p, r in after.items()} == {
        p: (r["status"], r["handle"], r["source"]) for p, r in before.items()
    }
    assert all(
        a["removed_run"] is None and a["link_source"] == "musicbrainz"
        for a in warehouse.rows("social_accounts")
    )
    assert len(warehouse.rows("social_snapshots")) == snapshot_days + 3  # tiktok's day is missing, not zero
    assert [o.status for o in first.outcomes] == ["ok"] * 4


def test_a_platform_whose_search_fails_is_reported_failed_not_no_account(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    sandbox.set_down("musicbrainz")
    sandbox.set_down("youtube")  # the one platform searched by name
    report = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK)
    youtube = {o.platform: o for o in report.outcomes}["youtube"]
    assert youtube.status == "failed" and "could not look the artist's account up" in youtube.detail
    assert "youtube" not in {r["platform"] for r in warehouse.rows("social_identity_links")}


def test_a_body_cut_in_transit_is_retried_and_a_persistently_unreadable_one_is_malformed(
    sandbox: SocialSandbox, connectors: ConnectorSet
) -> None:
    from analytics.sandbox.spotify import FaultRule

    x = connectors.connectors["x"]
    sandbox.set_faults([FaultRule(route="/x/*", kind="truncate", times=2)])
    assert x.account("maxstack").handle == "maxstack"
    sandbox.set_faults([FaultRule(route="/x/*", kind="truncate", times=3)])
    with pytest.raises(MalformedPayload, match="is not JSON"):
        x.account("maxstack")
    sandbox.set_faults([])
    assert [r.fault for r in sandbox.served].count("truncate") == 5


def test_a_long_rate_limit_met_while_mapping_fails_the_platform_without_asking_again(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    sandbox.force_rate_limit("x", times=1, reset_s=3600)  # one answer here; the real window stays shut
    report = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK)
    x = {o.platform: o for o in report.outcomes}["x"]
    assert x.status == "failed" and "rate limited" in x.detail and "resumes after" in x.detail
    assert len(sandbox.requests_to("x")) == 1
    assert {o.platform for o in report.outcomes if o.status == "ok"} == {"instagram", "tiktok", "youtube"}
    again = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK, run_id="run-2")
    assert [o.status for o in again.outcomes] == ["ok"] * 4


def test_an_override_on_a_rate_limited_platform_is_failed_without_asking_again(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    sandbox.force_rate_limit("x", times=1, reset_s=3600)
    overrides = {MAXSTACK["id"]: {"x": "maxstack"}}
    report = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK, overrides=overrides)
    x = {o.platform: o for o in report.outcomes}["x"]
    assert x.status == "failed" and x.error_type == "RateLimited" and "resumes after" in x.detail
    assert len(sandbox.requests_to("x")) == 1


def test_an_override_naming_an_account_that_does_not_exist_is_failed_after_one_request(
    warehouse: Warehouse, sandbox: SocialSandbox, sb_settings: Settings, connectors: ConnectorSet
) -> None:
    overrides = {MAXSTACK["id"]: {"x": "ghost"}}
    report = sync(warehouse, sandbox, sb_settings, connectors, MAXSTACK, overrides=overrides)
    x = {o.platform: o for o in report.outcomes}["x"]
    assert x.status == "failed" and x.error_type == "AccountNotFound"
    assert "the account the overrides name does not exist" in x.detail
    assert [path for _, path in sandbox.requests_to("x")].count("/x/2/users/by/username/ghost") == 1
    assert {o.platform for o in report.outcomes if o.status == "ok"} == {"instagram", "tiktok", "youtube"}
