"""Quality of the default content backend: grounding, variety and speed.

- grounding rate: share of drafts (every kind × language × platform, several seeds) that pass the
  grounding validator, over the demo artists and seeded synthetic fact sheets (with very small and
  very large numbers, missing sources and hostile names); baseline: the goal, 100 %.
- distinct phrasings: distinct texts (hashtags and emoji removed) over 100 seeds per content type
  and language, as a ratio of the 100 possible.
- time per draft (write + validate), against a baseline of one fixed f-string template filled with
  Babel-formatted numbers and dates (the naive generator this replaces).

Prints one line per figure and writes ``benchmarks/results/content_quality.json``.

    uv run python benchmarks/content_quality.py [--synthetic 24] [--seeds 3]
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import re
import string
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import structlog
from babel.dates import format_date
from babel.numbers import format_decimal

from analytics.content import (
    LANGUAGES,
    PLATFORMS,
    ContentKind,
    FactSheet,
    build_fact_sheet,
    catalog_fact_sheet,
    generate_drafts,
)
from analytics.demo import demo_artist_ids, load_catalog

RESULTS = Path(__file__).resolve().parent / "results" / "content_quality.json"
WEEK = (date(2026, 11, 16), date(2026, 11, 22))
MONTH = (date(2026, 10, 1), date(2026, 10, 31))
HOSTILE = "<b>Bold</b> \u202etxet\u202c 🎸 \u200fعنوان\u200f &amp; "


def _word(rng: random.Random) -> str:
    syllables = ["ka", "lo", "mi", "ra", "ven", "tor", "sa", "el", "qu", "ix", "no", "dé", "ü", "ber"]
    return "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()


def _inputs(rng: random.Random, track_ids: list[str], start: date, end: date) -> dict[str, Any]:
    scale = 10 ** rng.randint(0, 5)
    streams, day = [], start - timedelta(days=rng.choice([0, 30, 60]))
    while day <= end:
        streams += [{"day": day, "track_id": t, "streams": rng.randint(0, 40) * scale} for t in track_ids[:6]]
        streams.append({"day": day, "streams": 0, "listeners": rng.randint(1, 9) * scale})
        day += timedelta(days=1)
    span = (end - start).days + 2
    base = 10 ** rng.randint(1, 6)
    social = [
        {
            "platform": p,
            "day": start - timedelta(days=1) + timedelta(days=i),
            "followers": base + i * rng.randint(0, base // 10 + 1),
        }
        for p in rng.sample(["instagram", "tiktok", "youtube", "x"], rng.randint(0, 3))
        for i in range(span)
    ]
    audio = [
        {
            "track_id": t,
            "tempo_bpm": rng.uniform(60, 190),
            "key": rng.randint(0, 11),
            "mode": rng.randint(0, 1),
            "energy": rng.random(),
        }
        for t in track_ids[: rng.randint(0, 4)]
    ]
    changes = [
        {
            "playlist": _word(rng),
            "track_id": rng.choice(track_ids),
            "change": rng.choice(["added", "removed"]),
            "day": start + timedelta(days=rng.randint(0, (end - start).days)),
        }
        for _ in range(rng.randint(0, 2))
    ]
    keep = rng.sample(["streams", "social", "audio_features", "playlist_changes"], rng.randint(0, 4))
    full = {"streams": streams, "social": social, "audio_features": audio, "playlist_changes": changes}
    return {k: v for k, v in full.items() if k in keep}


def synthetic_sheet(seed: int) -> FactSheet:
    """A seeded fact sheet: random names (some hostile), catalog, and any subset of other sources."""
    rng = random.Random(seed)
    start, end = WEEK if seed % 2 == 0 else MONTH
    hostile = seed % 5 == 0
    name = (HOSTILE * 20 if hostile else "") + " ".join(_word(rng) for _ in range(rng.randint(1, 3)))
    albums, tracks = [], []
    for a in range(rng.randint(1, 4)):
        kind = rng.choice(["album", "single", "compilation", "single"])
        n = 1 if kind == "single" and rng.random() < 0.6 else rng.randint(2, 12)
        released = end - timedelta(days=rng.choice([2, 40, 400, 4000]))
        albums.append(
            {
                "album_id": f"a{a}",
                "name": (HOSTILE if hostile else "") + _word(rng),
                "album_type": kind,
                "release_date": released.isoformat(),
                "release_date_precision": "day",
                "total_tracks": n,
                "label": rng.choice([None, _word(rng) + " Records"]),
            }
        )
        tracks += [
            {
                "track_id": f"a{a}t{i}",
                "name": (HOSTILE * 30 if hostile and i == 0 else "") + _word(rng),
                "popularity": rng.randint(0, 80),
            }
            for i in range(n)
        ]
    artist = {
        "artist_id": f"syn{seed}",
        "name": name,
        "genres": rng.sample(["ambient", "techno", "jazz", "folk", "metal", "hip hop"], rng.randint(0, 3)),
        "followers": rng.choice([None, 0, 1, 999, 1_000_000, 12_345_678]),
    }
    return build_fact_sheet(
        artist,
        period_start=start,
        period_end=end,
        albums=albums,
        tracks=tracks,
        **_inputs(rng, [t["track_id"] for t in tracks], start, end),
    )


def _demo_inputs(artist_id: str, start: date, end: date) -> dict[str, Any]:
    """Every source for a demo artist: steady streams, a follower threshold crossed, audio, a playlist add."""
    rng = random.Random(artist_id)
    tracks = [t["id"] for t in load_catalog()["tracks"] if artist_id in t["artist_ids"]]
    streams, day = [], start - timedelta(days=60)
    while day <= end:
        streams += [{"day": day, "track_id": t, "streams": rng.randint(50, 400)} for t in tracks[:5]]
        streams.append({"day": day, "streams": 0, "listeners": 900 + (day - start).days * 3})
        day += timedelta(days=1)
    social = [
        {
            "platform": "instagram",
            "day": start - timedelta(days=1) + timedelta(days=i),
            "followers": 980 + 7 * i,
        }
        for i in range((end - start).days + 2)
    ]
    audio = [
        {"track_id": t, "tempo_bpm": 90 + 7 * i, "key": i, "mode": i % 2, "energy": 0.2 + 0.15 * i}
        for i, t in enumerate(tracks[:4])
    ]
    changes = [{"playlist": "Night Drive", "track_id": tracks[1], "change": "added", "day": start}]
    return {"streams": streams, "social": social, "audio_features": audio, "playlist_changes": changes}


def demo_sheets() -> list[FactSheet]:
    """Each demo artist over a week and a month, with every source."""
    return [
        catalog_fact_sheet(a, catalog=load_catalog(), period_start=s, period_end=e, **_demo_inputs(a, s, e))
        for a in demo_artist_ids()
        for s, e in (WEEK, MONTH)
    ]


def _skeleton(text: str) -> str:
    return re.sub(r"[^\w\s.,:;!?'’«»“”„-]", "", re.sub(r"#\w+", "", text)).strip()


def naive(sheet: FactSheet, language: str) -> str:
    """Baseline: one fixed template, formatted with Babel."""
    release = sheet.facts[1] if len(sheet.facts) > 1 else sheet.facts[0]
    when = format_date(getattr(release, "release_date", sheet.period_end), format="long", locale=language)
    count = format_decimal(sheet.artist.track_count, locale=language)
    return string.Template("$artist released $title on $when ($count tracks).").substitute(
        artist=sheet.artist.name, title=getattr(release, "title", ""), when=when, count=count
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--synthetic", type=int, default=24, help="number of synthetic fact sheets")
    parser.add_argument("--seeds", type=int, default=3, help="seeds per draft for the grounding rate")
    args = parser.parse_args()
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))
    sets = {"demo": demo_sheets(), "synthetic": [synthetic_sheet(s) for s in range(args.synthetic)]}
    results: dict[str, Any] = {"grounding": {}, "distinct_phrasings": {}, "timing": {}}
    elapsed, count = 0.0, 0
    for label, sheets in sets.items():
        ok = total = 0
        failures: list[str] = []
        for sheet in sheets:
            for seed in range(args.seeds):
                started = time.perf_counter()
                drafts = generate_drafts(sheet, seed=seed)
                elapsed += time.perf_counter() - started
                count += len(drafts)
                total += len(drafts)
                ok += sum(d.validation.ok for d in drafts)
                failures += [
                    f"{d.artist_id}/{d.kind}/{d.language}/{d.platform}: {d.validation.reason}"
                    for d in drafts
                    if not d.validation.ok
                ]
        rate = ok / total if total else 0.0
        results["grounding"][label] = {
            "drafts": total,
            "grounded": ok,
            "rate": rate,
            "failures": failures[:20],
        }
        print(
            f"grounding rate ({label}): {rate:.4f} of goal 1.0 (ratio {rate:.4f}); {ok}/{total} drafts, "
            f"{len(sheets)} fact sheets × {args.seeds} seeds"
        )
    weekly, monthly = sets["demo"][0], sets["demo"][1]
    worst = 1.0
    for kind in ContentKind:
        sheet = monthly if kind is ContentKind.monthly_recap else weekly
        for language in LANGUAGES:
            texts = {
                _skeleton(d.text)
                for seed in range(100)
                for d in generate_drafts(
                    sheet, kinds=[kind], languages=[language], platforms=[PLATFORMS[kind][0]], seed=seed
                )
            }
            ratio = len(texts) / 100
            worst = min(worst, ratio)
            results["distinct_phrasings"][f"{kind.value}/{language}"] = ratio
            print(
                f"distinct phrasings {kind.value}/{language}: {ratio:.2f} of 100 seeds (ratio vs 100 possible)"
            )
    results["distinct_phrasings"]["min"] = worst
    per_draft = elapsed / max(count, 1)
    started = time.perf_counter()
    runs = 0
    for sheet in sets["synthetic"] + sets["demo"]:
        for language in LANGUAGES:
            naive(sheet, language)
            runs += 1
    baseline = (time.perf_counter() - started) / runs
    results["timing"] = {
        "seconds_per_draft": per_draft,
        "baseline_seconds_per_text": baseline,
        "ratio": per_draft / baseline,
        "drafts": count,
    }
    print(
        f"time per draft (write + validate): {per_draft * 1000:.2f} ms; naive fixed template "
        f"{baseline * 1000:.3f} ms; ratio {per_draft / baseline:.1f}x"
    )
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
