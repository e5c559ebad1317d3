"""Alert rules as data: the default file loads; every bad rule is named with its field."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from analytics.monitoring import RulesFileError, load_rules, parse_rules
from analytics.monitoring.rules import DEFAULT_RULES_FILE, parse_duration


def test_the_default_rules_file_covers_every_kind():
    rules = load_rules(DEFAULT_RULES_FILE)
    assert {r.kind for r in rules} == {
        "threshold", "pct_change", "anomaly", "new_release", "playlist_removal",
        "sync_status", "quota_exhausted", "plays_spike",
    }  # fmt: skip
    assert all(r.cooldown > timedelta(0) and "{artist_id}" in r.dedup_key for r in rules)


def test_every_bad_rule_is_reported_by_name_and_field():
    document = {
        "rules": [
            {"id": "ok", "kind": "threshold", "metric": "albums", "op": "<", "value": 1},
            {"id": "no-op", "kind": "threshold", "metric": "albums", "value": 1},
            {
                "id": "bad-window",
                "kind": "pct_change",
                "metric": "streams_7d",
                "window_days": 0,
                "percent": 5,
            },
            {"id": "bad-cooldown", "kind": "anomaly", "cooldown": "soon"},
            {"id": "bad-key", "kind": "new_release", "dedup_key": "{rule_id}:{artist}"},
            {"id": "typo", "kind": "sync_status", "flwo": "sync_artist_data"},
            {"kind": "quota_exhausted"},
            {"id": "what", "kind": "weather"},
        ]
    }
    with pytest.raises(RulesFileError) as caught:
        parse_rules(document, source="rules.yaml")
    text = str(caught.value)
    assert text.startswith("rules.yaml: ")
    assert "rule 'no-op', field 'threshold.op'" in text
    assert "rule 'bad-window', field 'pct_change.window_days'" in text
    assert "rule 'bad-cooldown', field 'anomaly.cooldown'" in text and "write e.g. 90s" in text
    assert "rule 'bad-key', field 'new_release.dedup_key'" in text and "['artist']" in text
    assert "rule 'typo', field 'sync_status.flwo'" in text
    assert "rule '#7', field 'quota_exhausted.id'" in text
    assert "rule 'what'" in text and "weather" in text
    assert "'ok'" not in text


def test_duplicate_ids_and_a_missing_artist_placeholder_are_refused():
    with pytest.raises(RulesFileError, match="rule 'a', field 'id': duplicate id"):
        parse_rules([{"id": "a", "kind": "anomaly"}, {"id": "a", "kind": "new_release"}])
    with pytest.raises(RulesFileError, match=r"must contain \{artist_id\}"):
        parse_rules([{"id": "b", "kind": "anomaly", "dedup_key": "{rule_id}"}])


def test_unreadable_and_malformed_files_say_so(tmp_path: Path):
    with pytest.raises(RulesFileError, match="cannot read the alert rules file"):
        load_rules(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("rules: [\n")
    with pytest.raises(RulesFileError, match="not valid YAML"):
        load_rules(bad)
    bad.write_text("just: a mapping\n")
    with pytest.raises(RulesFileError, match="expected a mapping with a 'rules:' list"):
        load_rules(bad)


@pytest.mark.parametrize(
    ("text", "seconds"), [("90s", 90), ("15m", 900), ("6h", 21600), ("1d", 86400), (30, 30), ("1.5h", 5400)]
)
def test_durations(text, seconds):
    assert parse_duration(text) == timedelta(seconds=seconds)


def test_dedup_keys_come_from_the_template():
    (rule,) = parse_rules([{"id": "x", "kind": "anomaly", "dedup_key": "{kind}/{artist_id}/{subject}"}])
    assert rule.key(artist_id="A", subject="s1") == "anomaly/A/s1"
