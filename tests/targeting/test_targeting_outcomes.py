"""Outcome arithmetic: hit rates, non-compliance estimate, population stability."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from chegara.targeting.outcomes import (
    clopper_pearson,
    drift_report,
    hit_rates,
    non_compliance_estimate,
    population_stability,
    population_stability_categorical,
    psi_level,
    wilson_interval,
)


def test_wilson_and_exact_intervals_bracket_the_rate() -> None:
    rate = wilson_interval(2, 3)
    assert rate.rate == pytest.approx(2 / 3)
    assert 0.2 < rate.low < 2 / 3 < rate.high < 1.0
    exact = clopper_pearson(0, 50)
    assert exact.low == 0.0 and 0.05 < exact.high < 0.08  # rule of three: about 3/50
    assert np.isnan(wilson_interval(0, 0).rate)


def test_hit_rates_per_profile_and_model_count_multi_hits_for_each() -> None:
    selected_by = pd.Series([["P1"], ["P1", "P2"], ["model"], ["model"], ["P2"]])
    found = np.array([1, 0, 1, 1, 0])
    table = hit_rates(selected_by, found).set_index("selector")
    assert table.loc["P1", "inspected"] == 2 and table.loc["P1", "found"] == 1
    assert table.loc["P2", "hit_rate"] == 0.0
    assert table.loc["model", "hit_rate"] == 1.0
    assert table.index[0] == "model"


def test_non_compliance_uses_the_random_sample() -> None:
    sample = np.r_[np.ones(30), np.zeros(970)]
    estimate = non_compliance_estimate(sample)
    assert estimate.rate == pytest.approx(0.03)
    assert estimate.low < 0.03 < estimate.high and estimate.high - estimate.low < 0.03


def test_population_stability_levels() -> None:
    rng = np.random.default_rng(1)
    reference = rng.normal(0, 1, 20000)
    same = rng.normal(0, 1, 20000)
    shifted = rng.normal(1.0, 1, 20000)
    assert population_stability(reference, same) < 0.01
    assert psi_level(population_stability(reference, same)) == "stable"
    assert psi_level(population_stability(reference, shifted)) == "alert"
    assert psi_level(0.15) == "watch"
    assert population_stability_categorical(["CN"] * 90 + ["KZ"] * 10,
                                            ["CN"] * 90 + ["KZ"] * 10) == pytest.approx(0.0)
    assert population_stability_categorical(["CN"] * 90 + ["KZ"] * 10,
                                            ["CN"] * 50 + ["TR"] * 50) > 0.25


def test_drift_report_covers_numbers_and_codes() -> None:
    reference = pd.DataFrame({"score": np.linspace(0, 1, 1000), "origin": ["CN"] * 1000})
    current = pd.DataFrame({"score": np.linspace(0.5, 1.5, 1000), "origin": ["CN"] * 1000})
    report = drift_report(reference, current).set_index("input")
    assert report.loc["score", "level"] == "alert"
    assert report.loc["origin", "level"] == "stable"
