"""Drafts: generate with a backend, validate against the facts, fall back, and write them out.

Every :class:`Draft` names the fact sheet, content type, language, platform, backend, model,
template version and seed it came from, with the validator's result — so any sentence can be
explained and written again identically.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

import structlog
from pydantic import BaseModel, ConfigDict

from analytics.content.backend import BackendError, ContentBackend, DraftRequest, MissingFactsError
from analytics.content.facts import FactSheet
from analytics.content.generator import GroundedGenerator
from analytics.content.kinds import PLATFORMS, ContentKind, limit_for, missing_facts
from analytics.content.lang import LANGUAGES, Language
from analytics.content.validate import GroundingResult, validate_text
from analytics.observability.metrics import counter, histogram

log = structlog.get_logger(__name__)
DRAFTS = counter("encore_content_drafts_total", "Content drafts generated", ("backend", "kind", "outcome"))
SECONDS = histogram("encore_content_generation_seconds", "Time to write and validate one draft", ("backend",))


class Fallback(BaseModel):
    """A draft from another backend that was rejected, and why."""

    model_config = ConfigDict(frozen=True)

    backend: str
    model: str
    reason: str
    rejected_text: str | None = None


class Draft(BaseModel):
    """One ready-to-post text and everything needed to explain and reproduce it."""

    model_config = ConfigDict(frozen=True)

    fact_sheet_id: str
    artist_id: str
    kind: ContentKind
    language: Language
    platform: str
    seed: int
    backend: str
    model: str
    template_version: str
    text: str
    hashtags: tuple[str, ...] = ()
    limit: int
    validation: GroundingResult
    fallback: Fallback | None = None

    @property
    def natural_key(self) -> tuple[str, str, str, str, int]:
        return (self.fact_sheet_id, self.kind.value, self.language, self.platform, self.seed)

    @property
    def draft_id(self) -> str:
        return hashlib.sha256("/".join(map(str, self.natural_key)).encode()).hexdigest()[:32]


def validate_draft(draft: Draft, facts: FactSheet) -> GroundingResult:
    """Check ``draft`` against ``facts``: grounding, length, language and banned content."""
    if draft.fact_sheet_id != facts.fact_sheet_id:
        raise ValueError(
            f"draft was written from fact sheet {draft.fact_sheet_id[:12]}, not {facts.fact_sheet_id[:12]}; "
            "validate it against the sheet it names"
        )
    return validate_text(
        draft.text, facts, language=draft.language, platform=draft.platform, limit=draft.limit
    )


def _combinations(
    kinds: Iterable[ContentKind | str], languages: Iterable[str], platforms: Sequence[str] | None
) -> list[tuple[ContentKind, Language, str]]:
    out = []
    for kind in map(ContentKind, kinds):
        for language in languages:
            if language not in LANGUAGES:
                raise ValueError(f"language {language!r} is not supported; use one of {', '.join(LANGUAGES)}")
            for platform in PLATFORMS[kind]:
                if platforms is None or platform in platforms:
                    out.append((kind, language, platform))
    return out  # type: ignore[return-value]


def generate_drafts(
    facts: FactSheet,
    *,
    kinds: Iterable[ContentKind | str] = tuple(ContentKind),
    languages: Iterable[str] = LANGUAGES,
    platforms: Sequence[str] | None = None,
    seed: int = 0,
    backend: ContentBackend | None = None,
) -> list[Draft]:
    """Drafts of every requested kind × language × platform the facts support.

    Parameters
    ----------
    facts : the fact sheet to write from (nothing else reaches a backend).
    kinds, languages : what to write; kinds the facts cannot support are skipped (logged with the
        reason, see :func:`analytics.content.kinds.missing_facts`).
    platforms : restrict to these platforms (default: every platform of each kind).
    seed : chooses phrasings; the same facts and seed give the same text.
    backend : default the grounded generator; another backend's draft that fails validation (or
        errors) is replaced by the grounded generator's, with the reason in ``fallback``.

    Returns
    -------
    list of Draft, each validated; ``draft.validation.ok`` is True unless even the grounded
    generator could not fit the facts in the limit (then the issues say why).
    """
    grounded = GroundedGenerator()
    chosen = backend or grounded
    drafts: list[Draft] = []
    told: set[ContentKind] = set()  # a kind's reason is the same for every language and platform
    for kind, language, platform in _combinations(kinds, languages, platforms):
        reason = missing_facts(facts, kind)
        if reason:
            if kind not in told:
                told.add(kind)
                log.info("content.skipped", kind=kind.value, artist_id=facts.artist_id, reason=reason)
            DRAFTS.labels(backend=chosen.name, kind=kind.value, outcome="skipped").inc()
            continue
        request = DraftRequest(
            facts=facts,
            kind=kind,
            language=language,
            platform=platform,
            seed=seed,
            limit=limit_for(kind, platform),
        )
        drafts.append(_one(request, chosen, grounded))
    return drafts


def _one(request: DraftRequest, chosen: ContentBackend, grounded: GroundedGenerator) -> Draft:
    started = time.perf_counter()
    fallback: Fallback | None = None
    try:
        out = chosen.write(request)
        result = validate_text(
            out.text, request.facts, language=request.language, platform=request.platform, limit=request.limit
        )
        if not result.ok and chosen is not grounded:
            fallback = Fallback(
                backend=out.backend, model=out.model, reason=result.reason, rejected_text=out.text
            )
    except (BackendError, MissingFactsError) as exc:
        if chosen is grounded:
            raise
        fallback = Fallback(
            backend=chosen.name, model=getattr(chosen, "model", ""), reason=f"backend error: {exc}"
        )
    if fallback is not None:
        log.warning(
            "content.rejected",
            backend=fallback.backend,
            kind=request.kind.value,
            language=request.language,
            platform=request.platform,
            reason=fallback.reason,
        )
        DRAFTS.labels(backend=fallback.backend, kind=request.kind.value, outcome="rejected").inc()
        out = grounded.write(request)
        result = validate_text(
            out.text, request.facts, language=request.language, platform=request.platform, limit=request.limit
        )
    SECONDS.labels(backend=out.backend).observe(time.perf_counter() - started)
    DRAFTS.labels(
        backend=out.backend, kind=request.kind.value, outcome="ok" if result.ok else "invalid"
    ).inc()
    return Draft(
        fact_sheet_id=request.facts.fact_sheet_id,
        artist_id=request.facts.artist_id,
        kind=request.kind,
        language=request.language,
        platform=request.platform,
        seed=request.seed,
        backend=out.backend,
        model=out.model,
        template_version=out.template_version,
        text=out.text,
        hashtags=out.hashtags,
        limit=request.limit,
        validation=result,
        fallback=fallback,
    )


def write_ready_to_post(drafts: Iterable[Draft], out_dir: Path | str) -> list[Path]:
    """One UTF-8 text file per draft: ``<out_dir>/<platform>/<artist>-<kind>-<language>-s<seed>.txt``.

    Only drafts that passed validation are written; files are replaced atomically, so a second run
    with the same drafts leaves identical files.
    """
    root = Path(out_dir)
    written: list[Path] = []
    for draft in drafts:
        if not draft.validation.ok:
            log.warning("content.not_written", kind=draft.kind.value, reason=draft.validation.reason)
            continue
        path = (
            root / draft.platform / f"{draft.artist_id}-{draft.kind.value}-{draft.language}-s{draft.seed}.txt"
        )
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(draft.text.rstrip("\n") + "\n", encoding="utf-8")
        tmp.replace(path)
        written.append(path)
    return written
