"""Rolling-origin backtest of monthly count forecasts: MASE and interval coverage.

The figures a statistician asks for before trusting a forecast: from each origin the forecaster
sees only the months before it, forecasts ``horizon`` months, and is scored against what
happened. MASE divides each absolute error by the in-sample mean absolute error of the seasonal
naive forecast (same month last year) on the months the forecaster saw, so scores are comparable
across series of very different size. Coverage is the share of actual counts that fell inside
the 80% interval.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from chegara.analysis.forecast import SEASON, FloatArray, Forecast, forecast_counts, seasonal_naive

Forecaster = Callable[[FloatArray, int], Forecast]


@dataclass
class BacktestScore:
    """Scaled errors and interval hits of one forecaster over all series and origins."""

    scaled_errors: list[float] = field(default_factory=list)
    naive_scaled_errors: list[float] = field(default_factory=list)
    covered: list[bool] = field(default_factory=list)
    origins: int = 0
    skipped_origins: int = 0
    # Forecasts above ten times the largest count seen: a diverged model, not a forecast.
    runaway_forecasts: int = 0

    @property
    def mase(self) -> float:
        return float(np.mean(self.scaled_errors)) if self.scaled_errors else float("nan")

    @property
    def seasonal_naive_mase(self) -> float:
        if not self.naive_scaled_errors:
            return float("nan")
        return float(np.mean(self.naive_scaled_errors))

    @property
    def relative_mase(self) -> float:
        """MASE divided by the seasonal naive forecast's MASE on the same forecasts."""
        return self.mase / self.seasonal_naive_mase

    @property
    def coverage80(self) -> float:
        return float(np.mean(self.covered)) if self.covered else float("nan")

    @classmethod
    def pooled(cls, scores: list[BacktestScore]) -> BacktestScore:
        """All forecasts of several backtests as one (e.g. every route of a file)."""
        merged = cls()
        for score in scores:
            merged.scaled_errors.extend(score.scaled_errors)
            merged.naive_scaled_errors.extend(score.naive_scaled_errors)
            merged.covered.extend(score.covered)
            merged.origins += score.origins
            merged.skipped_origins += score.skipped_origins
            merged.runaway_forecasts += score.runaway_forecasts
        return merged

    def as_dict(self) -> dict[str, float | int]:
        return {
            "mase": round(self.mase, 4),
            "seasonal_naive_mase": round(self.seasonal_naive_mase, 4),
            "relative_mase": round(self.relative_mase, 4),
            "coverage80": round(self.coverage80, 4),
            "forecasts": len(self.scaled_errors),
            "origins": self.origins,
            "skipped_origins_zero_scale": self.skipped_origins,
            "runaway_forecasts": self.runaway_forecasts,
        }


def seasonal_naive_scale(train: FloatArray) -> float:
    """In-sample mean absolute error of the same-month-last-year forecast."""
    return float(np.mean(np.abs(train[SEASON:] - train[:-SEASON])))


def rolling_origin_backtest(
    series: Mapping[str, FloatArray],
    *,
    horizon: int = 12,
    min_train: int = 24,
    step: int = 1,
    forecaster: Forecaster = forecast_counts,
) -> BacktestScore:
    """Score ``forecaster`` from every ``step``-th origin with a full ``horizon`` ahead.

    Origins where the training months have a zero seasonal naive error (for example a run of
    zeros) have no MASE scale and are skipped and counted.
    """
    if min_train <= SEASON:
        raise ValueError("min_train must exceed one season so the MASE scale exists")
    score = BacktestScore()
    for values in series.values():
        y = np.asarray(values, dtype=np.float64)
        for origin in range(min_train, y.size - horizon + 1, step):
            train = y[:origin]
            actual = y[origin : origin + horizon]
            scale = seasonal_naive_scale(train)
            if scale <= 0.0:
                score.skipped_origins += 1
                continue
            result = forecaster(train, horizon)
            naive = seasonal_naive(train, horizon)
            score.origins += 1
            score.runaway_forecasts += int(np.sum(result.forecast > 10.0 * (train.max() + 1.0)))
            score.scaled_errors.extend((np.abs(actual - result.forecast) / scale).tolist())
            score.naive_scaled_errors.extend((np.abs(actual - naive) / scale).tolist())
            inside = (actual >= result.lower80) & (actual <= result.upper80)
            score.covered.extend(inside.tolist())
    return score
