"""One pass over a file: decode in blocks, resample once, one STFT, every frame-level quantity.

:class:`FrameAnalyzer` takes native-rate blocks and keeps, per STFT frame, only the quantities
the track features are derived from: the 128-band mel spectrum in dB (float16), RMS, zero
crossings, four spectral moments and 12 chroma bins. Memory is therefore bounded by the block
size plus ~330 bytes per 23 ms of audio (≈ 50 MB for an hour), whatever the file length. The
frame grid equals ``librosa.stft(y, center=True)`` on the whole resampled signal, so results
do not depend on the block size.

The mel spectrum is kept to the end because librosa's dB scale (``power_to_db(top_db=80)``, used
by ``onset_strength`` and ``mfcc``) floors every value at 80 dB below the loudest one of the
whole file, which is known only then. With that floor the onset envelope and the MFCCs are
librosa's own (up to float16 rounding of the dB values, < 0.03 dB).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import scipy.fft
import scipy.sparse
import soxr
from numba import njit

from analytics.audio._librosa import librosa  # sets numba's cache folder before the kernel below
from analytics.audio.features import ANALYSIS_SR, HOP, N_FFT, N_MELS, N_MFCC
from analytics.audio.loudness import LoudnessMeter

CHUNK_FRAMES = 512
"""STFT frames computed per batch (≈ 12 s of audio): large enough to amortise, small enough to bound memory."""
AMIN = 1e-10
TOP_DB = 80.0
"""librosa's ``power_to_db`` floor: dB values below the file's maximum minus this are raised to it."""


@dataclass(frozen=True)
class _Banks:
    window: np.ndarray
    mel: scipy.sparse.csr_matrix
    dct_t: np.ndarray
    chroma_t: np.ndarray
    freqs: np.ndarray


@cache
def _banks() -> _Banks:
    mel = librosa.filters.mel(sr=ANALYSIS_SR, n_fft=N_FFT, n_mels=N_MELS).astype(np.float32)
    chroma = librosa.filters.chroma(sr=ANALYSIS_SR, n_fft=N_FFT, tuning=0.0).astype(np.float32)
    dct = scipy.fft.dct(np.eye(N_MELS), type=2, norm="ortho", axis=0)[:N_MFCC].astype(np.float32)
    freqs = librosa.fft_frequencies(sr=ANALYSIS_SR, n_fft=N_FFT).astype(np.float32)
    window = librosa.filters.get_window("hann", N_FFT, fftbins=True).astype(np.float32)
    return _Banks(window, scipy.sparse.csr_matrix(mel), dct.T.copy(), chroma.T.copy(), freqs)


@dataclass
class FrameData:
    """Frame-level results of one file (frame rate ``ANALYSIS_SR / HOP``)."""

    onset: np.ndarray  # (n,) librosa's onset_strength: mean positive flux of the floored mel dB
    onset_median: np.ndarray  # (n,) the same with the median over bands (what beat_track uses)
    rms: np.ndarray  # (n,) time-domain RMS of the mono mix in each 2048-sample frame
    zcr: np.ndarray  # (n,) share of sign changes in the frame
    spectral: np.ndarray  # (n, 4) centroid Hz, bandwidth Hz, rolloff Hz, flatness
    mfcc: np.ndarray  # (n, N_MFCC)
    chroma: np.ndarray  # (n, 12) chroma energy (not normalised)
    duration_s: float
    source_rate: int
    channels: int
    loudness: LoudnessMeter


@dataclass
class FrameAnalyzer:
    """Streaming analyser; call :meth:`add` for each native block, then :meth:`finish`."""

    source_rate: int
    channels: int
    _meter: LoudnessMeter = field(init=False, repr=False)
    _resampler: soxr.ResampleStream | None = field(init=False, repr=False)
    _buf: np.ndarray = field(init=False, repr=False)
    _parts: list[tuple[np.ndarray, ...]] = field(default_factory=list, repr=False)
    _samples: int = 0
    _resampled: int = 0

    def __post_init__(self) -> None:
        self._meter = LoudnessMeter(float(self.source_rate), self.channels)
        self._resampler = (
            None
            if self.source_rate == ANALYSIS_SR
            else soxr.ResampleStream(self.source_rate, ANALYSIS_SR, 1, dtype="float32", quality="HQ")
        )
        self._buf = np.zeros(N_FFT // 2, dtype=np.float32)  # center=True: half a window of zeros first

    def add(self, block: np.ndarray) -> None:
        """Analyse the next native-rate block, shape (samples, channels), float32."""
        self._samples += block.shape[0]
        self._meter.add(block)
        mono = _mixdown(block)
        if self._resampler is not None:
            mono = self._resampler.resample_chunk(mono, last=False)
        self._push(mono, last=False)

    def finish(self) -> FrameData:
        """Flush the resampler and the last frames; return the frame-level data."""
        tail = np.zeros(0, dtype=np.float32)
        if self._resampler is not None:
            tail = self._resampler.resample_chunk(tail, last=True)
        expected = int(np.ceil(self._samples * ANALYSIS_SR / self.source_rate))
        self._push(tail, last=True, expected=expected)
        parts = list(zip(*self._parts, strict=True)) if self._parts else [[]] * 5
        width = {0: N_MELS, 1: 1, 2: 1, 3: 4, 4: 12}

        def cat(i: int) -> np.ndarray:
            if not parts[i]:
                return np.zeros((0, width[i]) if width[i] > 1 else 0, dtype=np.float32)
            return np.concatenate(parts[i])

        flux, flux_median, mfcc = _flux_and_mfcc(parts[0])
        # librosa's onset_strength(center=True) places the flux of frames (t-3, t-2) at frame t.
        onset = np.concatenate([np.zeros(2, np.float32), flux])[: flux.shape[0]]
        onset_median = np.concatenate([np.zeros(2, np.float32), flux_median])[: flux.shape[0]]
        return FrameData(
            onset=onset,
            onset_median=onset_median,
            rms=cat(1),
            zcr=cat(2),
            spectral=cat(3),
            mfcc=mfcc,
            chroma=cat(4),
            duration_s=self._samples / self.source_rate,
            source_rate=self.source_rate,
            channels=self.channels,
            loudness=self._meter,
        )

    def _push(self, y: np.ndarray, *, last: bool, expected: int | None = None) -> None:
        if last and expected is not None:
            # soxr's total output can differ from ceil(n * ratio) by a sample; librosa.resample trims/pads.
            have = self._resampled + y.shape[0]
            y = y[: max(0, y.shape[0] - (have - expected))] if have > expected else y
            y = np.concatenate([y, np.zeros(max(0, expected - have), dtype=np.float32)])
        self._resampled += y.shape[0]
        self._buf = np.concatenate([self._buf, y.astype(np.float32, copy=False)])
        if last:
            n_frames = 1 + (self._resampled // HOP) if self._resampled else 0
            done = self._frames_done()
            need = (n_frames - done - 1) * HOP + N_FFT
            self._buf = np.concatenate([self._buf, np.zeros(max(0, need - self._buf.shape[0]), np.float32)])
            self._compute(n_frames - done)
            return
        while self._buf.shape[0] >= (CHUNK_FRAMES - 1) * HOP + N_FFT:
            self._compute(CHUNK_FRAMES)

    def _frames_done(self) -> int:
        return sum(p[0].shape[0] for p in self._parts)

    def _compute(self, n: int) -> None:
        if n <= 0:
            return
        b = _banks()
        y = self._buf[: (n - 1) * HOP + N_FFT]
        framed = librosa.util.frame(y, frame_length=N_FFT, hop_length=HOP).T  # (n, N_FFT) view
        spectrum = scipy.fft.rfft(framed * b.window, axis=1)  # (n, bins), complex64
        power = np.empty(spectrum.shape, dtype=np.float32)
        shape = spectral_shape(spectrum, b.freqs, power)
        mel_db = 10.0 * np.log10(np.maximum((b.mel @ power.T).T, AMIN))  # (n, N_MELS)
        # flatness: geometric over arithmetic mean of the floored power (numpy's log is vectorised)
        log_mean = np.log(np.maximum(power, np.float32(AMIN))).mean(axis=1)
        spectral = np.column_stack([shape[:, :3], np.exp(log_mean) / shape[:, 3]])

        # N_FFT = 4 * HOP: a frame's energy and crossings are sums over four hop-long pieces.
        pieces = y[: (n + 3) * HOP].reshape(n + 3, HOP)
        energy = np.square(pieces, dtype=np.float32).sum(axis=1, dtype=np.float64)
        signs = np.signbit(y)
        flips = np.append(signs[1:] != signs[:-1], False)  # flips[i]: samples i and i + 1 differ
        piece_flips = flips.reshape(n + 3, HOP).sum(axis=1)
        frame_energy = energy[:n] + energy[1 : n + 1] + energy[2 : n + 2] + energy[3 : n + 3]
        frame_flips = (
            piece_flips[:n] + piece_flips[1 : n + 1] + piece_flips[2 : n + 2] + piece_flips[3 : n + 3]
        )
        frame_flips = frame_flips - flips[np.arange(n) * HOP + N_FFT - 1]  # that pair leaves the frame

        self._parts.append(
            (
                mel_db.astype(np.float16),
                np.sqrt(frame_energy / N_FFT).astype(np.float32),
                (frame_flips / N_FFT).astype(np.float32),
                spectral.astype(np.float32),
                (power @ b.chroma_t).astype(np.float32),
            )
        )
        self._buf = self._buf[n * HOP :]


def _flux_and_mfcc(
    mel_parts: tuple[np.ndarray, ...] | list[np.ndarray],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Spectral flux (mean and median over bands of the positive frame-to-frame rise) and MFCCs of
    the mel dB parts, floored at the file's maximum minus :data:`TOP_DB` as ``power_to_db`` does."""
    if not mel_parts:
        return np.zeros(0, np.float32), np.zeros(0, np.float32), np.zeros((0, N_MFCC), np.float32)
    floor = np.float32(max(float(part.max()) for part in mel_parts) - TOP_DB)
    dct_t = _banks().dct_t
    means, medians, mfccs, prev = [], [], [], None
    for part in mel_parts:
        mel = np.maximum(part.astype(np.float32), floor)
        rise = np.maximum(0.0, np.diff(mel, axis=0, prepend=mel[:1] if prev is None else prev))
        means.append(rise.mean(axis=1, dtype=np.float32))
        medians.append(np.median(rise, axis=1).astype(np.float32))
        mfccs.append((mel @ dct_t).astype(np.float32))
        prev = mel[-1:]
    return np.concatenate(means), np.concatenate(medians), np.concatenate(mfccs)


def _mixdown(block: np.ndarray) -> np.ndarray:
    """Mean of the channels (column by column: numpy reduces a 2-wide inner axis slowly)."""
    mono = block[:, 0].copy()
    for channel in range(1, block.shape[1]):
        mono += block[:, channel]
    if block.shape[1] > 1:
        mono *= np.float32(1.0 / block.shape[1])
    return mono


@njit(cache=True, fastmath={"reassoc"})
def spectral_shape(spectrum: np.ndarray, freqs: np.ndarray, power: np.ndarray) -> np.ndarray:
    """Power spectrum and spectral shape of a batch of STFT frames, in one pass over each frame.

    Parameters
    ----------
    spectrum : complex64, shape (frames, bins).
    freqs : float32, shape (bins,): each bin's frequency in Hz.
    power : float32, shape (frames, bins): receives ``|spectrum| ** 2``.

    Returns
    -------
    float64, shape (frames, 4): per frame the magnitude-weighted centroid and bandwidth in Hz
    (librosa's definitions), the roll-off (first bin where the cumulative magnitude reaches
    85 % of the total) in Hz, and the mean power floored at :data:`AMIN` in float32 (flatness'
    denominator, floored as its numerator is: a silent frame's flatness is 1).

    Notes
    -----
    The sums are in float64; ``reassoc`` lets them run vectorised in any order, which moves
    results by float rounding only.
    """
    frames, bins = spectrum.shape
    shape = np.empty((frames, 4))
    for t in range(frames):
        s0, s1, s2, floored = 0.0, 0.0, 0.0, 0.0
        for k in range(bins):
            z = spectrum[t, k]
            p = z.real * z.real + z.imag * z.imag
            power[t, k] = p
            magnitude, f = np.float64(np.sqrt(p)), np.float64(freqs[k])
            s0 += magnitude
            s1 += magnitude * f
            s2 += magnitude * f * f
            floored += np.float64(max(p, np.float32(AMIN)))  # as the numerator floors it
        total = s0 + AMIN
        centroid = s1 / total
        shape[t, 0] = centroid
        shape[t, 1] = np.sqrt(max(s2 / total - centroid * centroid, 0.0))
        target, cumulative, k = 0.85 * s0, 0.0, 0
        while k < bins - 1:  # music's roll-off is in the lowest bins: a short scan
            cumulative += np.float64(np.sqrt(power[t, k]))
            if cumulative >= target:
                break
            k += 1
        shape[t, 2] = freqs[k]
        shape[t, 3] = floored / bins
    return shape
