"""Displacement between border sections: lagged correlation of month-on-month changes.

When one section is reinforced, crossings often move to the next one: a fall here followed
(or accompanied) by a rise there. The signal sought is a *negative* correlation between the
month-on-month changes of two adjacent sections, at a lag of 0 to 3 months. Changes rather
than levels, because two sections sharing a trend or season would otherwise always look
related.

Significance: Pearson's r with the usual t-test on ``n - 2`` degrees of freedom, and a
Bonferroni correction over the lags and both directions tried for a pair, so scanning four
lags does not quadruple the false alarms. Correlation is not displacement; the result is an
indication for the analyst, named as such.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

METHOD = "Pearson correlation of month-on-month changes, lags 0-3, t-test, Bonferroni"
MAX_LAG = 3
_MIN_PAIRS = 6


@dataclass(frozen=True)
class LaggedCorrelation:
    """Correlation of changes in ``leader`` with changes in ``follower`` ``lag`` months later."""

    leader: str
    follower: str
    lag: int
    r: float
    p_value: float
    n: int
    significant: bool
    displacement: bool
    method: str = METHOD


def lagged_change_correlation(
    leader: Sequence[float] | NDArray[np.float64],
    follower: Sequence[float] | NDArray[np.float64],
    lag: int,
) -> tuple[float, float, int]:
    """r, two-sided p-value and number of month pairs; series aligned on the same months."""
    a = np.diff(np.asarray(leader, dtype=np.float64))
    b = np.diff(np.asarray(follower, dtype=np.float64))
    if a.size != b.size:
        raise ValueError("series must cover the same months")
    if lag < 0:
        raise ValueError("lag must be non-negative")
    x = a[: a.size - lag] if lag else a
    y = b[lag:]
    n = x.size
    if n < _MIN_PAIRS or np.std(x) == 0.0 or np.std(y) == 0.0:
        return 0.0, 1.0, n
    r = float(np.corrcoef(x, y)[0, 1])
    r = max(-1.0, min(1.0, r))
    if abs(r) >= 1.0:
        return r, 0.0, n
    t = r * math.sqrt((n - 2) / (1.0 - r * r))
    return r, float(2.0 * stats.t.sf(abs(t), n - 2)), n


def displacement_scan(
    series: Mapping[str, Sequence[float] | NDArray[np.float64]],
    neighbours: Iterable[tuple[str, str]],
    *,
    max_lag: int = MAX_LAG,
    significance: float = 0.05,
) -> list[LaggedCorrelation]:
    """Every adjacent pair, both directions, lags 0..max_lag (lag 0 once per pair)."""
    results: list[LaggedCorrelation] = []
    for a, b in neighbours:
        if a not in series or b not in series:
            raise ValueError(f"no series for section {a!r} or {b!r}")
        tests = [(a, b, 0)] + [
            (x, y, lag) for lag in range(1, max_lag + 1) for x, y in ((a, b), (b, a))
        ]
        threshold = significance / len(tests)
        for leader, follower, lag in tests:
            r, p, n = lagged_change_correlation(series[leader], series[follower], lag)
            significant = p < threshold
            results.append(
                LaggedCorrelation(
                    leader, follower, lag, r, p, n, significant, significant and r < 0
                )
            )
    return results
