"""The default backend: a grounded data-to-text generator, deterministic for a seed.

A draft is planned as a list of sentence blocks (required ones and optional ones with a priority),
each rendered from one of many phrasings whose slots are all known from the facts. The seed
chooses phrasings, synonyms, number and date styles, hashtags and emoji. If the result is over
the platform's limit, optional blocks are dropped (lowest priority first), then names shortened.
"""

from __future__ import annotations

import hashlib
import json
import random
import string
from dataclasses import dataclass, field

from analytics.content.backend import BackendText, DraftRequest, MissingFactsError
from analytics.content.facts import FactSheet, ReleaseFact
from analytics.content.kinds import ContentKind, hashtag_count, missing_facts
from analytics.content.lang import LANGUAGES, NNBSP, Language
from analytics.content.slots import NAME_SLOTS, Slots, build_slots, focus_release
from analytics.content.text import hashtag, hashtag_key, platform_length
from analytics.locale import lines, messages

MODEL = "encore-d2t"
NAME_BUDGETS = (60, 40, 26, 16, 8)
EMOJI = ("🎧", "🎶", "✨", "🔊", "🎵")


def _french(template: str) -> str:
    """Narrow no-break space before ! ? ; : as French typography wants (not inside slots)."""
    out: list[str] = []
    for i, ch in enumerate(template):
        if ch in "!?;:" and i > 0 and template[i - 1] == " ":
            out[-1] = NNBSP
        out.append(ch)
    return "".join(out)


def _phrasebook(language: str, *, prefix: str) -> dict[str, tuple[str, ...]]:
    """The content messages ``<prefix>:<key>`` of ``language``'s catalog, by key: each a tuple of
    the phrasings (or words) written one a line; a form the language leaves empty is absent."""
    return {
        context.split(":", 1)[1]: lines(context, language=language)
        for context in messages(language)
        if context.startswith(f"{prefix}:")
    }


# The phrasings and words of every language, from the message catalogs (analytics/locale), which
# the report shares; French gets its narrow no-break spaces here, not in the catalog.
PHRASEBOOK: dict[Language, dict[str, tuple[str, ...]]] = {
    language: {
        key: tuple(_french(t) for t in variants) if language == "fr" else variants
        for key, variants in _phrasebook(language, prefix="content").items()
    }
    for language in LANGUAGES
}
WORDS: dict[Language, dict[str, tuple[str, ...]]] = {
    language: _phrasebook(language, prefix="content-words") for language in LANGUAGES
}
_DIGEST = hashlib.sha256(
    json.dumps([PHRASEBOOK, WORDS], sort_keys=True, ensure_ascii=False).encode()
).hexdigest()
TEMPLATE_VERSION = f"d2t-1+{_DIGEST[:10]}"


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


@dataclass
class _Item:
    block: str
    priority: int  # 0: required; higher numbers are dropped first
    overlay: dict[str, str] = field(default_factory=dict)
    line: int = 0  # paragraph group, for platforms that use line breaks


def _plan(kind: ContentKind, slots: Slots, sheet: FactSheet, platform: str) -> list[_Item]:
    social_post = platform in {"x", "instagram", "tiktok", "youtube"} and kind not in {
        ContentKind.short_bio,
        ContentKind.press_kit,
    }
    cta = [_Item(f"cta.{platform}", 6, line=2)] if social_post else []
    if kind is ContentKind.release_announcement:
        release = focus_release(sheet)
        new = release is not None and release.in_period
        release_cta = [_Item(f"cta.release.{platform}", 6, line=2)] if cta and platform != "youtube" else cta
        return [
            _Item("release.open" if new else "catalog.open", 7),
            _Item("release.new" if new else "release.old", 0),
            _Item("release.detail", 3, line=1),
            _Item("audio.track", 4, line=1),
            *release_cta,
        ]
    if kind in {ContentKind.weekly_recap, ContentKind.monthly_recap}:
        items = [_Item(f"recap.open.{slots.cadence}", 0)]
        if slots.streams_dir:
            items.append(_Item(f"streams.{slots.streams_dir}", 1, line=1))
        if slots.listeners_dir:
            items.append(_Item(f"listeners.{slots.listeners_dir}", 3, line=1))
        items += [_Item(f"social.{s['dir']}", 2 + i, s, line=1) for i, s in enumerate(slots.social)]
        if "ms" in slots.base:
            items.append(_Item(f"milestone.{slots.base['ms_metric']}", 2, line=1))
        if slots.top_basis:
            items.append(_Item("top.list" if slots.top_basis == "streams" else "top.popular", 3, line=1))
        items += [_Item(f"playlist.{p['dir']}", 4 + i, p, line=1) for i, p in enumerate(slots.playlists)]
        if any(r.in_period for r in sheet.of(ReleaseFact)):
            items.append(_Item("release.recap", 2, line=1))
        return [*items, _Item("recap.close", 7, line=2), *cta]
    if kind is ContentKind.milestone_post:
        return [
            _Item("milestone.open", 7),
            _Item(f"milestone.{slots.base['ms_metric']}", 0),
            _Item("milestone.thanks", 5, line=1),
            *cta,
        ]
    if kind is ContentKind.playlist_description:
        return [_Item("pl.intro", 0), _Item("pl.tracks", 2), _Item("pl.audio", 4), _Item("pl.latest", 3)]
    if kind is ContentKind.short_bio:
        return [
            _Item("bio.intro", 0),
            _Item("bio.latest", 2),
            _Item("bio.catalog", 3),
            _Item("bio.audience", 4),
        ]
    blocks = [
        "press.intro",
        "press.catalog",
        "press.latest",
        "press.top",
        "press.streams",
        "press.social",
        "press.audio",
        "press.close",
    ]
    items = [_Item(b, 0 if i == 0 else i + 1, line=0 if i < 3 else 1) for i, b in enumerate(blocks)]
    if slots.social:
        items[5].overlay = slots.social[0]
    return items


class GroundedGenerator:
    """Grounded data-to-text generation: no model, no network, same seed → same text."""

    name = "grounded"
    model = MODEL
    template_version = TEMPLATE_VERSION

    def write(self, request: DraftRequest) -> BackendText:
        reason = missing_facts(request.facts, request.kind)
        if reason:
            raise MissingFactsError(
                f"cannot write {request.kind} for artist {request.facts.artist_id}: {reason}"
            )
        best: str | None = None
        tags: tuple[str, ...] = ()
        for budget in NAME_BUDGETS:
            rng = random.Random(
                f"{request.seed}:{request.facts.phrasing_key}:{request.kind}:{request.language}:{request.platform}"
            )
            text, tags = self._render(request, rng, budget)
            best = text
            if platform_length(text, platform=request.platform) <= request.limit:
                break
        assert best is not None
        return BackendText(
            text=best,
            backend=self.name,
            model=self.model,
            template_version=self.template_version,
            hashtags=tags,
        )

    def _render(self, request: DraftRequest, rng: random.Random, budget: int) -> tuple[str, tuple[str, ...]]:
        lang, kind, platform = request.language, request.kind, request.platform
        cadence = {ContentKind.weekly_recap: "weekly", ContentKind.monthly_recap: "monthly"}.get(kind)
        slots = build_slots(
            request.facts, lang=lang, rng=rng, budget=budget, words=WORDS[lang], cadence=cadence
        )
        rendered: list[tuple[_Item, str]] = []
        for item in _plan(kind, slots, request.facts, platform):
            sentence = self._sentence(item, slots, lang, rng)
            if sentence is None and item.priority == 0:
                raise MissingFactsError(
                    f"no phrasing of {item.block} fits the facts of {request.facts.artist_id}"
                )
            if sentence:
                rendered.append((item, sentence))
        emoji = (
            EMOJI[rng.randrange(len(EMOJI))]
            if platform in {"instagram", "tiktok"} or (platform == "x" and rng.random() < 0.5)
            else ""
        )
        if kind in {ContentKind.short_bio, ContentKind.press_kit, ContentKind.playlist_description}:
            emoji = ""
        tags = self._hashtags(request, rng)
        while True:
            text = _assemble(rendered, platform=platform, emoji=emoji, tags=tags)
            if platform_length(text, platform=platform) <= request.limit:
                return text, tags
            droppable = [(it.priority, i) for i, (it, _) in enumerate(rendered) if it.priority > 0]
            if tags and (not droppable or max(droppable)[0] <= 5):
                tags = tags[:-1]
                continue
            if not droppable:
                return text, tags
            del rendered[max(droppable)[1]]

    def _sentence(self, item: _Item, slots: Slots, lang: Language, rng: random.Random) -> str | None:
        values = {**slots.base, **item.overlay}
        options = [t for t in PHRASEBOOK[lang].get(item.block, ()) if _fields(t) <= values.keys()]
        if not options:
            return None
        template = options[rng.randrange(len(options))]
        text = template.format(**values)
        first = next(iter(f for _, f, _, _ in string.Formatter().parse(template)), None)
        starts_with_name = template.startswith("{") and first in NAME_SLOTS
        return text if starts_with_name else text[:1].upper() + text[1:]

    def _hashtags(self, request: DraftRequest, rng: random.Random) -> tuple[str, ...]:
        count = hashtag_count(request.kind, request.platform)
        if not count:
            return ()
        sheet = request.facts
        first = [hashtag(sheet.artist.name)]
        release = focus_release(sheet)
        if release is not None and request.kind is ContentKind.release_announcement:
            first.append(hashtag(release.title))
        pool = [hashtag(g) for g in sheet.artist.genres] + list(WORDS[request.language]["hashtags"])
        rng.shuffle(pool)
        out: list[str] = []
        for tag in [*first, *pool]:
            if tag and hashtag_key(tag) not in {hashtag_key(t) for t in out}:
                out.append(tag)
        return tuple(out[:count])


def _assemble(rendered: list[tuple[_Item, str]], *, platform: str, emoji: str, tags: tuple[str, ...]) -> str:
    if platform in {"spotify", "web"}:
        paragraphs: dict[int, list[str]] = {}
        for item, sentence in rendered:
            paragraphs.setdefault(item.line if platform == "web" else 0, []).append(sentence)
        body = "\n\n".join(" ".join(p) for _, p in sorted(paragraphs.items()))
        return body
    if platform == "x":
        body = " ".join(s for _, s in rendered)
        body = f"{emoji} {body}" if emoji else body
        return f"{body}\n\n{' '.join(tags)}" if tags else body
    groups: dict[int, list[str]] = {}
    for item, sentence in rendered:
        groups.setdefault(item.line, []).append(sentence)
    lines = [" ".join(g) for _, g in sorted(groups.items())]
    if emoji and lines:
        lines[0] = f"{emoji} {lines[0]}"
    text = "\n\n".join(lines)
    return f"{text}\n\n{' '.join(tags)}" if tags else text
