"""Decoding: FFmpeg (Ogg Vorbis and Opus) and libsndfile (the rest) give the same samples and blocks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import soundfile as sf

from analytics.audio import decode, loudness
from analytics.audio.analyze import analyze_file
from analytics.demo import audio_files

from .conftest import pink_noise


def _decoded(path: Path, *, block_seconds: float = decode.BLOCK_SECONDS) -> list[np.ndarray]:
    return list(decode.blocks(decode.probe(path), block_seconds=block_seconds))


def test_ogg_vorbis_decodes_as_libsndfile_does() -> None:
    path = audio_files()[0]
    reference, rate = sf.read(path, dtype="float32", always_2d=True)
    parts = _decoded(path, block_seconds=3.0)
    assert all(p.dtype == np.float32 and p.shape[1] == reference.shape[1] for p in parts)
    assert [len(p) for p in parts[:-1]] == [3 * rate] * (len(parts) - 1)  # full blocks but the last
    ours = np.concatenate(parts)
    assert ours.shape == reference.shape
    np.testing.assert_allclose(ours, reference, rtol=0, atol=2e-6)  # libvorbis and FFmpeg round apart


@pytest.mark.parametrize(
    ("name", "subtype", "tolerance"), [("x.opus", "OPUS", 2e-6), ("x.flac", "PCM_24", 0.0)]
)
def test_opus_and_flac_decode_as_libsndfile_does(
    tmp_path: Path, name: str, subtype: str, tolerance: float
) -> None:
    path = tmp_path / name
    sf.write(path, pink_noise(5.3), 48000, format="OGG" if subtype == "OPUS" else "FLAC", subtype=subtype)
    reference, _ = sf.read(path, dtype="float32", always_2d=True)
    ours = np.concatenate(_decoded(path))
    assert ours.shape == reference.shape
    np.testing.assert_allclose(ours, reference, rtol=0, atol=tolerance)


def test_non_finite_samples_are_corrupt(tmp_path: Path) -> None:
    y = pink_noise(3)
    y[48000, 1] = np.nan
    path = tmp_path / "nan.wav"
    sf.write(path, y, 48000, subtype="FLOAT")
    with pytest.raises(decode.AudioDecodeError, match=r"non-finite samples near 0\.0 s") as caught:
        _decoded(path)
    assert caught.value.reason == "corrupt"


def test_analysis_needs_only_the_kernel_layouts_the_warm_up_compiles(tmp_path: Path) -> None:
    """warm_up compiles the K-weighting kernel for C- and F-ordered float32 blocks; a worker that
    met another layout would compile into the shared JIT cache."""
    wav = tmp_path / "x.wav"
    sf.write(wav, pink_noise(3), 48000)
    for path in (audio_files()[0], wav):
        assert analyze_file(path).status == "ok"
    blocks = {signature[0] for signature in loudness.k_weighted_energies.signatures}
    assert {(b.dtype.name, b.layout) for b in blocks} <= {("float32", "C"), ("float32", "F")}
