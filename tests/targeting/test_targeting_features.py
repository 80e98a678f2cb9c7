"""History features: strictly from the past in training, frozen history when scoring."""

from __future__ import annotations

import numpy as np
import pandas as pd

from chegara.targeting.features import HistoryStore, past_history_features


def small_history(make_frame) -> pd.DataFrame:
    rows = []
    days = ["2021-01-01", "2021-01-01", "2021-01-02", "2021-01-02", "2021-01-02", "2021-01-03"]
    for i, day in enumerate(days):
        rows.append({"declaration_id": f"D{i}", "date": day, "importer_id": "IMP",
                     "declarant_id": f"BRK{i % 2}", "hs_code": "610910", "office": "30",
                     "origin_country": "CN", "value": 10.0, "net_mass_kg": 1.0})
    return make_frame(rows)


def test_own_and_same_day_labels_never_reach_a_declarations_features(make_frame) -> None:
    frame = small_history(make_frame)
    labels = np.array([0, 1, 0, 0, 1, 0], dtype=float)
    base = past_history_features(frame, labels)
    # Flip the label of every declaration lodged on 2021-01-02 (rows 2, 3, 4): the features
    # of those rows must not move; rows of 2021-01-03 must (they see that day as past).
    flipped = labels.copy()
    flipped[[2, 3, 4]] = 1 - flipped[[2, 3, 4]]
    after = past_history_features(frame, flipped)
    same_day = [2, 3, 4]
    pd.testing.assert_frame_equal(base.iloc[same_day], after.iloc[same_day])
    assert base.loc[5, "importer_fraud_rate"] != after.loc[5, "importer_fraud_rate"]
    assert base.loc[5, "prior_fraud_rate"] != after.loc[5, "prior_fraud_rate"]


def test_counts_are_those_of_earlier_days(make_frame) -> None:
    frame = small_history(make_frame)
    labels = np.array([0, 1, 0, 0, 1, 0], dtype=float)
    feats = past_history_features(frame, labels)
    assert feats["importer_inspections"].tolist() == [0, 0, 2, 2, 2, 5]
    assert feats["declarant_seen"].tolist() == [0, 0, 1, 1, 1, 2]
    # Smoothed toward the past prior: 1 fraud in 2 with prior (1+1)/(2+2) and pseudo-count 5.
    assert np.isclose(feats.loc[2, "importer_fraud_rate"], (1 + 5 * 0.5) / (2 + 5))


def test_uninspected_declarations_count_as_activity_not_as_results(make_frame) -> None:
    frame = small_history(make_frame)
    labels = np.array([np.nan, 1, np.nan, 0, 1, 0], dtype=float)
    feats = past_history_features(frame, labels)
    assert feats.loc[5, "importer_seen"] == 5
    assert feats.loc[5, "importer_inspections"] == 3


def test_the_frozen_store_gives_what_the_past_gives_the_day_after(make_frame) -> None:
    frame = small_history(make_frame)
    labels = np.array([0, 1, 0, 0, 1, 0], dtype=float)
    later = make_frame([{"declaration_id": "L1", "date": "2021-01-04", "importer_id": "IMP",
                         "declarant_id": "BRK1", "hs_code": "610910", "office": "30",
                         "origin_country": "CN", "value": 10.0, "net_mass_kg": 1.0},
                        {"declaration_id": "L2", "date": "2021-01-04", "importer_id": "NEW",
                         "declarant_id": "", "hs_code": "999999", "office": "30",
                         "origin_country": "CN", "value": 10.0, "net_mass_kg": 1.0}])
    together = pd.concat([frame, later], ignore_index=True)
    expected = past_history_features(together, np.r_[labels, np.nan, np.nan]).iloc[6:]
    store = HistoryStore.from_history(frame, labels)
    got = store.features(later)
    pd.testing.assert_frame_equal(got.reset_index(drop=True),
                                  expected.reset_index(drop=True), check_dtype=False)
    assert np.isnan(got.loc[1, "declarant_fraud_rate"])  # blank declarant is no entity
    assert got.loc[1, "importer_inspections"] == 0
    again = HistoryStore.from_json(store.to_json()).features(later)
    pd.testing.assert_frame_equal(again, got)
