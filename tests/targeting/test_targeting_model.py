"""The learned model: metric, calibration sanity, save/load, reasons, metadata."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chegara.demo.targeting import DEMO_SEED, GOODS_BY_HS, declarations_frame, generate_trade
from chegara.targeting.declarations import label_values
from chegara.targeting.model import RiskModel, fit_platt, precision_recall_at, train_model


def test_precision_counts_ties_at_the_cut_pro_rata() -> None:
    labels = np.array([1, 0, 0, 0])
    scores = np.array([0.9, 0.9, 0.9, 0.1])
    precision, recall = precision_recall_at(labels, scores, 0.5)  # k = 2 of 3 tied
    assert precision == pytest.approx(1 / 3)
    assert recall == pytest.approx(2 / 3)
    # Row order cannot matter.
    assert precision_recall_at(labels[::-1], scores[::-1], 0.5)[0] == pytest.approx(1 / 3)
    assert precision_recall_at(np.array([1, 0]), np.array([0.2, 0.1]), 0.5) == (1.0, 1.0)


def test_model_ranks_and_is_calibrated_on_later_declarations(
    trained_model: RiskModel, korea_valid: pd.DataFrame,
) -> None:
    labels = label_values(korea_valid, "Fraud")
    scores = trained_model.score(korea_valid)
    assert ((scores > 0) & (scores < 1)).all()
    # Calibration sanity: the mean probability is near the observed rate, and the riskiest
    # decile holds far more fraud than the least risky one.
    assert abs(scores.mean() - labels.mean()) < 0.08
    order = np.argsort(-scores)
    decile = len(scores) // 10
    assert labels[order[:decile]].mean() > 2 * labels[order[-decile:]].mean()
    precision_at_10, _ = precision_recall_at(labels, scores, 0.10)
    assert precision_at_10 > labels.mean() * 2  # far better than inspecting at random


def test_metadata_records_window_metrics_and_features(trained_model: RiskModel) -> None:
    meta = trained_model.metadata
    assert meta["data_window"] == {"from": "2020-01-01", "to": meta["data_window"]["to"]}
    assert meta["calibration_window"]["from"] > meta["data_window"]["from"]
    assert 0.5 < meta["holdout_metrics"]["auc"] <= 1.0
    assert "Fraud" not in trained_model.feature_names
    assert not any("critical" in name.lower() for name in trained_model.feature_names)
    assert "importer_fraud_rate" in trained_model.feature_names


def test_save_and_load_give_the_same_scores_and_reasons(
    trained_model: RiskModel, korea_valid: pd.DataFrame, tmp_path: Path,
) -> None:
    trained_model.save(tmp_path / "model")
    meta = json.loads((tmp_path / "model" / "model.json").read_text())
    assert meta["feature_names"] == trained_model.feature_names
    assert {"version", "data_window", "holdout_metrics"} <= set(meta)
    loaded = RiskModel.load(tmp_path / "model")
    part = korea_valid.iloc[:200]
    assert np.array_equal(loaded.score(part), trained_model.score(part))
    assert loaded.reasons(part.iloc[:5]) == trained_model.reasons(part.iloc[:5])
    with pytest.raises(FileNotFoundError):
        RiskModel.load(tmp_path / "nothing-here")


def test_reasons_are_words_sorted_by_contribution(
    trained_model: RiskModel, korea_valid: pd.DataFrame,
) -> None:
    scores = trained_model.score(korea_valid)
    riskiest = korea_valid.iloc[np.argsort(-scores)[:20]]
    for reasons in trained_model.reasons(riskiest, top=3):
        assert 1 <= len(reasons) <= 3
        contributions = [r.contribution for r in reasons]
        assert contributions == sorted(contributions, reverse=True)
        assert all(c > 0 for c in contributions)
        assert all(r.text and "_" not in r.text.split(":")[0] for r in reasons)


def test_training_refuses_data_without_both_outcomes(korea_train: pd.DataFrame) -> None:
    with pytest.raises(ValueError, match="both outcomes"):
        train_model(korea_train.iloc[:500], np.zeros(500))


def _generated_month(seed: int) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    """Thirty days of the demo's trade: declarations, the hidden fraud flag, and where the
    fraud was undervaluation, which the price per kg gives away."""
    trade = generate_trade(dt.date(2026, 10, 1), days=30, seed=seed)
    frame = declarations_frame(trade.declarations)
    fraud = np.array([trade.fraud[ref] for ref in frame["declaration_id"]])
    reference = frame["hs_code"].map(lambda hs: GOODS_BY_HS[hs][2]) * frame["net_mass_kg"]
    undervalued = fraud & (frame["value"] < 0.6 * reference).to_numpy()
    return frame, fraud.astype(float), undervalued.astype(float)


def _inspected(outcomes: np.ndarray, share: float) -> np.ndarray:
    """The outcomes of a random `share` of declarations; NaN for the others."""
    drawn = np.random.default_rng(0).random(len(outcomes)) < share
    return np.where(drawn, outcomes, np.nan)


def test_platt_fit_stays_finite_when_the_trees_separate_every_result() -> None:
    # 40 clean inspections below every one of 9 findings, as on the demo's last days.
    margin = np.r_[np.linspace(-10.0, -4.0, 40), np.linspace(2.0, 9.0, 9)]
    found = np.r_[np.zeros(40), np.ones(9)]
    a, b = fit_platt(margin, found)
    probability = 1.0 / (1.0 + np.exp(-(a * margin + b)))
    # A plain logistic fit had a slope in the hundreds here and gave 1e-40 and 1.0.
    assert 0 < a < 5
    assert probability.min() > 1e-3 and probability.max() < 1 - 1e-3
    assert (np.diff(probability) > 0).all()  # the order, which selection uses, is kept


def test_trees_no_better_than_chance_give_everyone_the_rate_in_the_same_order() -> None:
    margin = np.linspace(-6.0, 6.0, 60)
    found = (np.arange(60) % 10 == 0).astype(float)  # findings at the low margins
    a, b = fit_platt(margin, found)
    probability = 1.0 / (1.0 + np.exp(-(a * margin + b)))
    assert np.allclose(probability, found.mean(), atol=0.02)
    assert (np.diff(probability) > 0).all()


def test_scores_stay_probabilities_when_the_price_gives_every_finding_away() -> None:
    """The demo's situation: a few hundred inspections whose findings, undervaluation, the
    price per kg separates perfectly. The model used to score its own training declarations
    from about 1e-11 (1e-40 in the demo) up to 0.999999."""
    frame, _, undervalued = _generated_month(DEMO_SEED)
    early = (frame["date"] < "2026-10-22").to_numpy()
    labels = _inspected(undervalued, 0.15)[early]
    model = train_model(frame[early].reset_index(drop=True), labels)
    scores = model.score(frame[early])
    assert scores.min() > 1e-6 and scores.max() < 1 - 1e-6
    calibration = model.metadata["calibration"]
    assert calibration["found"] >= 2 and calibration["inspected"] >= 20
    assert calibration["inspected"] <= 0.5 * np.count_nonzero(~np.isnan(labels))


@pytest.mark.parametrize("seed", [DEMO_SEED, 1, 2, 3, 4, 5])
def test_probabilities_match_what_later_inspections_find(seed: int) -> None:
    """Reliability on the nine days after training, every declaration's outcome known.

    Tolerance per band of probability (bands of at least 20 declarations): three binomial
    standard errors of the band's observed rate, plus 5 points for the calibration itself,
    two parameters fitted on about 50 findings, whose uncertainty the binomial error omits."""
    frame, fraud, _ = _generated_month(seed)
    early = (frame["date"] < "2026-10-22").to_numpy()
    model = train_model(frame[early].reset_index(drop=True), _inspected(fraud, 0.3)[early])
    later = model.score(frame[~early])
    outcome = fraud[~early]
    checked = 0
    for low, high in ((0.0, 0.05), (0.05, 0.2), (0.2, 0.5), (0.5, 1.0)):
        band = (later >= low) & (later <= high) if high == 1.0 else (later >= low) & (later < high)
        if band.sum() < 20:
            continue
        predicted, observed = later[band].mean(), outcome[band].mean()
        tolerance = 3 * np.sqrt(predicted * (1 - predicted) / band.sum()) + 0.05
        assert abs(observed - predicted) <= tolerance, (low, high, predicted, observed)
        checked += 1
    assert checked >= 2
