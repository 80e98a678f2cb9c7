"""Forecasts: shapes, edge cases, known answers on constructed series, interval calibration."""

from __future__ import annotations

import numpy as np
import pytest

from chegara.analysis.forecast import (
    METHOD_COMBINED,
    METHOD_EMPTY,
    METHOD_SHORT,
    forecast_counts,
    seasonal_naive,
    seasonal_profile,
)


def test_constant_series_forecasts_the_constant_inside_its_interval() -> None:
    result = forecast_counts([40.0] * 60, 12)
    assert result.method == METHOD_COMBINED
    np.testing.assert_allclose(result.forecast, 40.0, rtol=1e-9)
    assert np.all(result.lower80 <= 40.0)
    assert np.all(result.upper80 >= 40.0)


def test_poisson_floor_keeps_interval_of_a_constant_count_open() -> None:
    # Past errors are all zero, yet a count of 40 is Poisson-noisy: the interval must not collapse.
    result = forecast_counts([40.0] * 60, 3)
    assert np.all(result.upper80 - result.lower80 >= 10)


def test_measurements_that_are_not_counts_get_no_poisson_floor() -> None:
    # 350.25 kg every month: nothing varies, and a Poisson interval (about +-24) would invent
    # a spread the history does not have.
    result = forecast_counts([350.25] * 60, 3)
    assert np.all(result.upper80 - result.lower80 < 1.0)


def test_seasonal_profile_follows_the_recent_years() -> None:
    # Twelve years peaking in January, then eight peaking in July: the profile must describe
    # the season as it is now, not the average of both regimes.
    months = np.arange(240)
    old = 5.0 + 0.8 * np.cos(2 * np.pi * months[:144] / 12)
    new = 5.0 - 0.8 * np.cos(2 * np.pi * months[144:] / 12)
    profile = seasonal_profile(np.concatenate([old, new]))
    assert profile[6] > 0.6
    assert profile[0] < -0.6


def test_band_of_a_stable_seasonal_series_does_not_grow_like_a_random_walk() -> None:
    # Same season every year, independent noise: a month a year ahead is no harder than next
    # month, so the interval should not widen as if the errors accumulated (that was 1.7x).
    rng = np.random.default_rng(11)
    months = np.arange(120)
    truth = 2000.0 * np.exp(0.6 * np.sin(2 * np.pi * months / 12))
    history = np.round(truth * np.exp(rng.normal(0.0, 0.08, months.size)))
    result = forecast_counts(history, 12)
    width = np.log1p(result.upper80) - np.log1p(result.lower80)
    assert width[-1] < 1.3 * width[0]


def test_seasonal_pattern_is_reproduced() -> None:
    months = np.arange(96)
    pattern = 200.0 * np.exp(0.8 * np.sin(2 * np.pi * months / 12))
    result = forecast_counts(pattern, 12)
    truth = 200.0 * np.exp(0.8 * np.sin(2 * np.pi * np.arange(96, 108) / 12))
    np.testing.assert_allclose(result.forecast, truth, rtol=0.05)


def test_seasonal_profile_is_shrunk_to_zero_without_seasonality() -> None:
    rng = np.random.default_rng(3)
    noise = np.log1p(rng.poisson(100, 120).astype(float))
    assert np.max(np.abs(seasonal_profile(noise))) < 0.03


def test_level_shift_is_followed() -> None:
    series = [1000.0] * 48 + [200.0] * 12
    result = forecast_counts(series, 6)
    assert np.all(result.forecast < 400)


def test_empty_history_gives_zero_forecast() -> None:
    result = forecast_counts([], 4)
    assert result.method == METHOD_EMPTY
    assert result.forecast.tolist() == [0.0] * 4


@pytest.mark.parametrize("history", [[5.0], [5.0, 9.0], [3.0, 0.0, 4.0, 8.0, 2.0, 6.0, 7.0]])
def test_short_series_fall_back_and_stay_ordered(history: list[float]) -> None:
    result = forecast_counts(history, 12)
    assert result.method == METHOD_SHORT
    assert np.all(result.lower80 <= result.forecast)
    assert np.all(result.forecast <= result.upper80)
    assert np.all(result.lower80 >= 0)


def test_all_zero_series() -> None:
    result = forecast_counts([0.0] * 40, 12)
    assert result.forecast.tolist() == [0.0] * 12
    assert result.lower80.tolist() == [0.0] * 12


def test_intermittent_series_is_ordered_and_non_negative() -> None:
    rng = np.random.default_rng(5)
    series = rng.poisson(0.3, 80) * rng.integers(0, 50, 80)
    result = forecast_counts(series.astype(float), 12)
    assert np.all(result.lower80 >= 0)
    assert np.all(result.lower80 <= result.forecast)
    assert np.all(result.forecast <= result.upper80)


@pytest.mark.parametrize("horizon", [0, -1, 121])
def test_absurd_horizon_is_refused(horizon: int) -> None:
    with pytest.raises(ValueError, match="horizon"):
        forecast_counts([1.0, 2.0, 3.0], horizon)


@pytest.mark.parametrize("bad", [[1.0, -2.0], [1.0, float("nan")], [1.0, float("inf")]])
def test_bad_counts_are_refused(bad: list[float]) -> None:
    with pytest.raises(ValueError):
        forecast_counts(bad, 3)


def test_seasonal_naive_repeats_last_year() -> None:
    history = list(range(24))
    assert seasonal_naive(history, 14).tolist() == [*range(12, 24), 12, 13]
    assert seasonal_naive([4.0, 7.0], 3).tolist() == [7.0, 7.0, 7.0]


def test_interval_coverage_on_simulated_overdispersed_series() -> None:
    # Negative-binomial counts around a seasonal random-walk level: the 80% interval should
    # contain roughly 80% of the next 12 months. Loose bounds: 40 series x 12 months.
    rng = np.random.default_rng(11)
    hits = []
    for _ in range(40):
        months = np.arange(72)
        level = 5.0 + np.cumsum(rng.normal(0, 0.05, 72))
        mean = np.exp(level + 0.4 * np.sin(2 * np.pi * months / 12))
        counts = rng.negative_binomial(10, 10 / (10 + mean)).astype(float)
        result = forecast_counts(counts[:60], 12)
        actual = counts[60:]
        hits.extend(((actual >= result.lower80) & (actual <= result.upper80)).tolist())
    assert 0.7 <= float(np.mean(hits)) <= 0.92



def test_surge_onset_is_not_extrapolated_past_twice_the_record() -> None:
    # Frontex detections on the Central Mediterranean route, January 2009 to February 2011 (the
    # Arab Spring): from this origin the damped trend once made the combination forecast 88,107
    # for a route that then saw 10,000-23,000 a month. The trend is held to twice the record.
    series = [1491.0, 1221, 2519, 1981, 610, 107, 504, 562, 583, 942, 400, 123, 52, 0, 95, 102]
    series += [131.0, 358, 719, 805, 652, 557, 681, 298, 359, 6010]
    result = forecast_counts(series, 12)
    # The summer months may still go above twice the record: the other forecasters carry the
    # route's seasonal peak on top of the new level.
    assert result.forecast.max() < 3 * max(series)
    assert result.forecast[0] > 2519.0
