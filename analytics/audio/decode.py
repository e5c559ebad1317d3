"""Reading audio files: probe the real format, stream float32 blocks, say clearly what went wrong.

libsndfile (through soundfile) recognises WAV, FLAC, Ogg Vorbis/Opus, MP3, AIFF and more by
their content, not their name, so a file with the wrong extension is read as what it is and
the mismatch is reported as a warning.

Ogg Vorbis and Ogg Opus are then decoded by FFmpeg's own decoders (through PyAV) rather than
libvorbis and libopus: on the 64-minute benchmark album (48 kHz Ogg Vorbis) that took 3.0
CPU-seconds instead of 4.6, and on Opus about half the CPU. The samples agree with libvorbis's
to float32 rounding (3e-7) and the sample counts are the same. Everything else stays on
libsndfile, which reads WAV, FLAC and MP3 faster than FFmpeg does.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import av
import numpy as np
import soundfile as sf

BLOCK_SECONDS = 10.0
"""Native-rate audio decoded per block; bounds memory for files of any length."""

_EXTENSIONS = {
    "WAV": {".wav", ".wave"},
    "WAVEX": {".wav", ".wave"},
    "RF64": {".wav", ".rf64"},
    "FLAC": {".flac"},
    "OGG": {".ogg", ".oga", ".opus"},
    "MP3": {".mp3"},
    "AIFF": {".aif", ".aiff", ".aifc"},
}
_FFMPEG_SUBTYPES = {("OGG", "VORBIS"), ("OGG", "OPUS")}
"""(format, subtype) pairs as libsndfile names them that :func:`blocks` decodes with FFmpeg."""


class AudioDecodeError(Exception):
    """A file that cannot be analysed; ``reason`` is a short machine-readable code."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class AudioInfo:
    """What the file says about itself."""

    path: Path
    format: str
    subtype: str
    sample_rate: int
    channels: int
    frames: int
    warnings: tuple[str, ...] = ()


def probe(path: Path) -> AudioInfo:
    """Open ``path`` by content and describe it.

    Raises
    ------
    AudioDecodeError
        ``missing`` (no such file), ``empty`` (0 bytes), ``unreadable`` (not audio libsndfile
        knows, or a damaged header).
    """
    if not path.is_file():
        raise AudioDecodeError("missing", f"{path}: no such file")
    if path.stat().st_size == 0:
        raise AudioDecodeError("empty", f"{path}: the file is empty (0 bytes)")
    try:
        info = sf.info(str(path))
    except (sf.LibsndfileError, RuntimeError, TypeError, ValueError) as exc:
        raise AudioDecodeError(
            "unreadable",
            f"{path}: not a readable audio file ({exc}); re-export it as WAV, FLAC, Ogg or MP3",
        ) from exc
    warnings: list[str] = []
    expected = _EXTENSIONS.get(info.format)
    if expected and path.suffix.lower() not in expected:
        warnings.append(f"content is {info.format} but the name ends in {path.suffix or '(nothing)'}")
    if info.samplerate <= 0 or info.channels <= 0:
        raise AudioDecodeError("unreadable", f"{path}: header says {info.samplerate} Hz, {info.channels} ch")
    return AudioInfo(
        path=path,
        format=info.format,
        subtype=info.subtype,
        sample_rate=int(info.samplerate),
        channels=int(info.channels),
        frames=int(info.frames),
        warnings=tuple(warnings),
    )


def blocks(info: AudioInfo, *, block_seconds: float = BLOCK_SECONDS) -> Iterator[np.ndarray]:
    """Decode the file as float32 blocks shaped (samples, channels).

    Blocks from FFmpeg are transposed views of its planar output (each channel contiguous),
    those from libsndfile are interleaved: index them by axis, not by memory layout.

    Raises
    ------
    AudioDecodeError
        ``corrupt`` when decoding fails part-way (the message says where).
    """
    blocksize = max(1024, int(block_seconds * info.sample_rate))
    use_ffmpeg = (info.format, info.subtype) in _FFMPEG_SUBTYPES
    read = _ffmpeg_blocks if use_ffmpeg else _sndfile_blocks
    done = 0
    try:
        for block in read(info, blocksize=blocksize):
            if not np.isfinite(block.ravel(order="K")).all():  # in memory order: a view, either layout
                raise AudioDecodeError(
                    "corrupt", f"{info.path}: non-finite samples near {done / info.sample_rate:.1f} s"
                )
            done += block.shape[0]
            yield block
    except (sf.LibsndfileError, RuntimeError, av.FFmpegError, ValueError) as exc:
        # ValueError: PyAV's queue refuses a frame whose layout or rate changed mid-stream
        raise AudioDecodeError(
            "corrupt",
            f"{info.path}: decoding failed after {done / info.sample_rate:.1f} s ({exc}); "
            "the file is damaged or truncated, re-export it",
        ) from exc


def _sndfile_blocks(info: AudioInfo, *, blocksize: int) -> Iterator[np.ndarray]:
    with sf.SoundFile(str(info.path)) as handle:
        while True:
            block = handle.read(blocksize, dtype="float32", always_2d=True)
            if block.shape[0] == 0:
                return
            yield block


def _ffmpeg_blocks(info: AudioInfo, *, blocksize: int) -> Iterator[np.ndarray]:
    """FFmpeg's frames gathered into ``blocksize`` blocks in its own queue: one array per block
    instead of one per frame (Vorbis frames hold a few hundred samples each)."""
    with av.open(str(info.path)) as container:
        stream = container.streams.audio[0]
        stream.codec_context.thread_count = 1  # the analysis runs one file per core
        queue = av.AudioFifo()
        for frame in container.decode(stream):
            # The queue checks that timestamps follow on, and FFmpeg's Ogg ones can jump even in an
            # intact file; the samples are what count.
            frame.pts = None
            queue.write(frame)
            if queue.samples >= blocksize and (full := queue.read(blocksize)) is not None:
                yield _frame_block(full, info)
        if (rest := queue.read()) is not None:
            yield _frame_block(rest, info)


def _frame_block(frame: av.AudioFrame, info: AudioInfo) -> np.ndarray:
    """(samples, channels) float32 view of a decoded frame; FFmpeg's Vorbis and Opus decoders give
    planar float."""
    samples = frame.to_ndarray()
    if frame.format.name != "fltp" or samples.shape[0] != info.channels:
        raise AudioDecodeError(
            "unreadable",
            f"{info.path}: FFmpeg decodes it as {frame.format.name} with {samples.shape[0]} channels, "
            f"not {info.channels} channels of float; re-export it as WAV or FLAC",
        )
    return samples.T
