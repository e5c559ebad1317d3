"""Loudness as ITU-R BS.1770-4 and EBU Tech 3342 define it, measured block by block.

pyloudnorm's K-weighting filters (its :class:`~pyloudnorm.iirfilter.IIRfilter`) are applied as
one second-order-section cascade whose state carries from block to block, so a file of any
length is measured in bounded memory; the gating then runs on 100-ms mean squares (four make
one 400-ms gating block with 75 % overlap, thirty a 3-s short-term window). The result equals
``pyloudnorm.Meter(rate).integrated_loudness`` on the whole signal (tested).

The filter runs in a compiled kernel (:func:`k_weighted_energies`) that applies both biquads
and sums the squares of each 100-ms sub-block in one pass over the samples, in float64: the
same arithmetic as ``scipy.signal.sosfilt`` (tested to 1e-9), without the filtered block and
its squares as intermediate arrays.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

import numpy as np
import scipy.signal
from pyloudnorm.iirfilter import IIRfilter

from analytics.jit import configure_numba_cache

configure_numba_cache()  # before numba is imported, so the kernels below are cached there

from numba import njit  # noqa: E402

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


@njit(cache=True)
def k_weighted_energies(
    block: np.ndarray, sos: np.ndarray, state: np.ndarray, partial: np.ndarray, filled: int, width: int
) -> np.ndarray:
    """K-weight ``block`` and sum the squares of every ``width`` samples, per channel.

    Parameters
    ----------
    block : float32, shape (samples, channels).
    sos : float64, shape (2, 6): the two biquads as ``scipy.signal`` second-order sections.
    state : float64, shape (2, 2, channels): each section's two delays (``sosfilt``'s ``zi``);
        updated in place.
    partial : float64, shape (channels,): the sum of squares of the unfinished sub-block;
        updated in place.
    filled : samples already in the unfinished sub-block.
    width : samples per sub-block.

    Returns
    -------
    float64, shape ((filled + samples) // width, channels): the sums of the sub-blocks completed.
    """
    samples, channels = block.shape
    energies = np.zeros(((filled + samples) // width, channels))
    b00, b01, b02, a01, a02 = sos[0, 0], sos[0, 1], sos[0, 2], sos[0, 4], sos[0, 5]
    b10, b11, b12, a11, a12 = sos[1, 0], sos[1, 1], sos[1, 2], sos[1, 4], sos[1, 5]
    # Each sample waits for the previous one's result, so one channel keeps the core mostly idle:
    # two channels go through the loop side by side (an odd last one with itself: same result).
    for c in range(0, channels, 2):
        d = min(c + 1, channels - 1)
        p00, p01, p10, p11 = state[0, 0, c], state[0, 1, c], state[1, 0, c], state[1, 1, c]
        q00, q01, q10, q11 = state[0, 0, d], state[0, 1, d], state[1, 0, d], state[1, 1, d]
        total_c, total_d, count, row = partial[c], partial[d], filled, 0
        for i in range(samples):
            # transposed direct form II, operation for operation as sosfilt computes it
            x = np.float64(block[i, c])
            y = b00 * x + p00
            p00 = b01 * x - a01 * y + p01
            p01 = b02 * x - a02 * y
            w = b10 * y + p10
            p10 = b11 * y - a11 * w + p11
            p11 = b12 * y - a12 * w
            total_c += w * w
            x = np.float64(block[i, d])
            y = b00 * x + q00
            q00 = b01 * x - a01 * y + q01
            q01 = b02 * x - a02 * y
            w = b10 * y + q10
            q10 = b11 * y - a11 * w + q11
            q11 = b12 * y - a12 * w
            total_d += w * w
            count += 1
            if count == width:
                energies[row, c], energies[row, d] = total_c, total_d
                total_c, total_d, count, row = 0.0, 0.0, 0, row + 1
        state[0, 0, c], state[0, 1, c], state[1, 0, c], state[1, 1, c] = p00, p01, p10, p11
        state[0, 0, d], state[0, 1, d], state[1, 0, d], state[1, 1, d] = q00, q01, q10, q11
        partial[c], partial[d] = total_c, total_d
    return energies


def segment_peaks(block: np.ndarray, width: int) -> np.ndarray:
    """Largest absolute sample over all channels of each ``width`` samples of ``block`` (the last
    segment may be shorter), reduced in memory order: numpy's max and min read contiguous rows."""
    whole = block.shape[0] // width * width
    if block.flags.f_contiguous:  # planar: (channels, segments, width) is a view
        lanes = block.T[:, :whole].reshape(block.shape[1], -1, width)
        peaks = np.maximum(lanes.max(axis=2).max(axis=0), -lanes.min(axis=2).min(axis=0))
    else:  # interleaved: a segment's samples of every channel are one row
        flat = block[:whole].reshape(-1, width * block.shape[1])
        peaks = np.maximum(flat.max(axis=1), -flat.min(axis=1))
    rest = block[whole:]
    if rest.size:
        peaks = np.append(peaks, max(float(rest.max()), -float(rest.min())))
    return peaks


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
    _partial: np.ndarray = field(init=False, repr=False)
    _filled: int = 0
    _energies: list[np.ndarray] = field(default_factory=list, repr=False)
    sample_peak: float = 0.0
    true_peak: float = 0.0

    def __post_init__(self) -> None:
        self._sos = np.ascontiguousarray(_k_weighting_sos(self.rate))
        self._zi = np.zeros((self._sos.shape[0], 2, self.channels))  # sosfilt's zi for axis 0
        self._sub = max(1, round(0.1 * self.rate))
        self._partial = np.zeros(self.channels)

    def add(self, block: np.ndarray) -> None:
        """Measure the next ``block`` (float32, shape (samples, channels), either memory order)."""
        if block.size == 0:
            return
        if block.dtype != np.float32 or not (block.flags.c_contiguous or block.flags.f_contiguous):
            block = np.ascontiguousarray(block, dtype=np.float32)  # the kernels are warmed for these
        self._update_peaks(block)
        energies = k_weighted_energies(block, self._sos, self._zi, self._partial, self._filled, self._sub)
        self._filled = (self._filled + block.shape[0]) % self._sub
        if energies.shape[0]:
            self._energies.append(energies)

    def _update_peaks(self, block: np.ndarray) -> None:
        seg = self._sub
        seg_peaks = segment_peaks(block, seg)  # per 100-ms segment of the block, over all channels
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
