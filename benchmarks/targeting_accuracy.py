"""Chegara's targeting model against a plain LightGBM on the Korea Customs Service data.

Both are trained on the 2020 training split and measured on the Q1 2021 validation split (the
test quarter is held out by the evaluation). Metric exactly as shared/data/customs/README.md
defines it: inspect the k = round(N * n / 100) highest scores; precision = frauds among them / k,
recall = frauds among them / all frauds; equal scores at the cut count pro rata.

Peer: LightGBM with default parameters on label-encoded categoricals and min-max scaled
numerics, as the paper's baseline (Jeong et al. 2022, Table 3). Each model runs with five seeds;
the JSON gives mean and sd. A second, earlier out-of-time split (train Jan-Sep 2020, measure
Oct-Dec 2020) shows whether the gain holds on another quarter. Prints one JSON line.

    .venv/bin/python benchmarks/targeting_accuracy.py [--seeds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from chegara.targeting.declarations import label_values, load_declarations, load_field_map
from chegara.targeting.model import precision_recall_at, train_model

DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "customs"
SHARES = (1, 5, 10)
CATEGORICAL = (
    "office",
    "process_type",
    "import_type",
    "import_use",
    "payment_type",
    "transport_mode",
    "declarant_id",
    "importer_id",
    "seller_id",
    "courier_id",
    "hs_code",
    "departure_country",
    "origin_country",
    "tax_type",
    "origin_indicator",
)
NUMERIC = ("tax_rate", "net_mass_kg", "value")


def plain_lightgbm_scores(
    train: pd.DataFrame, y: np.ndarray, test: pd.DataFrame, seed: int
) -> np.ndarray:
    """The paper's baseline: label encoding fitted on both splits, min-max scaling, defaults."""
    import lightgbm as lgb

    both = pd.concat([train, test], ignore_index=True)
    columns: dict[str, np.ndarray] = {}
    for name in CATEGORICAL:
        codes, _ = pd.factorize(both[name].astype(str), sort=True)
        columns[name] = codes
    for name in NUMERIC:
        values = both[name].astype(float).to_numpy()
        low, high = np.nanmin(values), np.nanmax(values)
        columns[name] = (values - low) / (high - low) if high > low else values * 0
    matrix = pd.DataFrame(columns)
    model = lgb.LGBMClassifier(random_state=seed, verbose=-1, n_jobs=1)
    model.fit(matrix.iloc[: len(train)], y.astype(int))
    return np.asarray(model.predict_proba(matrix.iloc[len(train) :])[:, 1])


def metrics(labels: np.ndarray, scores: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    out = {"auc": float(roc_auc_score(labels, scores))}
    for share in SHARES:
        precision, recall = precision_recall_at(labels, scores, share / 100)
        out[f"precision_at_{share}"] = precision
        out[f"recall_at_{share}"] = recall
    return out


def summarise(runs: list[dict[str, float]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key in runs[0]:
        values = [r[key] for r in runs]
        out[key] = round(statistics.mean(values), 4)
        out[f"{key}_sd"] = round(statistics.stdev(values), 4) if len(values) > 1 else 0.0
    return out


def compare(train: pd.DataFrame, test: pd.DataFrame, seeds: int) -> dict[str, Any]:
    y_train = label_values(train, "Fraud").astype(float)
    y_test = label_values(test, "Fraud")
    ours, peer = [], []
    ours_seconds, peer_seconds = 0.0, 0.0
    for seed in range(seeds):
        started = time.perf_counter()
        model = train_model(train, y_train, seed=seed)
        ours.append(metrics(y_test, model.score(test)))
        ours_seconds += time.perf_counter() - started
        started = time.perf_counter()
        peer.append(metrics(y_test, plain_lightgbm_scores(train, y_train, test, seed)))
        peer_seconds += time.perf_counter() - started
    chegara, plain = summarise(ours), summarise(peer)
    return {
        "train_rows": len(train),
        "test_rows": len(test),
        "train_window": [str(train["date"].min())[:10], str(train["date"].max())[:10]],
        "test_window": [str(test["date"].min())[:10], str(test["date"].max())[:10]],
        "test_fraud_rate": round(float(y_test.mean()), 4),
        "chegara": chegara,
        "plain_lightgbm": plain,
        "ratio_precision_at_5": round(chegara["precision_at_5"] / plain["precision_at_5"], 3),
        "ratio_precision_at_10": round(chegara["precision_at_10"] / plain["precision_at_10"], 3),
        "seconds_per_run": {
            "chegara": round(ours_seconds / seeds, 2),
            "plain_lightgbm": round(peer_seconds / seeds, 2),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    field_map = load_field_map(DATA / "map.yaml")
    train = load_declarations(DATA / "korea_train.csv", field_map, keep_columns=("Fraud",))
    valid = load_declarations(DATA / "korea_valid.csv", field_map, keep_columns=("Fraud",))
    early = train[train["date"] < "2020-10-01"].reset_index(drop=True)
    late = train[train["date"] >= "2020-10-01"].reset_index(drop=True)
    result = {
        "benchmark": "targeting_accuracy",
        "seeds": args.seeds,
        "train_2020_to_valid_2021q1": compare(train, valid, args.seeds),
        "train_2020q1q3_to_2020q4": compare(early, late, args.seeds),
        "published_baseline_test_quarter": {"precision_at_5": 0.762, "precision_at_10": 0.641},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
