"""Slots: the words a template may use, computed from the facts for one language.

Every value here is either a fact rendered in the locale (numbers, dates, names in quotes) or a
grammatical form chosen to agree with a fact (article, participle, pronoun). Choices between
equally true renderings — exact or compact number, long or medium date, which synonym — are drawn
from the seeded random generator, which is where much of the variety comes from.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from analytics.content import lang as L
from analytics.content.facts import (
    AudioFact,
    FactSheet,
    MilestoneFact,
    PlaylistChangeFact,
    ReleaseFact,
    SocialFact,
    StreamingFact,
    TopTrackFact,
)
from analytics.content.text import shorten
from analytics.locale import message

PLATFORM_NAMES = {
    "spotify": "Spotify",
    "instagram": "Instagram",
    "tiktok": "TikTok",
    "youtube": "YouTube",
    "x": "X",
}
# Slots that hold a name: a sentence starting with one keeps the name's own capitalisation.
NAME_SLOTS = frozenset(
    {
        "artist",
        "artist_poss",
        "artist_gen",
        "title",
        "a_title",
        "top1",
        "top_list",
        "pl_track",
        "playlist",
        "platform",
        "ms_platform",
        "label",
        "genres",
    }
)


@dataclass
class Slots:
    """Slots for the whole draft plus per-item slots for facts that may appear several times."""

    base: dict[str, str]
    social: list[dict[str, str]] = field(default_factory=list)
    playlists: list[dict[str, str]] = field(default_factory=list)
    streams_dir: str | None = None
    listeners_dir: str | None = None
    top_basis: str | None = None
    cadence: str = "weekly"


def _pick(rng: random.Random, options: tuple[str, ...] | list[str]) -> str:
    return options[rng.randrange(len(options))]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _direction(pct: float | None) -> str:
    if pct is None:
        return "plain"
    return "up" if pct >= 0.5 else "down" if pct <= -0.5 else "flat"


def focus_release(sheet: FactSheet) -> ReleaseFact | None:
    """The release a draft talks about: the latest one inside the period, else the latest."""
    releases = sheet.of(ReleaseFact)
    inside = [r for r in releases if r.in_period]
    candidates = inside or releases
    return candidates[0] if candidates else None


def cadence_of(sheet: FactSheet) -> str:
    return "weekly" if (sheet.period_end - sheet.period_start).days < 14 else "monthly"


def build_slots(
    sheet: FactSheet,
    *,
    lang: L.Language,
    rng: random.Random,
    budget: int,
    words: dict[str, tuple[str, ...]],
    cadence: str | None = None,
) -> Slots:
    """All slots for ``sheet`` in ``lang``; names are shortened to ``budget`` characters."""
    s: dict[str, str] = {}
    artist = sheet.artist
    name = shorten(artist.name, budget) if artist.name else ""

    def q(title: str) -> str:
        return L.quote(shorten(title, budget), lang)

    date_style = _pick(rng, ("long", "medium"))

    def dt(d: Any, precision: str = "day") -> str:
        return L.day(d, lang, style=date_style, precision=precision)

    short = rng.random() < 0.5  # compact numbers (1.2M) or exact ones (1,234,567), both grounded
    cad = cadence or cadence_of(sheet)
    s["artist"] = name
    s["artist_poss"] = L.en_possessive(name)
    s["artist_gen"] = L.de_genitive(name)
    s["de_artist"] = L.elide("de", name)
    if artist.genres:
        s["genres"] = L.listing([shorten(g, 30) for g in artist.genres[:3]], lang)
    if artist.followers is not None:
        s["followers_total"] = L.counted(artist.followers, "follower", lang, short=short)
    s["n_releases"] = L.counted(artist.release_count, "release", lang)
    if artist.track_count:
        s["n_all_tracks"] = L.counted(artist.track_count, "track", lang)
        s["n_all_tracks_dat"] = L.counted(artist.track_count, "track", lang, dative=True)
    for key in ("period", "unit", "prev_unit", "prev_unit_vs", "next_unit", "period_in"):
        options = words.get(f"{key}.{cad}")
        if options:
            s[key] = _pick(rng, options)
    if "period" in s:
        s["period_cap"] = _cap(s["period"])
    start, end = dt(sheet.period_start), dt(sheet.period_end)
    s["from_to"] = message("content-grammar:from_to", language=lang).forms[0].format(start=start, end=end)
    s["from_to_cap"] = _cap(s["from_to"])
    release = focus_release(sheet)
    if release is not None:
        _release_slots(s, release, lang=lang, q=q, dt=dt, artist=artist.name)
    _number_slots(s, sheet, lang=lang, q=q, short=short)
    out = Slots(base=s, cadence=cad)
    streams = [f for f in sheet.of(StreamingFact) if f.metric == "streams"]
    listeners = [f for f in sheet.of(StreamingFact) if f.metric == "listeners"]
    out.streams_dir = _direction(streams[0].change_pct) if streams else None
    out.listeners_dir = _direction(listeners[0].change_pct) if listeners else None
    tops = sheet.of(TopTrackFact)
    out.top_basis = tops[0].basis if tops else None
    audio = [a for a in sheet.of(AudioFact) if a.tempo_bpm or a.key is not None or a.energy is not None]
    if audio:
        a = audio[0]
        s["a_title"] = q(a.title)
        if a.tempo_bpm:
            s["tempo"] = f"{L.number(a.tempo_bpm, lang)}{L.NBSP}BPM"
        if a.key is not None:
            s["key"] = L.key_name(a.key, a.mode, lang)
        if a.energy is not None:
            bucket = "low" if a.energy < 0.35 else "mid" if a.energy <= 0.65 else "high"
            s["energy_adj"] = _pick(rng, words[f"energy.{bucket}"])
            fem = words.get(f"energy_fem.{bucket}")
            s["energy_fem"] = _pick(rng, fem) if fem else s["energy_adj"]
    for f in sorted(sheet.of(SocialFact), key=lambda f: -f.followers)[:2]:
        item = {
            "platform": PLATFORM_NAMES[f.platform],
            "followers": L.counted(f.followers, "follower", lang, short=short),
            "dir": _direction(f.change_pct),
        }
        if f.change_pct is not None:
            item["fpct"] = L.percent(f.change_pct, lang)
        if f.change and f.change > 0:
            item["fchange"] = L.counted(f.change, "follower", lang)
        out.social.append(item)
    for p in sheet.of(PlaylistChangeFact)[:2]:
        item = {"pl_track": q(p.track_title), "playlist": q(p.playlist), "dir": p.change}
        if p.on:
            item["pl_date"] = dt(p.on)
        out.playlists.append(item)
    return out


def _release_slots(
    s: dict[str, str], r: ReleaseFact, *, lang: L.Language, q: Any, dt: Any, artist: str
) -> None:
    s["title"] = q(r.title)
    kind = r.release_type
    s["rel"] = L.noun(kind, lang)
    if r.track_count:
        s["n_tracks"] = L.counted(r.track_count, "track", lang)
        s["n_tracks_dat"] = L.counted(r.track_count, "track", lang, dative=True)
    if r.label and r.label.casefold() != artist.casefold():
        s["label"] = shorten(r.label, 40)
    when = dt(r.release_date, r.release_date_precision)
    on_date = message(f"content-grammar:on_date.{r.release_date_precision}", language=lang).forms[0]
    s["on_date"] = on_date.format(date=when)
    s["on_date_bare"] = f"le {when}" if lang == "fr" and r.release_date_precision == "day" else when
    s["date"] = when
    if lang == "en":
        art = "an" if L.starts_with_vowel(s["rel"]) or kind == "ep" else "a"
        s["a_rel"] = f"{art} {s['rel']}"
        s["a_new_rel"] = f"a new {s['rel']}"
    elif lang == "fr":
        fem = L.gender(kind, "fr") == "f"
        s["un_rel"] = L.fr_np(kind, article="un")
        s["un_nouveau_rel"] = L.fr_np(kind, article="un", new=True)
        s["le_nouveau_rel"] = L.fr_np(kind, article="le", new=True)
        s["le_rel"] = L.fr_np(kind, article="le")
        s["sorti"] = "sortie" if fem else "sorti"
        s["il"] = "elle" if fem else "il"
    else:
        s["ein_rel_nom"] = L.de_np(kind, case="nom", definite=False)
        s["ein_neues_rel_acc"] = L.de_np(kind, case="acc", definite=False, adjective="neu")
        s["ein_neues_rel_nom"] = L.de_np(kind, case="nom", definite=False, adjective="neu")
        s["das_neue_rel_nom"] = L.de_np(kind, case="nom", definite=True, adjective="neu")
        s["das_neue_rel_acc"] = L.de_np(kind, case="acc", definite=True, adjective="neu")
        s["neues_rel_nom"] = L.de_np(kind, case="nom", definite=False, adjective="neu").split(" ", 1)[1]
        s["das_rel_nom_cap"] = _cap(L.de_np(kind, case="nom", definite=True))
        s["es"] = "es" if L.gender(kind, "de") == "n" else "sie"


def _number_slots(s: dict[str, str], sheet: FactSheet, *, lang: L.Language, q: Any, short: bool) -> None:
    for f in sheet.of(StreamingFact):
        if f.metric == "streams":
            s["streams"] = L.counted(f.value, "stream", lang, short=short)
            s["streams_n"] = (L.compact(f.value, lang) if short else None) or L.number(f.value, lang)
            if f.change_pct is not None:
                s["pct"] = L.percent(f.change_pct, lang)
        else:
            s["listeners"] = L.counted(f.value, "listener", lang, short=short)
            s["listeners_n"] = (L.compact(f.value, lang) if short else None) or L.number(f.value, lang)
            if f.change_pct is not None:
                s["lpct"] = L.percent(f.change_pct, lang)
    tops = sheet.of(TopTrackFact)
    if tops:
        s["top1"] = q(tops[0].title)
        s["top_list"] = L.listing([q(t.title) for t in tops], lang)
        if tops[0].streams is not None:
            s["top1_streams"] = L.counted(tops[0].streams, "stream", lang, short=short)
            s["top1_streams_dat"] = L.counted(tops[0].streams, "stream", lang, short=short, dative=True)
    milestones = sorted(sheet.of(MilestoneFact), key=lambda m: (m.metric != "streams", -m.threshold))
    if milestones:
        m = milestones[0]
        noun = {"streams": "stream", "followers": "follower", "listeners": "listener"}[m.metric]
        s["ms"] = L.counted(m.threshold, noun, lang, short=short)
        s["ms_dat"] = L.counted(m.threshold, noun, lang, short=short, dative=True)
        s["ms_date"] = L.day(m.reached_on, lang)
        s["ms_platform"] = PLATFORM_NAMES[m.platform]
        s["ms_metric"] = m.metric
