"""The learned model: metric, calibration sanity, save/load, reasons, metadata."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from chegara.targeting.declarations import label_values
from chegara.targeting.model import RiskModel, precision_recall_at, train_model


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
