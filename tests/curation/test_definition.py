from __future__ import annotations

from pathlib import Path

import pytest

from analytics.curation import DefinitionError, load_definition, parse_definition

CONFIG = Path(__file__).resolve().parents[2] / "config" / "playlists"


@pytest.mark.parametrize("path", sorted(CONFIG.glob("*.yaml")), ids=lambda p: p.name)
def test_demo_definitions_load(path: Path) -> None:
    definition = load_definition(path)
    assert definition.name
    assert definition.length or definition.duration_min


def test_each_bad_field_is_named_with_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "name: X\nlength: 0\nweights: {streams: -1}\naudio_target: loud\nconstraints: {max_per_album: 0}\n"
        "unknown_field: 1\n"
    )
    with pytest.raises(DefinitionError) as info:
        load_definition(path)
    message = str(info.value)
    assert str(path) in message
    for field in ("length", "weights.streams", "audio_target", "constraints.max_per_album", "unknown_field"):
        assert f"  {field}:" in message, field


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        ({"name": "X"}, "give a target 'length'"),
        ({"name": "X", "length": 3, "constraints": {"pinned": [{"track_id": "a", "position": 5}]}}, "beyond"),
        (
            {
                "name": "X",
                "length": 3,
                "constraints": {"pinned": [{"track_id": "a", "position": 0}], "excluded": ["a"]},
            },
            "both pinned and excluded",
        ),
        ({"name": "X", "length": 3, "pool": {"released_after": "May 2020"}}, "pool.released_after"),
    ],
)
def test_inconsistent_definitions_are_refused(data: dict[str, object], fragment: str) -> None:
    with pytest.raises(DefinitionError, match=fragment):
        parse_definition(data, source="inline")


def test_missing_and_unparsable_files(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="does not exist"):
        load_definition(tmp_path / "nope.yaml")
    (tmp_path / "broken.yaml").write_text("name: [unclosed\n")
    with pytest.raises(DefinitionError, match="not valid YAML"):
        load_definition(tmp_path / "broken.yaml")


@pytest.mark.parametrize(
    ("template", "fragment"),
    [
        ("{name.nope}", r"\{name.nope\} is not a placeholder"),
        ("{count:>200000000}", r"\{count:>200000000\} is not a placeholder"),
        ("{name!r}", r"\{name!r\} is not a placeholder"),
        ("{nope}", r"\{nope\} is not a placeholder"),
        ("{name", "expected '}'"),
    ],
)
def test_a_description_template_with_more_than_placeholders_is_refused_at_load(
    template: str, fragment: str
) -> None:
    with pytest.raises(DefinitionError, match=fragment) as info:
        parse_definition({"name": "X", "length": 3, "description": template}, source="inline")
    assert "description:" in str(info.value)


def test_a_description_template_fills_its_placeholders_and_keeps_literal_braces() -> None:
    from analytics.curation.definition import template_fields

    pieces = template_fields("{{best}} of {name}: {count} tracks")
    assert pieces == [("{", None), ("best}", None), (" of ", "name"), (": ", "count"), (" tracks", None)]
