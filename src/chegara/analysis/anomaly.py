"""Anomaly alarms for monthly counts that are over-dispersed (Farrington-flexible style).

Public-health surveillance has solved the problem the risk analysis unit has: tell a real
surge of detections from the normal ups and downs of a noisy count. The method here follows
Noufaily et al. (2013), "An improved algorithm for outbreak detection in multiple surveillance
systems" (the *flexible* Farrington algorithm), adapted from weeks to months:

* the reference values are the months of the last ``years_back`` years up to the same month
  last year plus ``half_window`` months, never the months just before the target (a surge that
  is already under way must not raise its own baseline);
* a quasi-Poisson GLM with log link is fitted on them, with a linear time trend and a seasonal
  factor (level 0 = the months around the target's month of year, the rest of the year split
  into ``seasonal_periods - 1`` blocks), so every past month is used without mixing seasons;
* the trend is kept only when significant (5%) and when it does not predict beyond the largest
  reference count;
* past outbreaks are down-weighted: months whose Anscombe residual exceeds 2.58 get weight
  ``residual**-2`` and the model is fitted again (as published, the residuals are scaled by
  the first fit's dispersion, so a very large past outbreak still widens later thresholds
  somewhat: masking is reduced, not removed);
* the alarm threshold is the ``1 - alpha`` quantile of a negative binomial with the predicted
  mean and the estimated over-dispersion (Poisson when there is none), the dispersion widened
  for its own estimation error and for the error of the predicted mean.

Why our own fitting rather than statsmodels' GLM: a national bulletin runs this for every
section, indicator and month (hundreds of thousands of small fits); all targets of one series
share the design's shape, so the iteratively reweighted least squares runs for all of them at
once as a batch of tiny linear systems.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]
BoolArray = NDArray[np.bool_]

SEASON = 12
METHOD = "Farrington-flexible quasi-Poisson GLM (trend, seasonal factor, reweighted), NB threshold"
_OUTBREAK_RESIDUAL = 2.58
_TREND_SIGNIFICANCE = 0.05
_IRLS_STEPS = 30


@dataclass(frozen=True)
class AlarmResult:
    """Per month: expected count, upper threshold, and whether the count exceeded it.

    ``expected`` and ``upper`` are NaN, and ``alarm`` False, for months without enough history
    (the first ``years_back`` years and ``half_window`` months).
    """

    observed: FloatArray
    expected: FloatArray
    upper: FloatArray
    alarm: BoolArray
    overdispersion: FloatArray
    trend_used: BoolArray
    method: str


def farrington_alarms(
    counts: Sequence[float] | FloatArray,
    *,
    years_back: int = 3,
    half_window: int = 2,
    seasonal_periods: int = 3,
    alpha: float = 0.01,
) -> AlarmResult:
    """Alarms for every month of a monthly count series that has enough history."""
    y = np.asarray(counts, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError("counts must be one-dimensional")
    return farrington_alarms_many(
        y[None, :],
        years_back=years_back,
        half_window=half_window,
        seasonal_periods=seasonal_periods,
        alpha=alpha,
    )[0]


def farrington_alarms_many(
    series: FloatArray,
    *,
    years_back: int = 3,
    half_window: int = 2,
    seasonal_periods: int = 3,
    alpha: float = 0.01,
) -> list[AlarmResult]:
    """Alarms for many series over the same months (rows of ``series``), fitted in one batch."""
    y = np.asarray(series, dtype=np.float64)
    if y.ndim != 2 or np.any(~np.isfinite(y)) or np.any(y < 0):
        raise ValueError("counts must be series of finite, non-negative numbers")
    if years_back < 1 or not 0 <= half_window < SEASON // 2 or seasonal_periods < 1:
        raise ValueError("need years_back >= 1, 0 <= half_window < 6, seasonal_periods >= 1")
    if not 0.0 < alpha < 0.5:
        raise ValueError("alpha must be in (0, 0.5)")
    rows, n = y.shape
    expected = np.full((rows, n), np.nan)
    upper = np.full((rows, n), np.nan)
    phi_out = np.full((rows, n), np.nan)
    trend_out = np.zeros((rows, n), dtype=bool)
    first = SEASON * years_back + half_window
    targets = np.arange(first, n)
    if targets.size and rows:
        offsets = np.arange(-(SEASON * years_back + half_window), -SEASON + half_window + 1)
        observed = y[:, targets[:, None] + offsets[None, :]].reshape(-1, offsets.size)
        mu, phi, spread, keep = _baseline(observed, offsets, half_window, seasonal_periods, alpha)
        shape = (rows, targets.size)
        expected[:, targets] = mu.reshape(shape)
        upper[:, targets] = negative_binomial_upper(mu, spread, 1.0 - alpha).reshape(shape)
        phi_out[:, targets] = phi.reshape(shape)
        trend_out[:, targets] = keep.reshape(shape)
    alarm = y > np.where(np.isnan(upper), np.inf, upper)
    return [
        AlarmResult(y[i], expected[i], upper[i], alarm[i], phi_out[i], trend_out[i], METHOD)
        for i in range(rows)
    ]


def _baseline(
    observed: FloatArray, offsets: NDArray[np.int64], half_window: int, periods: int, alpha: float
) -> tuple[FloatArray, FloatArray, FloatArray, BoolArray]:
    """Expected count, over-dispersion, threshold dispersion and trend use per reference row.

    The threshold dispersion widens the estimated one for the two errors a plug-in threshold
    ignores: the dispersion is itself estimated from about 30 months (Student t instead of
    normal quantile on the fit's degrees of freedom), and so is the expected count (its
    variance ``mu**2 * var(log mu)`` is added to the count's variance ``phi * mu``). Without
    this, over-dispersed series alarm about twice as often as ``alpha`` says.
    """
    factor = _seasonal_levels(-offsets, half_window, periods)
    time = offsets / SEASON
    fit_t = _reweighted_fit(_design(factor, time, periods, trend=True), observed)
    fit_n = _reweighted_fit(_design(factor, time, periods, trend=False), observed)
    mu_t = np.exp(fit_t.beta @ _target_row(periods, trend=True))
    mu_n = np.exp(fit_n.beta @ _target_row(periods, trend=False))
    trend_z = fit_t.beta[:, -1] / np.sqrt(np.maximum(fit_t.trend_variance, 1e-300))
    significant = 2 * stats.norm.sf(np.abs(trend_z)) < _TREND_SIGNIFICANCE
    empty = observed.sum(axis=1) == 0
    keep = significant & (mu_t <= observed.max(axis=1)) & ~empty
    mu = np.where(empty, 0.0, np.where(keep, mu_t, mu_n))
    phi = np.where(empty, 1.0, np.where(keep, fit_t.phi, fit_n.phi))
    log_mean_variance = np.where(keep, fit_t.intercept_variance, fit_n.intercept_variance)
    dof = np.where(keep, fit_t.dof, fit_n.dof)
    widen = (stats.t.ppf(1.0 - alpha, dof) / stats.norm.ppf(1.0 - alpha)) ** 2
    spread = np.where(empty, 1.0, phi * widen + mu * log_mean_variance)
    return mu, phi, spread, keep


def negative_binomial_upper(mean: FloatArray, phi: FloatArray, level: float) -> FloatArray:
    """The ``level`` quantile of a count with this mean and variance ``phi * mean``."""
    mean = np.asarray(mean, dtype=np.float64)
    phi = np.asarray(phi, dtype=np.float64)
    poisson = stats.poisson.ppf(level, np.maximum(mean, 0.0))
    over = phi > 1.0 + 1e-9
    size = np.where(over, mean / np.maximum(phi - 1.0, 1e-9), 1.0)
    prob = np.where(over, 1.0 / np.maximum(phi, 1.0 + 1e-9), 0.5)
    negbin = stats.nbinom.ppf(level, np.maximum(size, 1e-12), prob)
    result = np.where(over & (mean > 0), negbin, poisson)
    return np.asarray(np.where(np.isnan(result), 0.0, result), dtype=np.float64)


def _seasonal_levels(lags: NDArray[np.int64], half_window: int, periods: int) -> NDArray[np.int64]:
    """Level 0 for months within ``half_window`` of the target's month of year, then blocks."""
    phase = lags % SEASON
    distance = np.minimum(phase, SEASON - phase)
    levels = np.zeros(lags.size, dtype=np.int64)
    if periods <= 1:
        return levels
    outside = distance > half_window
    # Months outside the window, by position after the window, cut into periods - 1 blocks.
    position = (phase - half_window - 1) % SEASON
    span = SEASON - (2 * half_window + 1)
    block = np.minimum(position * (periods - 1) // max(span, 1), periods - 2) + 1
    levels[outside] = block[outside]
    return levels


def _design(
    levels: NDArray[np.int64], time: FloatArray, periods: int, *, trend: bool
) -> FloatArray:
    columns = [np.ones(levels.size)]
    columns.extend((levels == level).astype(np.float64) for level in range(1, periods))
    if trend:
        columns.append(time.astype(np.float64))
    return np.column_stack(columns)


def _target_row(periods: int, *, trend: bool) -> FloatArray:
    # The target sits in seasonal level 0 at time 0 (times are relative to the target).
    row = np.zeros(periods + (1 if trend else 0))
    row[0] = 1.0
    return row


@dataclass(frozen=True)
class _Fit:
    beta: FloatArray
    phi: FloatArray
    trend_variance: FloatArray
    intercept_variance: FloatArray
    dof: int


def _reweighted_fit(design: FloatArray, observed: FloatArray) -> _Fit:
    """Quasi-Poisson fit for every target at once, refitted after down-weighting outbreaks."""
    weights = np.ones_like(observed)
    beta, mu = _batch_irls(design, observed, weights)
    phi = _dispersion(observed, mu, weights, design.shape[1])
    residual = _anscombe(observed, mu, phi)
    outbreak = residual > _OUTBREAK_RESIDUAL
    weights = np.where(outbreak, 1.0 / np.maximum(residual, 1e-12) ** 2, 1.0)
    # Rescale so the weights still sum to the number of reference months, as Farrington does.
    weights *= observed.shape[1] / weights.sum(axis=1, keepdims=True)
    beta, mu = _batch_irls(design, observed, weights)
    phi = _dispersion(observed, mu, weights, design.shape[1])
    information = _weighted_gram(design, weights * mu)
    covariance = np.linalg.pinv(information) * phi[:, None, None]
    dof = max(observed.shape[1] - design.shape[1], 1)
    return _Fit(beta, phi, covariance[:, -1, -1], covariance[:, 0, 0], dof)


def _batch_irls(
    design: FloatArray, observed: FloatArray, weights: FloatArray
) -> tuple[FloatArray, FloatArray]:
    beta: FloatArray = np.zeros((observed.shape[0], design.shape[1]))
    beta[:, 0] = np.log(observed.mean(axis=1) + 0.5)
    ridge = 1e-8 * np.eye(design.shape[1])
    # Only rows still moving are iterated: most converge in a few steps, while a row with an
    # empty seasonal level drifts towards minus infinity and would hold the whole batch.
    active = np.arange(observed.shape[0])
    for _ in range(_IRLS_STEPS):
        if active.size == 0:
            break
        current = beta[active]
        eta = np.clip(current @ design.T, -30.0, 30.0)
        mu = np.exp(eta)
        w = weights[active] * mu
        working = eta + (observed[active] - mu) / mu
        lhs = _weighted_gram(design, w) + ridge
        rhs = (w * working) @ design
        updated = np.asarray(np.linalg.solve(lhs, rhs[:, :, None])[:, :, 0], dtype=np.float64)
        beta[active] = updated
        moving = np.max(np.abs(updated - current), axis=1) > 1e-7
        active = active[moving]
    mu = np.exp(np.clip(beta @ design.T, -30.0, 30.0))
    return beta, mu


def _weighted_gram(design: FloatArray, weights: FloatArray) -> FloatArray:
    """X' diag(w_t) X for every row t of ``weights``.

    One matrix product against the outer products of the design rows: much faster than a
    batched matmul when there are tens of thousands of tiny systems.
    """
    p = design.shape[1]
    outer = (design[:, :, None] * design[:, None, :]).reshape(design.shape[0], p * p)
    return np.asarray(weights @ outer).reshape(-1, p, p)


def _dispersion(
    observed: FloatArray, mu: FloatArray, weights: FloatArray, params: int
) -> FloatArray:
    dof = max(observed.shape[1] - params, 1)
    pearson = np.sum(weights * (observed - mu) ** 2 / np.maximum(mu, 1e-12), axis=1) / dof
    return np.asarray(np.maximum(pearson, 1.0))


def _anscombe(observed: FloatArray, mu: FloatArray, phi: FloatArray) -> FloatArray:
    mu_safe = np.maximum(mu, 1e-12)
    raw = 1.5 * (observed ** (2 / 3) - mu_safe ** (2 / 3)) / mu_safe ** (1 / 6)
    return np.asarray(raw / np.sqrt(phi[:, None]))
