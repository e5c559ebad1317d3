"""Identity mapping on MusicBrainz-shaped data served by the emulator."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from analytics.config import Settings
from analytics.sandbox.social import SocialSandbox
from analytics.social import (
    ConnectorSet,
    MusicBrainzClient,
    connectors_from_settings,
    load_overrides,
    map_identities,
    musicbrainz_from_settings,
)
from tests.social.conftest import MAXSTACK, SECTOID


@pytest.fixture
def connectors(sb_settings: Settings, sandbox: SocialSandbox) -> Iterator[ConnectorSet]:
    found = connectors_from_settings(sb_settings, base_urls=sandbox.base_urls)
    yield found
    found.close()


@pytest.fixture
def musicbrainz(sb_settings: Settings, sandbox: SocialSandbox) -> MusicBrainzClient:
    return musicbrainz_from_settings(sb_settings, base_urls=sandbox.base_urls)


def by_platform(links):
    return {link.platform: link for link in links}


def test_exact_match_links_every_platform_musicbrainz_lists(
    sandbox: SocialSandbox, connectors: ConnectorSet, musicbrainz: MusicBrainzClient
) -> None:
    links = by_platform(map_identities(MAXSTACK, musicbrainz=musicbrainz, connectors=connectors.connectors))
    assert sorted(links) == ["instagram", "tiktok", "x", "youtube"]
    yt = links["youtube"]
    channel = sandbox.state.find("youtube", handle="@maxstack")
    assert channel is not None
    assert (yt.status, yt.handle, yt.source, yt.confidence) == ("linked", "@maxstack", "musicbrainz", 0.95)
    assert yt.account is not None and yt.account.platform_id == channel.platform_id
    mbid = next(iter(sandbox.musicbrainz.artists))
    assert mbid in yt.explanation and "https://www.youtube.com/@maxstack" in yt.explanation
    assert all(link.usable and not link.conflict for link in links.values())
    assert not any(p.endswith("/search") for _, p in sandbox.requests_to("youtube"))  # MusicBrainz sufficed


def test_two_candidate_channels_are_flagged_never_chosen(
    connectors: ConnectorSet, musicbrainz: MusicBrainzClient
) -> None:
    links = by_platform(map_identities(SECTOID, musicbrainz=musicbrainz, connectors=connectors.connectors))
    yt = links["youtube"]
    assert yt.conflict and yt.status == "conflict" and yt.handle is None and yt.account is None
    assert not yt.usable
    assert {c.handle for c in yt.candidates} == {"@sectoid", "@sectoid-topic"}
    assert "2 different youtube accounts" in yt.explanation and "add an override" in yt.explanation
    assert links["instagram"].status == "linked" and links["x"].status == "linked"


def test_wrong_user_override_wins_and_the_displaced_candidate_is_recorded(
    connectors: ConnectorSet, musicbrainz: MusicBrainzClient
) -> None:
    overrides = load_overrides({MAXSTACK["id"]: {"youtube": "https://www.youtube.com/@maxstackfanuploads"}})
    links = by_platform(
        map_identities(
            MAXSTACK, musicbrainz=musicbrainz, connectors=connectors.connectors, overrides=overrides
        )
    )
    yt = links["youtube"]
    assert (yt.status, yt.handle, yt.source, yt.confidence) == (
        "override",
        "@maxstackfanuploads",
        "override",
        1.0,
    )
    assert yt.usable and yt.account is not None and yt.account.display_name == "Maxstack Fan Uploads"
    assert [(c.handle, c.source, c.confidence) for c in yt.overridden] == [("@maxstack", "musicbrainz", 0.95)]
    assert "overrides @maxstack (musicbrainz, 0.95)" in yt.explanation
    assert links["x"].status == "linked"  # other platforms untouched


def test_override_resolves_a_conflict_and_null_excludes_a_platform(
    connectors: ConnectorSet, musicbrainz: MusicBrainzClient
) -> None:
    overrides = {SECTOID["id"]: {"youtube": "@sectoid", "x": None}}
    links = by_platform(
        map_identities(
            SECTOID, musicbrainz=musicbrainz, connectors=connectors.connectors, overrides=overrides
        )
    )
    assert links["youtube"].status == "override" and links["youtube"].handle == "@sectoid"
    assert [c.handle for c in links["youtube"].overridden] == ["@sectoid-topic"]
    assert "agrees with musicbrainz" in links["youtube"].explanation
    assert links["x"].status == "excluded" and not links["x"].usable


def test_search_by_name_where_musicbrainz_knows_nothing(
    sandbox: SocialSandbox, connectors: ConnectorSet
) -> None:
    links = by_platform(map_identities(MAXSTACK, musicbrainz=None, connectors=connectors.connectors))
    yt = links["youtube"]
    assert (yt.status, yt.handle, yt.source, yt.confidence) == ("linked", "@maxstack", "search", 0.6)
    assert "youtube search for 'Maxstack' found 'Maxstack' (exact name)" in yt.explanation
    assert all(c.handle != "@maxstackfanuploads" for c in yt.candidates)  # not close enough to count
    assert sum(1 for _, p in sandbox.requests_to("youtube") if p.endswith("/search")) == 1


def test_artist_unknown_to_musicbrainz_gets_no_links(
    connectors: ConnectorSet, musicbrainz: MusicBrainzClient
) -> None:
    links = map_identities(
        {"id": "0000000000000000000000", "name": "Nobody Known"},
        musicbrainz=musicbrainz,
        connectors=connectors.connectors,
    )
    assert links == []


def test_overrides_from_yaml_and_a_clear_error_for_a_bad_file(tmp_path) -> None:
    good = tmp_path / "links.yaml"
    good.write_text(f"{MAXSTACK['id']}:\n  youtube: '@maxstack'\n  tiktok: null\n", encoding="utf-8")
    assert load_overrides(good) == {MAXSTACK["id"]: {"youtube": "@maxstack", "tiktok": None}}
    bad = tmp_path / "bad.yaml"
    bad.write_text("- just\n- a list\n", encoding="utf-8")
    with pytest.raises(ValueError, match="expected a mapping of Spotify artist id"):
        load_overrides(bad)
