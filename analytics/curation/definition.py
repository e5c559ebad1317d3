"""Playlist definitions as data: YAML files validated with pydantic, one clear error per bad field."""

from __future__ import annotations

import string
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

AudioTarget = Literal["calm", "energetic", "any"]
EnergyArc = Literal["rise", "fall", "rise_fall", "flat"]


class DefinitionError(ValueError):
    """A playlist definition file is unreadable or has invalid fields."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CandidatePool(_Strict):
    """Which tracks may be chosen: by artist, album and release window (empty = no restriction)."""

    artist_ids: list[str] = Field(default_factory=list)
    album_ids: list[str] = Field(default_factory=list)
    released_after: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")
    released_before: str | None = Field(default=None, pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Weights(_Strict):
    """Objective weights; each part of a score is in 0..1 before weighting."""

    streams_momentum: float = Field(default=1.0, ge=0)
    streams: float = Field(default=1.0, ge=0)
    saves: float = Field(default=0.5, ge=0)
    recency: float = Field(default=0.5, ge=0)
    audio: float = Field(default=0.5, ge=0)


class Pin(_Strict):
    track_id: str = Field(min_length=1)
    position: int = Field(ge=0)


class Constraints(_Strict):
    max_per_album: int | None = Field(default=None, ge=1)
    unique_recordings: bool = True
    allow_explicit: bool = True
    pinned: list[Pin] = Field(default_factory=list)
    excluded: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _pins_distinct(self) -> Constraints:
        positions = [p.position for p in self.pinned]
        if len(set(positions)) != len(positions):
            raise ValueError("two pinned tracks share a position")
        ids = [p.track_id for p in self.pinned]
        if len(set(ids)) != len(ids):
            raise ValueError("a track is pinned twice")
        clash = set(ids) & set(self.excluded)
        if clash:
            raise ValueError(f"tracks both pinned and excluded: {sorted(clash)}")
        return self


class PlaylistDefinition(_Strict):
    """What a curated playlist should contain and how it should flow."""

    name: str = Field(min_length=1, max_length=100)
    playlist_id: str | None = None
    description: str = Field(default="", max_length=1000)
    description_from: Literal["content", "template"] = "content"
    length: int | None = Field(default=None, ge=1, le=10000)
    duration_min: float | None = Field(default=None, gt=0)
    pool: CandidatePool = Field(default_factory=CandidatePool)
    weights: Weights = Field(default_factory=Weights)
    audio_target: AudioTarget = "any"
    energy_arc: EnergyArc = "rise_fall"
    constraints: Constraints = Field(default_factory=Constraints)
    public: bool = False
    seed: int = 0

    @field_validator("description")
    @classmethod
    def _plain_placeholders(cls, value: str) -> str:
        template_fields(value)  # raises ValueError naming what is wrong
        return value

    @model_validator(mode="after")
    def _size(self) -> PlaylistDefinition:
        if self.length is None and self.duration_min is None:
            raise ValueError("give a target 'length' (tracks) or 'duration_min' (minutes)")
        if self.length is not None:
            beyond = [p for p in self.constraints.pinned if p.position >= self.length]
            if beyond:
                raise ValueError(f"pinned position {beyond[0].position} is beyond length {self.length}")
        return self


TEMPLATE_FIELDS = ("name", "count", "minutes", "first")


def template_fields(template: str) -> list[tuple[str, str | None]]:
    """The description template as (literal text, placeholder or None) pieces.

    Only the bare placeholders ``{name}``, ``{count}``, ``{minutes}`` and ``{first}`` are
    accepted: no attribute or index access (``{name.x}``), conversion or format spec
    (``{count:>200000000}`` would build a 200 MB string); ``{{`` and ``}}`` are literal braces.
    """
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"description template: {exc} (write {{{{ and }}}} for literal braces)") from None
    pieces: list[tuple[str, str | None]] = []
    for literal, field, spec, conversion in parsed:
        if field is not None and (field not in TEMPLATE_FIELDS or spec or conversion):
            shown = (
                "{" + field + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            )
            raise ValueError(
                f"description template: {shown[:60]} is not a placeholder; use "
                + ", ".join("{" + f + "}" for f in TEMPLATE_FIELDS)
                + " as they are"
            )
        pieces.append((literal, field))
    return pieces


def parse_definition(data: object, *, source: str = "<definition>") -> PlaylistDefinition:
    """Validate a mapping as a :class:`PlaylistDefinition`.

    Raises
    ------
    DefinitionError : one line per bad field, naming ``source`` and the field path.
    """
    try:
        return PlaylistDefinition.model_validate(data)
    except ValidationError as exc:
        lines = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err["loc"]) or "(top level)"
            lines.append(f"  {where}: {err['msg']}")
        raise DefinitionError(
            f"playlist definition {source} has {len(lines)} invalid field(s):\n"
            + "\n".join(lines)
            + "\nFix the file and run again (see docs/curation.md for every field)."
        ) from None


def load_definition(path: Path | str) -> PlaylistDefinition:
    """Read and validate one YAML definition file."""
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DefinitionError(f"playlist definition {path} does not exist") from None
    except yaml.YAMLError as exc:
        raise DefinitionError(f"playlist definition {path} is not valid YAML: {exc}") from None
    return parse_definition(data, source=str(path))


DEFINITIONS_DIR = Path(__file__).resolve().parents[2] / "config" / "playlists"


def definition_path(definition: str, *, directory: Path = DEFINITIONS_DIR) -> Path:
    """A definition file: a YAML path, or a name in ``config/playlists/`` (with or without ``.yaml``)."""
    path = Path(definition)
    if path.suffix in (".yaml", ".yml") and path.exists():
        return path
    named = directory / f"{path.stem}.yaml"
    known = ", ".join(sorted(p.stem for p in directory.glob("*.yaml")))
    if path.suffix in (".yaml", ".yml") or len(path.parts) > 1:  # meant as a file
        if path.parent == Path(".") and named.exists():
            return named
        raise DefinitionError(
            f"playlist definition file {definition} does not exist: check the path, "
            f"or give the name of one in {directory}: {known}"
        )
    if named.exists():
        return named
    raise DefinitionError(f"no playlist definition '{definition}': give a YAML path or one of: {known}")
