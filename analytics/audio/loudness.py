"""Loudness as ITU-R BS.1770-4 and EBU Tech 3342 define it, measured block by block.

pyloudnorm's K-weighting filters (its :class:`~pyloudnorm.iirfilter.IIRfilter`) are applied as
one second-order-section cascade whose state carries from block to block, so a file of any
length is measured in bounded memory; the gating then runs on 100-ms mean squares (four make
one 400-ms gating block with 75 % overlap, thirty a 3-s short-term window). The result equals
``pyloudnorm.Meter(rate).integrated_loudness`` on the whole signal (tested).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import scipy.signal
from pyloudnorm.iirfilter import IIRfilter

ABSOLUTE_GATE_LUFS = -70.0
SURROUND_GAIN = 1.41
TRUE_PEAK_OVERSAMPLING = 4
TRUE_PEAK_SEGMENTS_PER_BLOCK = 4


def _k_weighting_sos(rate: float) -> np.ndarray:
    shelf = IIRfilter(4.0, 1 / np.sqrt(2), 1500.0, rate, "high_shelf")
    high_pass = IIRfilter(0.0, 0.5, 38.0, rate, "high_pass")
    return np.vstack([scipy.signal.tf2sos(f.b, f.a) for f in (shelf, high_pass)])


@cache
def _oversampling_filter() -> np.ndarray:
    """Low-pass interpolation filter for 4x oversampling (as ``scipy.signal.resample_poly`` designs it)."""
    taps = 2 * 10 * TRUE_PEAK_OVERSAMPLING + 1
    return (
        scipy.signal.firwin(taps, 1.0 / TRUE_PEAK_OVERSAMPLING, window=("kaiser", 5.0))
        * TRUE_PEAK_OVERSAMPLING
    )


def channel_gains(channels: int) -> np.ndarray:
    """BS.1770 channel weights: 1.0, surround channels (5th and 6th of 5+ channels) 1.41."""
    gains = np.ones(channels)
    if channels >= 5:
        gains[3:5] = SURROUND_GAIN
    return gains


@dataclass
class LoudnessMeter:
    """Streaming K-weighted loudness and peak meter for one file.

    Feed native-rate blocks shaped (samples, channels) with :meth:`add`; read the results with
    :meth:`integrated`, :meth:`loudness_range`, :attr:`sample_peak` and :attr:`true_peak`.
    """

    rate: float
    channels: int
    _sos: np.ndarray = field(init=False, repr=False)
    _zi: np.ndarray = field(init=False, repr=False)
    _sub: int = field(init=False)
    _pending: np.ndarray = field(init=False, repr=False)
    _energies: list[np.ndarray] = field(default_factory=list, repr=False)
    sample_peak: float = 0.0
    true_peak: float = 0.0

    def __post_init__(self) -> None:
        self._sos = _k_weighting_sos(self.rate).astype(np.float32)
        zi = scipy.signal.sosfilt_zi(self._sos)  # (sections, 2)
        self._zi = np.zeros((zi.shape[0], 2, self.channels), dtype=np.float32)
        self._sub = max(1, round(0.1 * self.rate))
        self._pending = np.zeros((0, self.channels), dtype=np.float32)

    def add(self, block: np.ndarray) -> None:
        """Measure the next ``block`` (float32, shape (samples, channels))."""
        if block.size == 0:
            return
        self._update_peaks(block)
        filtered, self._zi = scipy.signal.sosfilt(self._sos, block, axis=0, zi=self._zi)
        squares = np.square(filtered, dtype=np.float32)
        if self._pending.shape[0]:
            squares = np.concatenate([self._pending, squares])
        n_full = squares.shape[0] // self._sub
        if n_full:
            body = squares[: n_full * self._sub].reshape(n_full, self._sub, self.channels)
            self._energies.append(body.sum(axis=1, dtype=np.float64))
        self._pending = squares[n_full * self._sub :]

    def _update_peaks(self, block: np.ndarray) -> None:
        seg = self._sub
        n_seg = block.shape[0] // seg
        if n_seg:  # per 100-ms segment, over all channels; the inner axis is contiguous, so this is fast
            flat = block[: n_seg * seg].reshape(n_seg, seg * self.channels)
            seg_peaks = np.maximum(flat.max(axis=1), -flat.min(axis=1))
        else:
            seg_peaks = np.zeros(0, dtype=np.float32)
        rest = block[n_seg * seg :]
        if rest.size:
            seg_peaks = np.append(seg_peaks, max(float(rest.max()), -float(rest.min())))
            n_seg += 1
        peak = float(seg_peaks.max())
        self.sample_peak = max(self.sample_peak, peak)
        if peak <= 0.0 or peak < self.true_peak / 2.0:  # cannot beat the known true peak (>6 dB below)
            return
        pad = 16
        for index in np.argsort(seg_peaks)[-TRUE_PEAK_SEGMENTS_PER_BLOCK:]:
            start, stop = max(0, index * seg - pad), min(block.shape[0], (index + 1) * seg + pad)
            up = scipy.signal.upfirdn(
                _oversampling_filter(), block[start:stop], TRUE_PEAK_OVERSAMPLING, axis=0
            )
            self.true_peak = max(self.true_peak, float(np.abs(up).max()), float(seg_peaks[index]))

    def _block_powers(self, width: int, step: int) -> np.ndarray:
        """Channel-weighted mean square of every window of ``width`` sub-blocks, ``step`` apart."""
        if not self._energies:
            return np.zeros(0)
        energies = np.concatenate(self._energies)  # (n_sub, channels)
        weighted = energies @ channel_gains(self.channels)
        if weighted.shape[0] < width:
            return np.zeros(0)
        csum = np.concatenate([[0.0], np.cumsum(weighted)])
        starts = np.arange(0, weighted.shape[0] - width + 1, step)
        return (csum[starts + width] - csum[starts]) / (width * self._sub)

    def integrated(self) -> float:
        """Integrated loudness in LUFS; ``-inf`` when no 400-ms block passes the -70 LUFS gate."""
        power = self._block_powers(4, 1)
        with np.errstate(divide="ignore"):
            loud = -0.691 + 10 * np.log10(power)
        gated = power[loud >= ABSOLUTE_GATE_LUFS]
        if gated.size == 0:
            return float("-inf")
        relative = -0.691 + 10 * np.log10(gated.mean()) - 10.0
        final = power[(loud > relative) & (loud > ABSOLUTE_GATE_LUFS)]
        if final.size == 0:
            return float("-inf")
        return float(-0.691 + 10 * np.log10(final.mean()))

    def loudness_range(self) -> float:
        """Loudness range in LU (EBU Tech 3342); NaN for material shorter than 3 s or silent."""
        power = self._block_powers(30, 1)
        with np.errstate(divide="ignore"):
            short_term = -0.691 + 10 * np.log10(power)
        short_term = short_term[short_term >= ABSOLUTE_GATE_LUFS]
        if short_term.size == 0:
            return float("nan")
        integrated = 10 * np.log10(np.mean(10 ** (short_term / 10)))
        kept = short_term[short_term >= integrated - 20.0]
        return float(np.percentile(kept, 95) - np.percentile(kept, 10))


def to_db(value: float) -> float:
    """Amplitude to dB (``-inf`` for 0)."""
    return float(20 * np.log10(value)) if value > 0 else float("-inf")
