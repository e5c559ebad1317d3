"""Tempo, beats and pulse measures from the onset envelope.

librosa's estimate (``beat_track`` / ``feature.tempo``) takes the peak of the onset envelope's
autocorrelation tempogram weighted by a log-normal prior at 120 BPM. The tempogram of a real
mix is high at every multiple of the eighth-note pulse, so the prior decides, and on fast rock
the result is often half (or two thirds of) the tempo. encore's estimate instead:

1. removes the envelope's 1-s moving average before the autocorrelation, so the tempogram
   measures periodicity, not level (and smooths it by one frame, so a period that falls
   between two lags is not penalised);
2. adds metrical support from the onset pattern: a beat period L scores its own periodicity
   plus the periodicity at 2L (kick/snare patterns repeat every two beats; an eighth-note
   hi-hat does not make the half-beat a beat);
3. keeps a log-normal prior at 140 BPM (one octave wide) to break near-ties;
4. compares metrical families, not single lags (feature set 1.3): the best peaks of that score
   and the best one's 2/3, 3/4, 4/3 and 3/2 are weighed by how well a pulse train at their tempo
   (moved by octaves into 55-110 BPM, so that every octave counts alike, and one octave lower,
   27.5-55 BPM, since feature set 1.4) lines up with the onsets. A syncopated figure (3+3+2
   sixteenths) makes the autocorrelation peak at 3/4 of the beat, but a pulse train at that
   period drifts against the bar and lines up with the onsets worse than one at the beat; the
   lower octave is where a figure that lines up from beat to beat drifts against the bar. No
   octave above 110 BPM is used: there the subdivision (in two, or in three in 6/8) would decide.
   Since feature set 1.4 a family also scores by its best octave, not by the one its peak was
   found at (a slow beat is often found at a tempo the prior pulls down). Since feature set 1.5
   the alignment is taken less the level its best phase reaches on noise (a slow pulse train,
   with few pulses and many phases, otherwise lines up better by chance), at three octaves
   (13.75-110 BPM), and averaged with the same range half an octave lower (so two families a
   fourth apart are not compared at whatever periods one fixed range puts them). Since feature
   set 1.6 a lower octave counts only where the signal holds three of its pulses (a 10-s clip
   holds two of the slowest, whose best phase measures nothing; every figure below, all on
   signals of 30 s or more, is the same for 1.5 and 1.6);
5. picks the octave within the chosen family by the score plus an onsets-per-beat term (about
   1.5 note onsets per beat): a sparse part is not read at double, a busy one not at half tempo.

The weights (metrical support 0.25, prior 0.8 at 140 BPM, pulse alignment 0.8 on its logarithm,
onset density 0.3) were set on the tuning split of the rendered set of
``benchmarks/tempo_accuracy.py`` (136 excerpts) in feature set 1.3, and kept in 1.4 and 1.5. On
that split feature set 1.5 has exact-tempo accuracy (Acc1) 77.2 % and octave-equivalent accuracy
(Acc2) 91.2 %, against 77.2 % and 89.7 % for 1.4 and 65.4 % and 78.7 % for ``beat_track``. On 54
renderings of MMA's compound-metre styles (6/8 and 12/8, in neither split; labelled by the dotted
quarter; ``scripts/build_tempo_guard.py``) it has 64.8 % and 81.5 %, against 64.8 % and 77.8 % for
1.4. On the held-out split (304 excerpts, never tuned on; the seeded, reproducible rendering) it
has 76.0 % and 95.1 %, against 75.3 % and 92.4 % for 1.4 and 62.2 % and 79.3 % for
``beat_track``: see docs/audio-features.md. On the Sectoid songs (tuning material, 72 excerpts)
1.5 has 84.7 % and 95.8 %, against 83.3 % and 94.4 % for 1.4.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.ndimage

from analytics.audio._librosa import librosa, librosa_beat
from analytics.audio.features import ANALYSIS_SR, HOP

FPS = ANALYSIS_SR / HOP
AC_WINDOW = 384  # frames, 8.9 s: encore's windows, longer than librosa's (ac_size=8.0: 344 frames)
PRIOR_BPM = 140.0
TEMPOGRAM_BATCH = 512  # windows per FFT batch
SEARCH_BPM = (40.0, 250.0)
METRICAL_WEIGHT = 0.25
PRIOR_WEIGHT = 0.8
FAMILY_WEIGHT = 0.8  # weight of log(pulse alignment) when choosing among metrical families
FAMILY_OCTAVE_BPM = 55.0  # families are compared at their octave in [55, 110) BPM ...
FAMILY_OCTAVES = 3  # ... and the two below: pulse alignment over [13.75, 110) BPM (a bar of four at 55)
FAMILY_FOLDS = 2  # ... averaged with that range half an octave lower (2 to 8 placements score alike)
FAMILY_MIN_PULSES = 3  # a lower octave counts where the signal holds a train of 3 (2 periods)
CANDIDATES = 8  # peaks of the score whose families are compared
METRIC_RATIOS = (2 / 3, 3 / 4, 4 / 3, 3 / 2)
DENSITY_WEIGHT = 0.3  # weight of the onsets-per-beat fit when choosing the octave
ONSETS_PER_BEAT = 1.5  # typical note onsets per beat


@dataclass(frozen=True)
class Rhythm:
    """Rhythm features of one track; ``beats`` in seconds."""

    tempo_bpm: float
    tempo_confidence: float
    tempo_octave_ratio: float
    beats: np.ndarray
    beat_strength: float
    beat_regularity: float
    onset_rate_per_s: float


def global_tempogram(
    onset: np.ndarray, *, detrend: bool = True, hop: int = 16
) -> tuple[np.ndarray, np.ndarray]:
    """Mean normalised autocorrelation of the onset envelope over 8.9-s windows.

    With ``detrend`` the envelope's 1-s moving average is removed first, so the autocorrelation
    shows periodicity rather than the envelope's mean level (librosa's tempogram does not).

    Returns
    -------
    (bpm, strength): ``bpm[i]`` is the tempo of lag ``i`` frames (``inf`` at lag 0); strength <= 1.
    """
    n = AC_WINDOW
    x = onset.astype(np.float64)
    if detrend:
        x = x - scipy.ndimage.uniform_filter1d(x, int(FPS))
        x = scipy.ndimage.gaussian_filter1d(x, 1.0)  # soften lag quantisation (43 frames/s)
    padded = np.pad(x, (n // 2, n // 2))
    frames = librosa.util.frame(padded, frame_length=n, hop_length=hop)  # (n, windows) view
    window = np.hanning(n)[:, None]
    total, count = np.zeros(n), 0
    for start in range(0, frames.shape[1], TEMPOGRAM_BATCH):  # batches bound memory on long files
        spectrum = np.fft.rfft(frames[:, start : start + TEMPOGRAM_BATCH] * window, n=2 * n, axis=0)
        acf = np.fft.irfft(np.abs(spectrum) ** 2, axis=0)[:n]
        keep = acf[0] > 0
        total += (acf[:, keep] / acf[0, keep]).sum(axis=1)
        count += int(keep.sum())
    strength = total / count if count else np.zeros(n)
    with np.errstate(divide="ignore"):
        bpm = 60.0 * FPS / np.arange(n)
    return bpm, strength


def _log_prior(bpm: np.ndarray, *, centre: float, octaves: float) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return -0.5 * ((np.log2(bpm) - np.log2(centre)) / octaves) ** 2


def classic_tempo(onset: np.ndarray) -> float:
    """librosa's estimate: ``librosa.feature.tempo`` with its defaults on the onset envelope.

    On ``FrameData.onset_median`` (librosa's ``onset_strength`` with ``aggregate=np.median``, see
    ``frames``) this is the tempo ``librosa.beat.beat_track`` reports with defaults: log-normal
    prior at 120 BPM on the mean autocorrelation tempogram of 8-s windows.

    Notes
    -----
    librosa builds the whole tempogram (one 8-s window per frame) before averaging it: 0.4 GB
    for an hour of audio, and 2.7 GB at its peak with the FFT buffers. Here librosa's own
    ``tempogram`` runs on :data:`TEMPOGRAM_BATCH` windows at a time of the envelope padded as
    librosa pads it, and the mean goes to ``librosa.feature.tempo`` as a precomputed tempogram:
    the same estimate, in a few megabytes.
    """
    win_length = int(librosa.time_to_frames(8.0, sr=ANALYSIS_SR, hop_length=HOP))  # librosa's ac_size
    n = onset.shape[0]
    half = win_length // 2
    padded = np.pad(onset, (half, half), mode="linear_ramp", end_values=[0, 0])
    total = np.zeros(win_length)
    for start in range(0, n, TEMPOGRAM_BATCH):
        stop = min(start + TEMPOGRAM_BATCH, n)
        part = librosa.feature.tempogram(
            onset_envelope=padded[start : stop + win_length - 1],
            sr=ANALYSIS_SR,
            hop_length=HOP,
            win_length=win_length,
            center=False,
        )
        total += part.sum(axis=1)
    mean_tempogram = (total / max(n, 1))[:, None]
    tempo = librosa.feature.tempo(tg=mean_tempogram, sr=ANALYSIS_SR, hop_length=HOP)
    return float(np.atleast_1d(tempo)[0])


def estimate_tempo(
    onset: np.ndarray, *, reference_onset: np.ndarray | None = None, onset_rate_per_s: float | None = None
) -> tuple[float, float, float]:
    """(tempo BPM, confidence 0-1, tempo / librosa's estimate) from an onset envelope.

    Parameters
    ----------
    onset : np.ndarray
        Onset envelope at ``ANALYSIS_SR / HOP`` frames per second.
    reference_onset : np.ndarray, optional
        The envelope librosa's estimate is taken on (default ``onset``); pass the
        median-aggregated one to compare with ``beat_track``.
    onset_rate_per_s : float, optional
        Note onsets per second (``librosa.onset.onset_detect`` on ``onset`` when not given).

    Returns
    -------
    tuple of float
        The tempo (NaN without a pulse), the periodicity at its lag (0-1) and the tempo divided by
        librosa's estimate.

    Notes
    -----
    Each lag L between 40 and 250 BPM scores: periodicity at L (detrended tempogram) + metrical
    support, the periodicity at 2L (the onset pattern also repeats every two beats), + a
    log-normal prior centred on :data:`PRIOR_BPM` (one octave wide, weight :data:`PRIOR_WEIGHT`).
    The best-scoring tempo's metrical family (its octaves) is then weighed against the other
    peaks' families and its 2/3, 3/4, 4/3 and 3/2, each by the score at its best octave plus how
    well pulse trains at the family's tempo (at two octaves, :func:`_family_alignment`) line up
    with the onsets (:func:`pulse_alignment`, weight :data:`FAMILY_WEIGHT`); within the
    chosen family the score plus an onset-density term picks the octave: the beat is taken to
    carry about :data:`ONSETS_PER_BEAT` note onsets (a log-normal term, weight
    :data:`DENSITY_WEIGHT`), so a sparse part is not read at double and a busy one not at half
    its tempo. The weights were set on the tuning split of
    ``benchmarks/tempo_accuracy.py``.
    """
    bpm, strength = global_tempogram(onset)
    lags = np.arange(1, AC_WINDOW // 2)
    valid = (bpm[lags] >= SEARCH_BPM[0]) & (bpm[lags] <= SEARCH_BPM[1])
    if not valid.any() or strength[lags][valid].max() <= 0:
        return float("nan"), 0.0, 1.0
    score = strength[lags] + METRICAL_WEIGHT * strength[2 * lags]
    score = score + PRIOR_WEIGHT * _log_prior(bpm[lags], centre=PRIOR_BPM, octaves=1.0)
    score = np.where(valid, score, -np.inf)
    candidates = _candidate_tempi(score, strength, lags=lags)
    detrended = _pulse_envelope(onset)
    family = max(
        candidates,
        key=lambda t: (
            max(_score_at(score, lags, bpm=o) for o in _octaves(t))
            + FAMILY_WEIGHT * _family_alignment(detrended, bpm=t)
        ),
    )
    octaves = _octaves(family)
    if onset_rate_per_s is None:
        onset_rate_per_s = _onset_rate(onset)
    tempo = max(
        octaves,
        key=lambda t: _score_at(score, lags, bpm=t) + DENSITY_WEIGHT * _density_fit(onset_rate_per_s, bpm=t),
    )
    lag = int(np.clip(round(60.0 * FPS / tempo), 1, strength.shape[0] - 1))
    confidence = float(np.clip(strength[lag], 0.0, 1.0))
    reference = classic_tempo(onset if reference_onset is None else reference_onset)
    return tempo, confidence, tempo / reference if reference > 0 else float("nan")


def _onset_rate(onset: np.ndarray) -> float:
    """Note onsets per second (``librosa.onset.onset_detect`` defaults on the envelope)."""
    onsets = librosa.onset.onset_detect(onset_envelope=onset, sr=ANALYSIS_SR, hop_length=HOP)
    duration = onset.shape[0] / FPS
    return float(len(onsets) / duration) if duration > 0 else 0.0


def _density_fit(onset_rate_per_s: float, *, bpm: float) -> float:
    """Log-normal fit (0 at best, negative elsewhere) of the onsets per beat at ``bpm`` to
    :data:`ONSETS_PER_BEAT`, in squared octaves."""
    per_beat = max(onset_rate_per_s, 0.05) * 60.0 / bpm  # floored: a near-silent part has no log
    return -float(np.log2(per_beat / ONSETS_PER_BEAT) ** 2)


def _candidate_tempi(score: np.ndarray, strength: np.ndarray, *, lags: np.ndarray) -> list[float]:
    """Tempi of the :data:`CANDIDATES` best local maxima of ``score`` (refined), and the best one's
    2/3, 3/4, 4/3 and 3/2 within the search range (syncopated patterns put a peak there)."""
    inner = score[1:-1]
    is_peak = np.isfinite(inner) & (inner >= score[:-2]) & (inner >= score[2:])
    peaks = 1 + np.flatnonzero(is_peak)
    if peaks.size == 0:
        peaks = np.array([int(np.argmax(score))])
    best = peaks[np.argsort(-score[peaks], kind="stable")[:CANDIDATES]]
    tempi = [_refine(strength, int(lags[i])) for i in best]
    related = [tempi[0] * ratio for ratio in METRIC_RATIOS]
    return tempi + [t for t in related if SEARCH_BPM[0] <= t <= SEARCH_BPM[1]]


def _score_at(score: np.ndarray, lags: np.ndarray, *, bpm: float) -> float:
    """``score`` interpolated at the lag of ``bpm`` (lags outside the search range score very low)."""
    finite = np.where(np.isfinite(score), score, -10.0)
    return float(np.interp(60.0 * FPS / bpm, lags, finite))


def _octaves(bpm: float) -> list[float]:
    """``bpm`` times 1/8 to 8 in powers of two, within the search range."""
    return [bpm * 2.0**k for k in range(-3, 4) if SEARCH_BPM[0] <= bpm * 2.0**k <= SEARCH_BPM[1]]


def _folded_period(bpm: float, *, low: float = FAMILY_OCTAVE_BPM) -> float:
    """Beat period in frames of ``bpm`` moved by octaves into [low, 2 × low): every octave of a
    tempo gets the same pulse alignment."""
    octave = np.floor(np.log2(bpm / low))
    return float(60.0 * FPS / (bpm / 2.0**octave))


def _family_alignment(envelope: np.ndarray, *, bpm: float) -> float:
    """Mean log pulse alignment of the metrical family of ``bpm`` at its :data:`FAMILY_OCTAVES`
    octaves from [FAMILY_OCTAVE_BPM, 2 × that) down (13.75-110 BPM: a beat, two beats and four, or
    half a bar, a bar and two): a pulse train has to line up over the bar, not only from beat to
    beat. No octave above 110 BPM counts, where the beat's subdivision (in two or in three) would.

    Since feature set 1.5 the mean is also taken over :data:`FAMILY_FOLDS` placements of that
    range, [55, 110) BPM and half an octave lower, [38.9, 77.8): with one placement, two families
    a fourth apart are compared at whatever periods the fixed range happens to put them."""
    lows = FAMILY_OCTAVE_BPM * 2.0 ** (-np.arange(FAMILY_FOLDS) / FAMILY_FOLDS)  # never above 110 BPM
    # On a short signal a slow pulse has two pulses, and the best of its many phases says nothing
    # (the first 10 s of the tuning split: Acc2 65 % with such octaves, 85 % without); a song has dozens.
    kept = [
        float(period)
        for low in lows
        for k, period in enumerate(_folded_period(bpm, low=low) * 2.0 ** np.arange(FAMILY_OCTAVES))
        if k == 0 or _pulses(envelope, period) >= FAMILY_MIN_PULSES
    ]
    return float(np.mean([np.log(pulse_alignment(envelope, period=period)) for period in kept]))


def _pulses(envelope: np.ndarray, period: float) -> int:
    """How many pulses of ``period`` frames fit in ``envelope`` (as :func:`pulse_alignment` counts)."""
    return int((envelope.shape[0] - period) // period) + 1


def _pulse_envelope(onset: np.ndarray) -> np.ndarray:
    """The onset envelope without its 1-s moving average, in units of its standard deviation, and
    widened to a 3-frame maximum (a beat may fall one frame off the grid)."""
    x = onset.astype(np.float64)
    x = x - scipy.ndimage.uniform_filter1d(x, int(FPS))
    spread = float(x.std())
    return scipy.ndimage.maximum_filter1d(x / spread if spread > 0 else x, 3)


def pulse_alignment(envelope: np.ndarray, *, period: float) -> float:
    """How well a pulse train of ``period`` frames lines up with ``envelope``.

    Parameters
    ----------
    envelope : np.ndarray
        A detrended onset envelope (see ``_pulse_envelope``).
    period : float
        The pulse period in frames (fractional periods are rounded pulse by pulse).

    Returns
    -------
    float
        The mean of ``envelope`` at the pulses, at the best of all phases, less the level that
        best phase reaches on noise (floored at 1e-3, so its logarithm is defined).

    Notes
    -----
    On an envelope of unit variance without a pulse, the mean over ``count`` pulses at one phase
    has a standard deviation of 1/sqrt(count), and the best of ``period`` phases reaches about
    sqrt(2 ln(period) / count) (the expected maximum of that many normal draws). Since feature set
    1.5 that level is subtracted: without it a slow pulse (few pulses, many phases) lines up better
    than a fast one by chance alone, and the slower of two families wins where neither lines up.
    """
    count = _pulses(envelope, period)
    if count < 2:
        return 1e-3
    phases = np.arange(0.0, period)
    positions = np.rint(phases[:, None] + np.arange(count)[None, :] * period).astype(int)
    positions = np.minimum(positions, envelope.shape[0] - 1)
    chance = float(np.sqrt(2.0 * np.log(period) / count))  # best of `period` phases on unit noise
    return max(float(envelope[positions].mean(axis=1).max()) - chance, 1e-3)


def _refine(strength: np.ndarray, index: int) -> float:
    """Tempo of the peak at lag ``index``, with parabolic interpolation of the lag."""
    shift = 0.0
    if 1 <= index < strength.shape[0] - 1:
        a, b, c = strength[index - 1], strength[index], strength[index + 1]
        denom = a - 2 * b + c
        shift = float(np.clip(0.5 * (a - c) / denom, -0.5, 0.5)) if denom < 0 else 0.0
    return float(60.0 * FPS / (index + shift))


def _beats(onset: np.ndarray, bpm: float) -> np.ndarray:
    _, frames = librosa_beat().beat_track(onset_envelope=onset, sr=ANALYSIS_SR, hop_length=HOP, bpm=bpm)
    return np.asarray(frames, dtype=int)


def rhythm_features(onset: np.ndarray, *, reference_onset: np.ndarray | None = None) -> Rhythm:
    """Tempo, beats, beat strength, beat regularity and onset rate of a track.

    ``reference_onset``: the envelope ``librosa.beat.beat_track`` would use (median over bands);
    ``tempo_octave_ratio`` is the tempo divided by librosa's estimate on it.
    """
    if onset.shape[0] < AC_WINDOW // 4 or not np.any(onset > 0):
        return Rhythm(float("nan"), 0.0, 1.0, np.zeros(0), float("nan"), 0.0, 0.0)
    onset_rate = _onset_rate(onset)
    tempo, confidence, ratio = estimate_tempo(
        onset, reference_onset=reference_onset, onset_rate_per_s=onset_rate
    )
    beat_frames = _beats(onset, tempo) if np.isfinite(tempo) else np.zeros(0, dtype=int)
    mean_onset = float(onset.mean())
    strength = float(onset[beat_frames].mean() / mean_onset) if beat_frames.size and mean_onset > 0 else 0.0
    regularity = 0.0
    if beat_frames.shape[0] >= 4:
        intervals = np.diff(beat_frames)
        steadiness = max(0.0, 1.0 - float(intervals.std() / intervals.mean()))
        regularity = float(np.clip(steadiness * confidence, 0.0, 1.0))  # confidence: pulse at the beat lag
    return Rhythm(
        tempo_bpm=tempo,
        tempo_confidence=confidence,
        tempo_octave_ratio=ratio,
        beats=beat_frames / FPS,
        beat_strength=strength,
        beat_regularity=regularity,
        onset_rate_per_s=onset_rate,
    )
