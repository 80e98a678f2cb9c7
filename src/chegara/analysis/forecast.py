"""Forecasts of monthly count series with 80% prediction intervals.

Border statistics are short (a few years), over-dispersed, sometimes mostly zeros, and they
jump when a policy changes (a new expulsion rule, a closed route). A single fitted model is
brittle on such series, so the forecast is a *combination*: the median, on the log1p scale,
of four simple forecasters

* simple exponential smoothing (level only) of the seasonally adjusted series,
* damped additive trend (Holt with damping 0.9) of the seasonally adjusted series, never above
  twice the largest month seen,
* the mean of the last three seasonally adjusted months,
* seasonal naive (same month last year),

with a shrunk seasonal profile, estimated on the last eight years, added back to the first
three. Combining forecasts with a
median is a long-standing lesson of the forecasting competitions (M3, M4): it rarely beats the
best single method on one series but it is almost never bad, which matters when the forecast
runs unattended on every series of every section.

The 80% interval does not assume a distribution. It is conformal-style: the combination is
re-run from the series' own last 24 origins (two years: border series change regime often,
and older errors describe a different regime), and its out-of-sample absolute log-scale errors
give the interval half-width per horizon (their plain 80% quantile; the half-width never
shrinks as the horizon grows).
Horizons the history reaches fewer than 20 times borrow a pooled quantile of errors scaled by
``h**gamma``, ``gamma`` measured from how the errors grow with the horizon (between 0, no growth,
and 1). The band is symmetric on the log scale, so asymmetric on counts. A Poisson floor
keeps intervals of small counts honest. Series too short to give 24 past errors fall back to the
mean of the last three months on the log scale with a random-walk normal interval.

Why not statsmodels' ETS: the conformal calibration refits the forecaster from dozens of
origins per series, and statsmodels' likelihood optimisation costs tens of milliseconds per
fit; the recursions here are a few lines of numpy with parameters picked from a small grid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

FloatArray = NDArray[np.float64]

SEASON = 12
METHOD_COMBINED = (
    "median-combination(SES, damped-trend, 3-month-mean, seasonal-naive) log1p + conformal-80"
)
METHOD_SHORT = "3-month-mean log1p + random-walk-normal-80 (short series)"
METHOD_EMPTY = "no history: zero forecast"

_ALPHAS = np.array([0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0])
_HOLT_ALPHAS = np.array([0.1, 0.3, 0.5, 0.7, 0.9])
_HOLT_BETAS = np.array([0.01, 0.05, 0.1, 0.2])
_DAMPING = 0.9
# A trend extrapolated from the steep start of a surge runs far past anything seen (Central
# Mediterranean 2011: 88,107 forecast against 10,000-23,000 observed); the trend forecaster may
# reach at most twice the largest month of the history (log1p scale: + log 2).
_TREND_CEILING = float(np.log(2.0))
# Seasons drift (a holiday moves, a route's busy months shift with enforcement), so the
# month-of-year profile comes from the last eight years only. Measured on development samples
# disjoint from the benchmarks (tourism and M3 series, every 40th from the 21st): tourism ratio
# 0.976 -> 0.904, M3 0.755 -> 0.753, Frontex 0.927 -> 0.925; CBP, shorter, is unchanged. Four to
# six years helped tourism a little more but cost Frontex; a half-life weighting helped less.
_PROFILE_YEARS = 8
# The past origins used to measure out-of-sample errors: enough for stable 10%/90% quantiles
# once pooled over horizons, recent enough to reflect the series' present volatility.
_CALIBRATION_ORIGINS = 24
_MIN_TRAIN = 6
_MIN_ERRORS = 24
_MIN_ERRORS_PER_HORIZON = 20
_MAX_HORIZON = 120


@dataclass(frozen=True)
class Forecast:
    """Point forecast (a median on the count scale) and an 80% prediction interval."""

    forecast: FloatArray
    lower80: FloatArray
    upper80: FloatArray
    method: str


def forecast_counts(
    history: Sequence[float] | FloatArray,
    horizon: int,
    *,
    coverage: float = 0.8,
) -> Forecast:
    """Forecast the next ``horizon`` months of a monthly count series.

    ``history`` is the consecutive months up to the forecast origin (no gaps; zeros allowed).
    """
    if horizon < 1 or horizon > _MAX_HORIZON:
        raise ValueError(f"horizon must be between 1 and {_MAX_HORIZON}, got {horizon}")
    y = np.asarray(history, dtype=np.float64)
    if y.ndim != 1:
        raise ValueError("history must be one-dimensional")
    if np.any(~np.isfinite(y)) or np.any(y < 0):
        raise ValueError("history must hold finite, non-negative counts")
    if y.size == 0:
        zeros = np.zeros(horizon)
        return Forecast(zeros, zeros.copy(), zeros.copy(), METHOD_EMPTY)
    z = np.log1p(y)
    point = combined_log_forecast(z, horizon)
    errors = calibration_errors(z, horizon)
    if errors is None:
        method = METHOD_SHORT
        point = np.full(horizon, float(np.mean(z[-3:])))
        lower_z, upper_z = _random_walk_band(z, point, coverage)
    else:
        lower_z, upper_z = _conformal_band(errors, point, coverage)
        method = METHOD_COMBINED
    fc = np.expm1(point)
    lower = np.maximum(np.expm1(lower_z), 0.0)
    upper = np.expm1(upper_z)
    if _whole_numbers(y):
        lower, upper = _poisson_floor(fc, lower, upper, coverage)
    return Forecast(fc, lower, upper, method)


def seasonal_naive(history: Sequence[float] | FloatArray, horizon: int) -> FloatArray:
    """Same month last year (the last value while there is less than a year of history)."""
    y = np.asarray(history, dtype=np.float64)
    if y.size == 0:
        return np.zeros(horizon)
    if y.size < SEASON:
        return np.full(horizon, y[-1])
    steps = np.arange(horizon)
    return y[y.size - SEASON + steps % SEASON]


def combined_log_forecast(z: FloatArray, horizon: int) -> FloatArray:
    """Median of the four forecasters on the log1p scale."""
    if z.size < 3:
        return np.full(horizon, z[-1])
    profile = seasonal_profile(z)
    months = np.arange(z.size) % SEASON
    adjusted = z - profile[months]
    future = profile[np.arange(z.size, z.size + horizon) % SEASON]
    ses = ses_forecast(adjusted, horizon) + future
    damped = np.minimum(damped_trend_forecast(adjusted, horizon) + future, z.max() + _TREND_CEILING)
    recent = np.full(horizon, float(np.mean(adjusted[-3:]))) + future
    if z.size < SEASON:
        last_year = np.full(horizon, z[-1])
    else:
        last_year = z[z.size - SEASON + np.arange(horizon) % SEASON]
    return np.asarray(np.median(np.vstack([ses, damped, recent, last_year]), axis=0))


def seasonal_profile(z: FloatArray) -> FloatArray:
    """Month-of-year effects on the log scale, indexed by position modulo 12, shrunk to zero.

    Estimated on the last eight years only (seasons drift). Deviations from a centred 2x12
    moving average are averaged per month and then shrunk
    (James-Stein style) by how large they are against their own sampling noise, so a series
    without a real seasonal pattern gets a profile of nearly zero rather than noise.
    """
    profile = np.zeros(SEASON)
    if z.size < 2 * SEASON:
        return profile
    z = _recent_whole_years(z)
    kernel = np.r_[0.5, np.ones(SEASON - 1), 0.5] / SEASON
    trend = np.convolve(z, kernel, mode="valid")
    offset = SEASON // 2
    deviations = z[offset : offset + trend.size] - trend
    positions = np.arange(offset, offset + trend.size) % SEASON
    counts = np.bincount(positions, minlength=SEASON).astype(np.float64)
    if np.any(counts == 0):
        return profile
    means = np.bincount(positions, weights=deviations, minlength=SEASON) / counts
    means -= means.mean()
    residual = deviations - means[positions]
    noise_var = float(np.sum(residual**2)) / max(deviations.size - SEASON, 1)
    signal = float(np.mean(means**2))
    if signal <= 0.0:
        return profile
    shrink = max(0.0, 1.0 - float(np.mean(noise_var / counts)) / signal)
    return means * shrink


def _recent_whole_years(z: FloatArray) -> FloatArray:
    """The last ``_PROFILE_YEARS`` years, cut at a whole number of years from the start.

    Cutting at a multiple of 12 keeps each month at the same position modulo 12, which is how
    the profile is indexed.
    """
    cut = z.size - _PROFILE_YEARS * SEASON
    if cut <= 0:
        return z
    return z[cut - cut % SEASON :]


def ses_forecast(x: FloatArray, horizon: int) -> FloatArray:
    """Simple exponential smoothing; smoothing weight chosen by one-step squared error."""
    levels = np.full(_ALPHAS.size, x[0])
    sse = np.zeros(_ALPHAS.size)
    for value in x[1:]:
        error = value - levels
        sse += error**2
        levels = levels + _ALPHAS * error
    best = int(np.argmin(sse))
    return np.full(horizon, levels[best])


def damped_trend_forecast(x: FloatArray, horizon: int) -> FloatArray:
    """Additive damped trend (Gardner-McKenzie), parameters from a small grid by one-step SSE."""
    alpha, beta = np.meshgrid(_HOLT_ALPHAS, _HOLT_BETAS)
    alpha = alpha.ravel()
    beta = beta.ravel()
    level = np.full(alpha.size, x[0])
    slope = np.zeros(alpha.size)
    sse = np.zeros(alpha.size)
    for value in x[1:]:
        predicted = level + _DAMPING * slope
        error = value - predicted
        sse += error**2
        new_level = predicted + alpha * error
        slope = _DAMPING * slope + alpha * beta * error
        level = new_level
    best = int(np.argmin(sse))
    steps = np.cumsum(_DAMPING ** np.arange(1, horizon + 1))
    return np.asarray(level[best] + steps * slope[best])


def calibration_errors(z: FloatArray, horizon: int) -> list[tuple[int, float]] | None:
    """Out-of-sample log-scale errors ``(h, actual - forecast)`` from recent past origins.

    Returns None when the series is too short to give enough errors for a quantile.
    """
    n = z.size
    first = max(_MIN_TRAIN, n - _CALIBRATION_ORIGINS)
    errors: list[tuple[int, float]] = []
    for origin in range(first, n):
        reach = min(horizon, n - origin)
        predicted = combined_log_forecast(z[:origin], reach)
        actual = z[origin : origin + reach]
        errors.extend((h + 1, float(e)) for h, e in enumerate(actual - predicted))
    if len(errors) < _MIN_ERRORS:
        return None
    return errors


def _conformal_band(
    errors: list[tuple[int, float]], point: FloatArray, coverage: float
) -> tuple[FloatArray, FloatArray]:
    """Symmetric log-scale band from the conformal quantile of absolute past errors.

    Absolute rather than signed errors: after a level shift the recent errors all lean one way,
    and a signed quantile would then close the other side of the interval exactly when the
    series is least predictable.
    """
    steps = np.array([h for h, _ in errors], dtype=np.float64)
    values = np.abs(np.array([e for _, e in errors]))
    gamma = _error_growth(steps, values)
    scaled = values / steps**gamma
    radius = _conformal_quantile(scaled, coverage)
    spread = radius * np.arange(1, point.size + 1, dtype=np.float64) ** gamma
    # Where a horizon has enough past errors of its own, its own quantile is used: the pooled
    # growth curve is only the fallback for horizons the history cannot reach often enough.
    for h in range(1, point.size + 1):
        own = values[steps == h]
        if own.size >= _MIN_ERRORS_PER_HORIZON:
            spread[h - 1] = _conformal_quantile(own, coverage)
    # The further ahead, the less is known: a narrower band at a later month is sampling noise.
    spread = np.maximum.accumulate(spread)
    return point - spread, point + spread


def _conformal_quantile(values: FloatArray, coverage: float) -> float:
    # The plain quantile, without split conformal's (1+1/m) correction: that correction keeps
    # the nominal coverage for exchangeable errors, but on top of the never-shrinking half-width
    # and the Poisson floor it over-covered every backtest set (0.80-0.88 against 0.8 on CBP,
    # Frontex, M3 and tourism series; 0.79-0.86 without it).
    return float(np.quantile(values, coverage))


def _error_growth(steps: FloatArray, values: FloatArray) -> float:
    """Exponent of the growth of the mean absolute error with the horizon, within [0, 1].

    Not held to at least 0.5 (a random walk): where the seasonal pattern carries the forecast,
    a month a year ahead is barely harder than next month, and forcing random-walk growth
    widened those bands (tourism development sample: coverage 0.863 against 0.8; with the
    exponent free down to 0: 0.817, CBP 0.780, Frontex 0.802, M3 0.778, origins every 3 months).
    """
    unique = np.unique(steps)
    if unique.size < 3:
        return 0.5
    mae = np.array([np.mean(values[steps == h]) for h in unique])
    keep = mae > 0
    if keep.sum() < 3:
        return 0.5
    slope = np.polyfit(np.log(unique[keep]), np.log(mae[keep]), 1)[0]
    return float(np.clip(slope, 0.0, 1.0))


def _random_walk_band(
    z: FloatArray, point: FloatArray, coverage: float
) -> tuple[FloatArray, FloatArray]:
    quantile = float(stats.norm.ppf(0.5 + coverage / 2.0))
    sigma = float(np.std(np.diff(z), ddof=1)) if z.size >= 3 else 0.0
    # With two or three points the spread of the differences is itself very uncertain; do not
    # let a lucky flat start give a zero-width interval.
    sigma = max(sigma, 0.25)
    spread = quantile * sigma * np.sqrt(np.arange(1, point.size + 1))
    return point - spread, point + spread


def _whole_numbers(y: FloatArray) -> bool:
    # Imported statistics may be measurements (kilograms seized, an index) rather than counts;
    # a Poisson interval around 350 kg says nothing about how 350 kg varies.
    return bool(np.all(y == np.round(y)))


def _poisson_floor(
    fc: FloatArray, lower: FloatArray, upper: FloatArray, coverage: float
) -> tuple[FloatArray, FloatArray]:
    """Never narrower than the Poisson interval around the forecast: counts are counts."""
    tail = (1.0 - coverage) / 2.0
    mean = np.maximum(fc, 0.0)
    poisson_low = stats.poisson.ppf(tail, mean)
    poisson_high = stats.poisson.ppf(1.0 - tail, mean)
    poisson_low = np.where(np.isnan(poisson_low), 0.0, poisson_low)
    poisson_high = np.where(np.isnan(poisson_high), 0.0, poisson_high)
    return np.minimum(lower, poisson_low), np.maximum(upper, poisson_high)
