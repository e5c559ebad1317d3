"""Fixtures: random candidates, a sandbox per quota mode and a fast client on it."""

from __future__ import annotations

import random
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from analytics import sync
from analytics.config import Settings
from analytics.curation import Candidate
from analytics.curation.candidates import KEYS
from analytics.sandbox.spotify import SandboxOptions, SpotifySandbox, SyntheticCatalogSpec
from analytics.spotify import RetryPolicy, SpotifyClient

FAST = RetryPolicy(
    max_attempts=3, base_delay_s=0.01, max_delay_s=0.02, jitter=0.5, max_retry_wait_s=5.0, timeout_s=5.0
)
BIG = SyntheticCatalogSpec(artists=3, albums=30, tracks=320, users=1, playlists=1, seed=3)


def random_candidates(
    rng: random.Random, n: int, *, albums: int = 8, features: float = 0.8, dup_isrc: float = 0.1
) -> list[Candidate]:
    """``n`` candidates over ``albums`` albums; some share an ISRC; some lack audio features."""
    out: list[Candidate] = []
    for i in range(n):
        has = rng.random() < features
        isrc = out[rng.randrange(len(out))].isrc if out and rng.random() < dup_isrc else f"ZZRND{i:07d}"
        out.append(
            Candidate(
                track_id=f"t{i:04d}",
                name=f"Track {i}",
                album_id=f"a{rng.randrange(albums)}",
                album_name="",
                artist_ids=(f"r{rng.randrange(3)}",),
                release_date=f"{rng.randint(2000, 2026)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
                duration_ms=rng.randint(120_000, 300_000),
                explicit=rng.random() < 0.2,
                isrc=isrc,
                streams_28d=float(rng.randint(0, 10_000)) if rng.random() < 0.9 else None,
                streams_delta_28d=float(rng.randint(-500, 500)),
                saves_28d=float(rng.randint(0, 300)),
                tempo_bpm=rng.uniform(70, 170) if has else None,
                key=rng.choice(KEYS) if has else None,
                mode=rng.choice(["major", "minor"]) if has else None,
                energy=rng.random() if has else None,
                loudness_lufs=rng.uniform(-18, -6) if has else None,
                audio_hash=f"sha256:{i:064x}" if has else None,
                timbre=tuple(rng.uniform(-30, 30) for _ in range(24)) if has else None,
                chroma=tuple(rng.random() for _ in range(12)) if has else None,
            )
        )
    return out


def sandbox_candidates(sb: SpotifySandbox) -> list[Candidate]:
    """The sandbox catalog's tracks as candidates (no metrics, no audio features)."""
    state = sb.state
    return [
        Candidate(
            track_id=t.id,
            name=t.name,
            album_id=t.album_id,
            album_name=state.albums[t.album_id].name,
            artist_ids=tuple(t.artist_ids),
            release_date=state.albums[t.album_id].release_date,
            duration_ms=t.duration_ms,
            explicit=t.explicit,
            isrc=t.isrc,
        )
        for t in state.tracks.values()
    ]


@pytest.fixture(params=["development", "extended"])
def demo_sb(request: pytest.FixtureRequest) -> Iterator[SpotifySandbox]:
    """The demo catalog in each quota mode, fresh for each test."""
    with SpotifySandbox(SandboxOptions(quota_mode=request.param, seed=0)).running() as sb:
        yield sb


@pytest.fixture(params=["development", "extended"])
def big_sb(request: pytest.FixtureRequest) -> Iterator[SpotifySandbox]:
    """A synthetic catalog of 320 tracks in each quota mode."""
    with SpotifySandbox(SandboxOptions(quota_mode=request.param, synthetic=BIG, seed=0)).running() as sb:
        yield sb


@contextmanager
def client_on(settings: Settings, sb: SpotifySandbox) -> Iterator[SpotifyClient]:
    local = settings.model_copy(update={"quota_mode": sb.runtime.quota_mode})
    with sync.sandbox_client(local, sb, policy=FAST, seed=0, persist_etags=False) as client:
        yield client
