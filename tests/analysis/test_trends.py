"""STL decomposition and year-on-year change."""

from __future__ import annotations

import numpy as np
import pytest

from chegara.analysis.trends import METHOD_SHORT, METHOD_STL, decompose, year_on_year


def test_stl_recovers_linear_trend_and_season() -> None:
    t = np.arange(72)
    season = 20.0 * np.sin(2 * np.pi * t / 12)
    series = 100.0 + 2.0 * t + season
    result = decompose(series)
    assert result.method == METHOD_STL
    np.testing.assert_allclose(result.trend[12:-12], (100.0 + 2.0 * t)[12:-12], atol=1.0)
    np.testing.assert_allclose(result.seasonal[12:-12], season[12:-12], atol=1.5)
    np.testing.assert_allclose(result.trend + result.seasonal + result.remainder, series)


def test_short_series_gets_moving_average_and_no_season() -> None:
    result = decompose([5.0] * 10)
    assert result.method == METHOD_SHORT
    assert np.all(result.seasonal == 0)
    np.testing.assert_allclose(result.trend, 5.0)


def test_year_on_year() -> None:
    series = [10.0] * 12 + [15.0] * 12
    change = year_on_year(series)
    assert (change.current, change.previous, change.change) == (180.0, 120.0, 60.0)
    assert change.percent == pytest.approx(50.0)
    last_three = year_on_year(series, months=3)
    assert last_three.current == 45.0 and last_three.previous == 30.0


def test_year_on_year_from_zero_has_no_percent() -> None:
    assert year_on_year([0.0] * 12 + [4.0] * 12).percent is None


def test_year_on_year_needs_enough_months() -> None:
    with pytest.raises(ValueError):
        year_on_year([1.0] * 20)
