"""Farrington-flexible alarms: injected outbreaks are flagged, stable series stay quiet."""

from __future__ import annotations

import numpy as np
import pytest

from chegara.analysis.anomaly import (
    farrington_alarms,
    farrington_alarms_many,
    negative_binomial_upper,
)


def seasonal_poisson(rng: np.random.Generator, months: int = 120, base: float = 50.0) -> np.ndarray:
    t = np.arange(months)
    return rng.poisson(base * np.exp(0.3 * np.sin(2 * np.pi * t / 12))).astype(float)


def test_injected_outbreak_is_flagged() -> None:
    rng = np.random.default_rng(1)
    counts = seasonal_poisson(rng)
    counts[100] *= 2.5
    result = farrington_alarms(counts)
    assert result.alarm[100]
    assert result.expected[100] < counts[100] / 2
    assert result.upper[100] < counts[100]
    assert "Farrington" in result.method


def test_first_years_have_no_baseline() -> None:
    result = farrington_alarms(np.full(60, 10.0))
    assert np.all(np.isnan(result.expected[:38]))
    assert not result.alarm[:38].any()
    assert np.all(~np.isnan(result.expected[38:]))


def test_stable_poisson_false_alarm_rate_is_near_nominal() -> None:
    rng = np.random.default_rng(2)
    series = np.vstack([seasonal_poisson(rng) for _ in range(100)])
    results = farrington_alarms_many(series, alpha=0.01)
    evaluated = np.concatenate([~np.isnan(r.expected) for r in results])
    alarms = np.concatenate([r.alarm for r in results])
    rate = alarms.sum() / evaluated.sum()
    # Nominal 1%; Farrington thresholds are conservative by design, never liberal.
    assert 0.001 <= rate <= 0.02


def test_overdispersed_series_does_not_alarm_like_poisson_would() -> None:
    rng = np.random.default_rng(4)
    mean = 40.0
    # Variance five times the mean: a Poisson threshold would alarm far above 1%.
    series = np.vstack(
        [rng.negative_binomial(mean / 4, 1 / 5, 120).astype(float) for _ in range(60)]
    )
    results = farrington_alarms_many(series, alpha=0.01)
    rate = sum(int(r.alarm.sum()) for r in results) / sum(
        int((~np.isnan(r.expected)).sum()) for r in results
    )
    assert rate <= 0.03
    assert np.nanmedian(np.concatenate([r.overdispersion for r in results])) > 2.5


def test_past_outbreak_is_downweighted() -> None:
    rng = np.random.default_rng(6)
    counts = rng.poisson(30, 80).astype(float)
    counts[60] = 150.0  # an old outbreak inside the reference window of month 75
    result = farrington_alarms(counts)
    assert result.expected[75] < 40
    counts[75] = 90.0
    assert farrington_alarms(counts).alarm[75]


def test_all_zero_history_alarms_on_first_case_only() -> None:
    counts = np.zeros(50)
    counts[45] = 3.0
    result = farrington_alarms(counts)
    assert result.expected[45] == 0.0
    assert result.alarm[45]
    assert result.alarm.sum() == 1


def test_many_equals_one_by_one() -> None:
    rng = np.random.default_rng(8)
    series = np.vstack([seasonal_poisson(rng, 70) for _ in range(3)])
    together = farrington_alarms_many(series)
    for row, result in zip(series, together, strict=True):
        alone = farrington_alarms(row)
        np.testing.assert_allclose(alone.expected, result.expected, rtol=1e-6)
        assert (alone.alarm == result.alarm).all()


def test_negative_binomial_upper_matches_poisson_without_overdispersion() -> None:
    upper = negative_binomial_upper(np.array([10.0]), np.array([1.0]), 0.99)
    assert upper[0] == 18.0  # Poisson(10) 99% quantile
    wider = negative_binomial_upper(np.array([10.0]), np.array([3.0]), 0.99)
    assert wider[0] > 18.0


@pytest.mark.parametrize("bad", [[1.0, -1.0], [np.nan]])
def test_bad_counts(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        farrington_alarms(bad)
