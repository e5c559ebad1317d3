"""Each rule kind fires on a crafted history and resolves when its condition clears."""

from __future__ import annotations

from datetime import timedelta

from tests.monitoring.conftest import (
    ARTIST,
    NOW,
    TODAY,
    add_album,
    add_anomaly,
    add_streams,
    alert_states,
    days_later,
    record_sync_run,
    remove_album,
    rules,
    run_pass,
    seed_catalog,
    set_followers,
    set_playlist,
)


def test_threshold_fires_when_the_catalog_empties_and_resolves_when_it_is_back(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    r = rules({"id": "empty", "kind": "threshold", "metric": "albums", "op": "<", "value": 1})
    run_pass(warehouse, r, at=NOW)
    assert alert_states(warehouse, "empty") == []
    remove_album(warehouse, "alb_old", at=days_later(1))
    result = run_pass(warehouse, r, at=days_later(1))
    assert alert_states(warehouse, "empty") == [("albums", "firing")]
    assert result.findings[0].facts["observed"] == 0
    add_album(warehouse, "alb_old", at=days_later(2), release_date="2020-01-01")
    run_pass(warehouse, r, at=days_later(2))
    assert alert_states(warehouse, "empty") == [("albums", "resolved")]


def test_threshold_hysteresis_holds_until_the_resolve_value_is_passed(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60), followers=100, popularity=40)
    r = rules(
        {
            "id": "few",
            "kind": "threshold",
            "metric": "followers",
            "op": "<",
            "value": 120,
            "resolve": {"value": 150},
        }
    )
    run_pass(warehouse, r, at=NOW)
    assert alert_states(warehouse, "few") == [("followers", "firing")]
    set_followers(warehouse, 130, at=days_later(1))
    run_pass(warehouse, r, at=days_later(1))
    assert alert_states(warehouse, "few") == [("followers", "firing")]  # 130: not past 150 yet
    set_followers(warehouse, 160, at=days_later(2))
    run_pass(warehouse, r, at=days_later(2))
    assert alert_states(warehouse, "few") == [("followers", "resolved")]


def test_pct_change_fires_on_a_drop_and_resolves_when_streams_stop_falling(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    r = rules(
        {
            "id": "drop",
            "kind": "pct_change",
            "metric": "streams_7d",
            "window_days": 1,
            "direction": "down",
            "percent": 30,
        }
    )
    add_streams(warehouse, TODAY, 150, 1000)
    run_pass(warehouse, r, at=NOW)  # no earlier day: holds, nothing fires
    add_streams(warehouse, TODAY + timedelta(days=1), 40, 500)
    result = run_pass(warehouse, r, at=days_later(1))
    assert alert_states(warehouse, "drop") == [("streams_7d", "firing")]
    facts = result.findings[0].facts
    assert facts["percent"] == -50.0 and facts["earlier"] == 1000 and facts["observed"] == 500
    add_streams(warehouse, TODAY + timedelta(days=2), 80, 520)
    run_pass(warehouse, r, at=days_later(2))
    assert alert_states(warehouse, "drop") == [("streams_7d", "resolved")]


def test_anomaly_fires_while_recent_and_resolves_once_it_is_old(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    add_streams(warehouse, TODAY, 150, 1000)
    r = rules({"id": "anom", "kind": "anomaly", "within_days": 2})
    add_anomaly(warehouse, "an-1", TODAY)
    result = run_pass(warehouse, r, at=NOW)
    assert alert_states(warehouse, "anom") == [("an-1", "firing")]
    assert "spike of streams" in result.findings[0].summary and "Song trk_a" in result.findings[0].summary
    run_pass(warehouse, r, at=days_later(3))
    assert alert_states(warehouse, "anom") == [("an-1", "resolved")]


def test_new_release_fires_once_per_release_and_ignores_an_old_album_first_seen_now(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    r = rules({"id": "rel", "kind": "new_release", "within_days": 7})
    add_album(warehouse, "alb_back", at=NOW - timedelta(hours=2), release_date="2015-05-01")  # back catalogue
    add_album(warehouse, "alb_new", at=NOW - timedelta(hours=1), release_date=TODAY.isoformat())
    run_pass(warehouse, r, at=NOW)
    assert alert_states(warehouse, "rel") == [("alb_new", "firing")]
    run_pass(warehouse, r, at=days_later(8))
    assert alert_states(warehouse, "rel") == [("alb_new", "resolved")]


def test_playlist_removal_fires_for_the_removed_track_and_resolves_when_it_is_back(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    r = rules({"id": "gone", "kind": "playlist_removal", "within_days": 7})
    run_pass(warehouse, r, at=NOW - timedelta(hours=1))
    assert alert_states(warehouse, "gone") == []
    with warehouse.session() as s:
        set_playlist(s, ["trk_a"], at=NOW)
    result = run_pass(warehouse, r, at=NOW + timedelta(minutes=5))
    assert alert_states(warehouse, "gone") == [("pl_1/trk_b", "firing")]
    assert result.findings[0].facts["playlist"] == "Night Drive"
    with warehouse.session() as s:
        set_playlist(s, ["trk_a", "trk_b"], at=days_later(1), previous=1)
    run_pass(warehouse, r, at=days_later(1))
    assert alert_states(warehouse, "gone") == [("pl_1/trk_b", "resolved")]


def test_sync_status_fires_on_a_partial_sync_and_resolves_after_a_good_one(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    r = rules({"id": "sync", "kind": "sync_status"})
    run_pass(warehouse, r, at=NOW)
    assert alert_states(warehouse, "sync") == []  # no sync recorded yet: nothing to say
    record_sync_run(warehouse, outcome="failed")
    result = run_pass(warehouse, r, at=NOW)
    assert alert_states(warehouse, "sync") == [("sync_artist_data", "firing")]
    assert result.findings[0].facts["outcome"] == "failed"
    record_sync_run(warehouse, outcome="ok")
    run_pass(warehouse, r, at=days_later(1))
    assert alert_states(warehouse, "sync") == [("sync_artist_data", "resolved")]


def test_quota_exhausted_fires_until_the_resume_time_passes(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    r = rules({"id": "quota", "kind": "quota_exhausted"})
    record_sync_run(warehouse, outcome="partial", resume_at=NOW + timedelta(hours=2))
    result = run_pass(warehouse, r, at=NOW)
    assert alert_states(warehouse, "quota") == [("spotify", "firing")]
    assert "resumes after" in result.findings[0].summary
    run_pass(warehouse, r, at=NOW + timedelta(hours=3))
    assert alert_states(warehouse, "quota") == [("spotify", "resolved")]


def test_follower_rule_in_development_mode_is_reported_unavailable_once(warehouse):
    seed_catalog(warehouse, at=NOW - timedelta(days=60))
    r = rules({"id": "fol", "kind": "pct_change", "metric": "followers", "window_days": 7, "percent": 5})
    first = run_pass(warehouse, r, at=NOW, quota_mode="development", channels=("webhook", "pagerduty"))
    second = run_pass(
        warehouse, r, at=days_later(1), quota_mode="development", channels=("webhook", "pagerduty")
    )
    assert alert_states(warehouse, "fol") == [("followers", "unavailable")]
    assert first.decisions.unavailable and not second.decisions.unavailable
    assert first.findings[0].facts["reason"] == "unavailable in development mode"
    outbox = warehouse.rows("monitoring_outbox")
    assert [(o["channel"], o["action"]) for o in outbox] == [("webhook", "notice")]  # never a page
    stored = {r["metric"]: r for r in warehouse.rows("monitoring_snapshots")}
    assert stored["followers"]["value"] is None and stored["followers"]["status"] == "unavailable"
    assert ARTIST in first.findings[0].key
