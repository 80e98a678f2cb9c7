"""Lagged correlation of month-on-month changes between adjacent sections."""

from __future__ import annotations

import numpy as np
import pytest

from chegara.analysis.displacement import displacement_scan, lagged_change_correlation


def test_lagged_displacement_is_found_at_its_lag() -> None:
    rng = np.random.default_rng(0)
    changes = rng.normal(0, 10, 60)
    a = 500 + np.cumsum(changes)
    # Whatever leaves section A shows up in B two months later.
    b = 500 - np.cumsum(np.r_[0.0, 0.0, changes[:-2]]) + rng.normal(0, 1, 60)
    results = displacement_scan({"A": a, "B": b}, [("A", "B")])
    found = [r for r in results if r.displacement]
    assert [(r.leader, r.follower, r.lag) for r in found] == [("A", "B", 2)]
    assert found[0].r < -0.9


def test_independent_sections_show_no_displacement() -> None:
    rng = np.random.default_rng(1)
    a = 100 + np.cumsum(rng.normal(0, 5, 60))
    b = 100 + np.cumsum(rng.normal(0, 5, 60))
    results = displacement_scan({"A": a, "B": b}, [("A", "B")])
    assert len(results) == 7  # lag 0 once, lags 1..3 both ways
    assert not any(r.significant for r in results)


def test_known_correlation_value() -> None:
    r, _p, n = lagged_change_correlation(
        [0, 1, 3, 6, 10, 15, 21, 28], [0, 2, 6, 12, 20, 30, 42, 56], 0
    )
    assert r == pytest.approx(1.0)
    assert n == 7


def test_too_short_is_not_significant() -> None:
    r, p, _n = lagged_change_correlation([1, 2, 3, 5], [4, 3, 2, 1], 0)
    assert (r, p) == (0.0, 1.0)
