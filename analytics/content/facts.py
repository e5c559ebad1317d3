"""The fact sheet: everything a draft may say about an artist and a period, and where it came from.

A :class:`FactSheet` is typed and versioned (``schema``); its ``fact_sheet_id`` is the SHA-256 of
its canonical content, so the same facts always have the same id and a draft can name the exact
facts it was written from. Every fact carries its source table and the run that wrote it.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import TYPE_CHECKING, Annotated, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, computed_field

if TYPE_CHECKING:
    from analytics.audit import AuditRecord

SCHEMA_VERSION = "encore-facts/1"

ReleaseType = Literal["album", "single", "ep", "compilation"]
Platform = Literal["spotify", "instagram", "tiktok", "youtube", "x"]


class Source(BaseModel):
    """Where a fact came from: a warehouse table (or input name) and the run that wrote it."""

    model_config = ConfigDict(frozen=True)

    table: str
    run_id: str | None = None


class _Fact(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    source: Source


class ArtistFact(_Fact):
    kind: Literal["artist"] = "artist"
    name: str
    genres: list[str] = Field(default_factory=list)
    followers: int | None = None
    release_count: int = 0
    track_count: int = 0


class ReleaseFact(_Fact):
    kind: Literal["release"] = "release"
    title: str
    release_type: ReleaseType
    release_date: date
    release_date_precision: Literal["day", "month", "year"] = "day"
    track_count: int
    label: str | None = None
    in_period: bool = False


class StreamingFact(_Fact):
    """Streams or listeners over the period, with the previous period of equal length."""

    kind: Literal["streaming"] = "streaming"
    metric: Literal["streams", "listeners"]
    value: int
    previous: int | None = None
    change: int | None = None
    change_pct: float | None = None


class SocialFact(_Fact):
    """Audience of one platform at the period's end, with the change over the period."""

    kind: Literal["social"] = "social"
    platform: Platform
    followers: int
    previous: int | None = None
    change: int | None = None
    change_pct: float | None = None


class MilestoneFact(_Fact):
    """A round threshold crossed within the period."""

    kind: Literal["milestone"] = "milestone"
    metric: Literal["streams", "followers", "listeners"]
    platform: Platform
    threshold: int
    reached_on: date
    value: int


class TopTrackFact(_Fact):
    """A most-played track: by streams in the period, else by catalog popularity (no number)."""

    kind: Literal["top_track"] = "top_track"
    rank: int
    title: str
    streams: int | None = None
    basis: Literal["streams", "popularity"] = "streams"


class AudioFact(_Fact):
    """Audio character of one track, from encore's own analysis of the audio file."""

    kind: Literal["audio"] = "audio"
    title: str
    tempo_bpm: int | None = None
    key: int | None = Field(default=None, ge=0, le=11, description="pitch class, 0 = C")
    mode: Literal["major", "minor"] | None = None
    energy: float | None = Field(default=None, ge=0.0, le=1.0)
    loudness_lufs: float | None = None


class PlaylistChangeFact(_Fact):
    kind: Literal["playlist_change"] = "playlist_change"
    playlist: str
    track_title: str
    change: Literal["added", "removed"]
    on: date | None = None


F = TypeVar("F", bound="_Fact")

Fact = Annotated[
    ArtistFact
    | ReleaseFact
    | StreamingFact
    | SocialFact
    | MilestoneFact
    | TopTrackFact
    | AudioFact
    | PlaylistChangeFact,
    Field(discriminator="kind"),
]


class FactSheet(BaseModel):
    """Every fact about one artist over one period; the only thing a draft may be written from.

    ``coverage`` says, per source (catalog, streaming, social, audio, playlists), what was found
    or why it is absent, so a reader knows why a recap says less than expected.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    schema_version: str = SCHEMA_VERSION
    artist_id: str
    period_start: date
    period_end: date
    facts: tuple[Fact, ...] = ()
    coverage: dict[str, str] = Field(default_factory=dict)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fact_sheet_id(self) -> str:
        payload = self.model_dump(mode="json", exclude={"fact_sheet_id"})
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def audit_record(self) -> AuditRecord:
        """The sheet's record: whose facts, and the sheet's id (its content hash)."""
        return {"inputs": {"artist_id": self.artist_id}, "outputs": {"fact_sheet_id": self.fact_sheet_id}}

    @property
    def phrasing_key(self) -> str:
        """A hash of the facts without the runs they came from: the same facts, the same words.

        The generator seeds its choice of phrasings with it, so that re-reading unchanged data
        in another run (another ``run_id`` in every source) does not reword the drafts.
        """
        payload = self.model_dump(mode="json", exclude={"fact_sheet_id"})
        for fact in payload["facts"]:
            fact.get("source", {}).pop("run_id", None)
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    @property
    def artist(self) -> ArtistFact:
        found = self.of(ArtistFact)
        if not found:
            raise ValueError(f"fact sheet {self.fact_sheet_id[:12]} has no artist fact")
        return found[0]

    def of(self, kind: type[F]) -> list[F]:
        """The facts of one type, in sheet order."""
        return [f for f in self.facts if isinstance(f, kind)]

    def names(self) -> list[str]:
        """Every proper name the sheet holds (artist, titles, playlists, labels)."""
        out: list[str] = []
        for f in self.facts:
            match f:
                case ArtistFact():
                    out.append(f.name)
                case ReleaseFact():
                    out.extend([f.title, *([f.label] if f.label else [])])
                case TopTrackFact() | AudioFact():
                    out.append(f.title)
                case PlaylistChangeFact():
                    out.extend([f.playlist, f.track_title])
        return [n for n in dict.fromkeys(out) if n]

    def dates(self) -> list[date]:
        """Every date the sheet holds, the period bounds included."""
        out = [self.period_start, self.period_end]
        for f in self.facts:
            if isinstance(f, ReleaseFact) and f.release_date_precision == "day":
                out.append(f.release_date)
            elif isinstance(f, MilestoneFact):
                out.append(f.reached_on)
            elif isinstance(f, PlaylistChangeFact) and f.on:
                out.append(f.on)
        return sorted(set(out))
