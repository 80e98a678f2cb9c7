"""Seasonal trend decomposition (STL) and the year-on-year change of a monthly count series.

Analysts read a border series as "trend plus the usual season plus noise"; the bulletin shows
the trend and how this year's months compare with last year's. STL (Cleveland et al., 1990)
via statsmodels, in its robust form so one exceptional month does not bend the trend.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

SEASON = 12
METHOD_STL = "STL robust (period 12, statsmodels)"
METHOD_SHORT = "centred 12-month moving average, no seasonal term (under two years of data)"


@dataclass(frozen=True)
class Decomposition:
    """``observed = trend + seasonal + remainder`` for every month."""

    observed: FloatArray
    trend: FloatArray
    seasonal: FloatArray
    remainder: FloatArray
    method: str


@dataclass(frozen=True)
class YearOnYear:
    """The last ``months`` months against the same months one year before."""

    current: float
    previous: float
    change: float
    percent: float | None
    months: int
    method: str = "sum of the last months vs the same months a year earlier"


def decompose(counts: Sequence[float] | FloatArray) -> Decomposition:
    """Trend, seasonal and remainder components; STL needs two full years of months."""
    y = np.asarray(counts, dtype=np.float64)
    if y.ndim != 1 or y.size == 0 or np.any(~np.isfinite(y)):
        raise ValueError("counts must be a non-empty one-dimensional series of numbers")
    if y.size < 2 * SEASON:
        trend = _moving_average(y)
        seasonal = np.zeros_like(y)
        return Decomposition(y, trend, seasonal, y - trend, METHOD_SHORT)
    from statsmodels.tsa.seasonal import STL

    result = STL(y, period=SEASON, robust=True).fit()
    trend = np.asarray(result.trend, dtype=np.float64)
    seasonal = np.asarray(result.seasonal, dtype=np.float64)
    return Decomposition(y, trend, seasonal, y - trend - seasonal, METHOD_STL)


def year_on_year(counts: Sequence[float] | FloatArray, months: int = 12) -> YearOnYear:
    """Change of the last ``months`` months (1..12) against the same months a year earlier."""
    y = np.asarray(counts, dtype=np.float64)
    if not 1 <= months <= SEASON:
        raise ValueError("months must be between 1 and 12")
    if y.size < SEASON + months:
        raise ValueError(f"need at least {SEASON + months} months for a year-on-year change")
    current = float(y[-months:].sum())
    previous = float(y[-SEASON - months : y.size - SEASON].sum())
    change = current - previous
    percent = None if previous == 0 else 100.0 * change / previous
    return YearOnYear(current, previous, change, percent, months)


def _moving_average(y: FloatArray) -> FloatArray:
    # Shrinking window at the ends so every month has a trend value.
    half = SEASON // 2
    out = np.empty_like(y)
    for i in range(y.size):
        out[i] = y[max(0, i - half) : i + half + 1].mean()
    return out
