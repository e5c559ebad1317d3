"""Reading audio files: probe the real format, stream float32 blocks, say clearly what went wrong.

libsndfile (through soundfile) recognises WAV, FLAC, Ogg Vorbis/Opus, MP3, AIFF and more by
their content, not their name, so a file with the wrong extension is read as what it is and
the mismatch is reported as a warning.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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

    Raises
    ------
    AudioDecodeError
        ``corrupt`` when decoding fails part-way (the message says where).
    """
    blocksize = max(1024, int(block_seconds * info.sample_rate))
    done = 0
    try:
        with sf.SoundFile(str(info.path)) as handle:
            while True:
                block = handle.read(blocksize, dtype="float32", always_2d=True)
                if block.shape[0] == 0:
                    return
                if not np.isfinite(block).all():
                    raise AudioDecodeError(
                        "corrupt", f"{info.path}: non-finite samples near {done / info.sample_rate:.1f} s"
                    )
                done += block.shape[0]
                yield block
    except (sf.LibsndfileError, RuntimeError) as exc:
        raise AudioDecodeError(
            "corrupt",
            f"{info.path}: decoding failed after {done / info.sample_rate:.1f} s ({exc}); "
            "the file is damaged or truncated, re-export it",
        ) from exc
